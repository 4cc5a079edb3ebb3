"""bench/targets.py judges each target of issue #13 from the run's figures (no database needed)."""

from __future__ import annotations

from bench.targets import extra_lines, page_lines
from bench.wrk import Result


def _rows(app_rps: dict[tuple[int, str], float], bare: float = 4000.0, floor: float = 600.0):
    return [(size, name, Result(bare, 1, 2, 0), Result(floor, 1, 2, 0), Result(rps, 1, 2, 0), 5)
            for (size, name), rps in app_rps.items()]


def _line(lines, start: str) -> tuple[str, str, str]:
    """(figure, verdict, note) of the one target that starts with ``start``."""
    [found] = [(figure, verdict, note) for target, figure, verdict, note in lines if target.startswith(start)]
    return found


def test_page_targets_are_judged_against_the_bare_app_and_explained_by_the_floor():
    lines = page_lines(_rows({
        (10_000, "home penilai"): 40.0,      # 0.010 of bare, floor 0.15: unreachable
        (10_000, "login page"): 1400.0,      # 0.35: met
        (100, "employee list"): 300.0, (10_000, "employee list"): 150.0,  # half as fast at 10,000
    }))
    penilai = _line(lines, "home penilai ÷")
    assert penilai[:2] == ("0.010", "not met") and "unreachable" in penilai[2]
    assert _line(lines, "login page ÷")[:2] == ("0.350", "met")
    assert _line(lines, "employee list flat")[:2] == ("50%", "not met")
    assert _line(lines, "plan ÷")[:2] == ("not measured", "—")  # never "met" without a figure


def test_a_target_the_floor_allows_is_called_reachable():
    figure, verdict, note = _line(page_lines(_rows({(10_000, "public page"): 800.0}, floor=1600.0)), "public page ÷")
    assert (figure, verdict) == ("0.200", "not met") and "reachable" in note and "unreachable" not in note


def test_extra_targets_read_the_extras_figures():
    figures = {
        "imports": {"copy_s": 0.02, "judged": "copy_with_audit_s", "create_ratio_copy_s": 45.0,
                    "update_ratio_copy_s": 55.0, "create_ratio_copy_with_audit_s": 3.3,
                    "update_ratio_copy_with_audit_s": 11.0},
        "reapply": {"job_per_10000": 7.7},
        "serving": {"warm": {"worker_pss_mean": 67.0, "worker_rss_mean": 120.0},
                    "create_app_s": {"best": 1.56}, "respawn_s": 0.03},
    }
    lines = {target: (figure, verdict) for target, figure, verdict, _ in extra_lines(figures)}
    assert lines["import of 10,000 employees ≤ 10× the COPY floor"] == ("11.0×", "not met")  # the worse step
    assert lines["re-apply to 10,000 drafts ≤ 10 s, as a job"] == ("7.7 s", "met")
    assert lines["worker memory ≤ 80 MB"] == ("67 MB PSS", "met")
    assert lines["start-up ≤ 0.5 s"] == ("1.56 s", "not met")
    missing = {target: verdict for target, _, verdict, _ in extra_lines({})}
    assert set(missing.values()) == {"—"}
