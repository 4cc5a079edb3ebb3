"""The last table of `make bench`: every target of issue #13 with this run's figure, met or not.

Each page target is the issue's: the app's throughput ÷ the bare one-route Flask app's under the
same gunicorn.conf.py, at 10,000 employees. Beside it the same ratio of the floor reference (one
pooled query and a page-sized template, bench/bare.py ``/floor``): no database-backed page can do
better than the floor, so where the floor itself is below the target the target cannot be met on
this machine, and the table says so instead of leaving "not met" unexplained. The other targets
(import ÷ COPY, re-apply per 10,000, worker memory, start-up) come from the extras of the same run;
a target whose figure was not measured in this run says so.
"""

from __future__ import annotations

from typing import Any

from bench.wrk import Result

LARGE = 10_000
# (page as bench/run.py names it, least app ÷ bare ratio) — the table.
PAGE_TARGETS = (
    ("home penilai", 0.20), ("evaluation", 0.20), ("plan", 0.20),
    ("employee list", 0.25), ("public page", 0.30), ("login page", 0.30),
)
FLAT = 0.8  # "flat from 100 to 10,000": the 10,000-employee throughput at least this share of the 100's
IMPORT_TIMES = 10.0
REAPPLY_SECONDS = 10.0
WORKER_MB = 80.0
START_SECONDS = 0.5

Row = tuple[int, str, Result, Result, Result, int]  # bench/run.py print_row's arguments


def _verdict(met: bool | None) -> str:
    return "—" if met is None else ("met" if met else "not met")


def page_lines(rows: list[Row]) -> list[tuple[str, str, str, str]]:
    """(target, figure, verdict, note) of each page target."""
    by_page = {(size, name): (reference, floor, result) for size, name, reference, floor, result, _ in rows}
    lines = []
    for name, least in PAGE_TARGETS:
        target = f"{name} ÷ bare ≥ {least:.2f} at {LARGE:,}"
        if (LARGE, name) not in by_page:
            lines.append((target, "not measured", _verdict(None), ""))
            continue
        reference, floor, result = by_page[(LARGE, name)]
        ratio = result.rps / reference.rps if reference.rps else 0.0
        ceiling = floor.rps / reference.rps if reference.rps else 0.0
        note = f"floor ÷ bare {ceiling:.3f}; page ÷ floor {result.rps / floor.rps:.3f}" if floor.rps else ""
        if ratio < least <= ceiling:
            note += " (reachable: the floor is above the target)"
        elif ratio < least:
            note += " (unreachable here: the floor itself is below the target)"
        lines.append((target, f"{ratio:.3f}", _verdict(ratio >= least), note))
        if name == "employee list":
            lines.append(_flatness(by_page, name))
    return lines


def _flatness(by_page: dict, name: str) -> tuple[str, str, str, str]:
    target = f"{name} flat from 100 to {LARGE:,} (≥ {FLAT:.0%} of its 100-employee throughput)"
    if (100, name) not in by_page or (LARGE, name) not in by_page:
        return target, "not measured", _verdict(None), "needs BENCH_SIZES with 100 and 10000"
    (_, small_floor, small), (_, large_floor, large) = by_page[(100, name)], by_page[(LARGE, name)]
    # Judged on the ratio to the floor of each run, which takes out the machine's load between the two.
    share = (large.rps / large_floor.rps) / (small.rps / small_floor.rps) if small.rps and large_floor.rps else 0.0
    return target, f"{share:.0%}", _verdict(share >= FLAT), "page ÷ floor at 10,000 over the same at 100"


def extra_lines(figures: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    lines = []
    imports = figures.get("imports")
    target = f"import of 10,000 employees ≤ {IMPORT_TIMES:.0f}× the COPY floor"
    if imports and imports.get("copy_s") is not None:
        judged = imports["judged"]
        worst = max(imports[f"create_ratio_{judged}"], imports[f"update_ratio_{judged}"])
        lines.append((target, f"{worst:.1f}×", _verdict(worst <= IMPORT_TIMES),
                      f"floor (c) with the audit entries; against (a), rows into a temporary table: "
                      f"{max(imports['create_ratio_copy_s'], imports['update_ratio_copy_s']):.0f}×"))
    else:
        lines.append((target, "not measured", _verdict(None), "PostgreSQL and BENCH_EXTRAS with imports"))
    reapply = figures.get("reapply")
    target = f"re-apply to 10,000 drafts ≤ {REAPPLY_SECONDS:.0f} s, as a job"
    if reapply:
        lines.append((target, f"{reapply['job_per_10000']:.1f} s", _verdict(reapply["job_per_10000"] <= REAPPLY_SECONDS),
                      ""))
    else:
        lines.append((target, "not measured", _verdict(None), ""))
    serving = figures.get("serving")
    if serving:
        pss = serving["warm"]["worker_pss_mean"]
        lines.append((f"worker memory ≤ {WORKER_MB:.0f} MB", f"{pss:.0f} MB PSS", _verdict(pss <= WORKER_MB),
                      f"RSS {serving['warm']['worker_rss_mean']:.0f} MB, shared with the master"))
        create = serving["create_app_s"]["best"]
        lines.append((f"start-up ≤ {START_SECONDS} s", f"{create:.2f} s", _verdict(create <= START_SECONDS),
                      f"create_app in a fresh interpreter; a worker is replaced in {serving['respawn_s']:.3f} s"))
    else:
        lines.append(("worker memory, start-up", "not measured", _verdict(None), "BENCH_EXTRAS with serving"))
    return lines


def report(rows: list[Row], figures: dict[str, Any]) -> None:
    lines = page_lines(rows) + extra_lines(figures)
    width = max(len(line[0]) for line in lines)
    print(f"\ntargets of issue #13 in this run:\n{'target':<{width}}  {'figure':>12}  {'verdict':<8} note")
    for target, figure, verdict, note in lines:
        print(f"{target:<{width}}  {figure:>12}  {verdict:<8} {note}", flush=True)
