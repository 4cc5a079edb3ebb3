"""From realisation to capaian (achievement, %) to nilai (0–120).

PermenPANRB 8/2021: capaian = realisasi / target × 100% where higher is
better; (1 + (1 − realisasi / target)) × 100% where lower is better (time,
cost). A range target is measured against the bound that was crossed — the
better end when the realisation passes it, the worse end when it falls short —
and is 100% within the range. The capaian → nilai curve is the rule set's
``AchievementCurve``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.regions.snapshot import as_rule_set, jsonable
from app.regions.types import AchievementCurve, Direction, Indicator, RuleSet, Target


@dataclass(frozen=True)
class Achievement:
    """The capaian and nilai of one indicator, and how they were reached."""

    indicator_code: str
    direction: str
    target: str
    target_used: float
    realisation: float
    capaian: float
    nilai: float
    steps: tuple[str, ...]
    rule_set_code: str
    rule_set_version: str

    def explain(self) -> str:
        return "\n".join(self.steps)

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


_DIRECTION_LABEL = {
    Direction.HIGHER_IS_BETTER: "makin tinggi makin baik",
    Direction.LOWER_IS_BETTER: "makin rendah makin baik",
}


def capaian(direction: Direction, target: Target, realisation: float) -> tuple[float, float, str]:
    """Capaian in % (unrounded), the target value used, and the formula step."""
    better_end, worse_end = (
        (target.upper, target.lower)
        if direction is Direction.HIGHER_IS_BETTER
        else (target.lower, target.upper)
    )
    if target.is_range:
        within = target.lower <= realisation <= target.upper
        if within:
            return 100.0, realisation, (
                f"realisasi {realisation:g} di dalam rentang target {target} → capaian 100%"
            )
        passed = (
            realisation > better_end
            if direction is Direction.HIGHER_IS_BETTER
            else realisation < better_end
        )
        used = better_end if passed else worse_end
        bound_note = (
            f"rentang {target}: realisasi melampaui batas terbaik, dipakai {used:g}"
            if passed
            else f"rentang {target}: realisasi tidak mencapai batas terburuk, dipakai {used:g}"
        )
    else:
        used = target.lower
        bound_note = f"target {used:g}"
    if used == 0:
        raise ValueError("A target of 0 has no capaian; use a non-zero target.")
    if direction is Direction.HIGHER_IS_BETTER:
        value = realisation / used * 100
        step = f"{bound_note}; capaian = {realisation:g} / {used:g} × 100% = {value:.2f}%"
    else:
        value = (1 + (1 - realisation / used)) * 100
        step = (
            f"{bound_note}; capaian = (1 + (1 − {realisation:g} / {used:g})) × 100% = {value:.2f}%"
        )
    return value, used, step


def nilai_from_capaian(curve: AchievementCurve, value: float) -> tuple[float, str]:
    """Nilai for a capaian (%), and the curve segment that produced it."""
    value = max(value, curve.lower_is_better_floor)
    for seg in curve.segments:
        above = value >= seg.lower
        below = seg.upper is None or value < seg.upper or (seg.include_upper and value == seg.upper)
        if above and below:
            if seg.x1 == seg.x0:
                nilai = seg.y0
                formula = f"{seg.y0:g}"
            else:
                slope = (seg.y1 - seg.y0) / (seg.x1 - seg.x0)
                nilai = seg.y0 + slope * (value - seg.x0)
                formula = (
                    f"{seg.y0:g} + ({seg.y1:g} − {seg.y0:g}) / ({seg.x1:g} − {seg.x0:g})"
                    f" × ({value:.2f} − {seg.x0:g})"
                )
            upper = "∞" if seg.upper is None else f"{seg.upper:g}"
            return nilai, f"capaian {value:.2f}% di segmen [{seg.lower:g}, {upper}): nilai = {formula} = {nilai:.2f}"
    raise ValueError(f"Capaian {value}% is outside the achievement curve.")


def achievement(
    rule_set: RuleSet | Mapping[str, Any],
    indicator: Indicator | str,
    target: Target | None,
    realisation: float,
) -> Achievement:
    """Capaian and nilai of ``indicator`` for ``realisation`` against ``target``
    (the indicator's library target when ``target`` is None)."""
    rs = as_rule_set(rule_set)
    ind = rs.indicator(indicator) if isinstance(indicator, str) else indicator
    if ind is None:
        raise KeyError(f"Indicator {indicator!r} is not in rule set {rs.code} {rs.version}.")
    target = target or ind.target
    if target is None:
        raise ValueError(f"Indicator {ind.code} has no target.")
    if rs.achievement_curve is None:
        raise ValueError(f"Rule set {rs.code} has no achievement curve.")
    raw, used, step1 = capaian(ind.direction, target, realisation)
    rounded = round(raw, 2)
    nilai, step2 = nilai_from_capaian(rs.achievement_curve, rounded)
    return Achievement(
        indicator_code=ind.code,
        direction=ind.direction.value,
        target=str(target),
        target_used=used,
        realisation=realisation,
        capaian=rounded,
        nilai=round(nilai, 2),
        steps=(f"{ind.code} {ind.name} ({_DIRECTION_LABEL[ind.direction]})", step1, step2,
               f"aturan {rs.code} {rs.version}"),
        rule_set_code=rs.code,
        rule_set_version=rs.version,
    )
