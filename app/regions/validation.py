"""Start-up validation of a rule set: the faults that would make scoring wrong.

``rule_set_problems`` returns human-readable faults (empty when valid); the
registry refuses to start with a message naming the plugin and these faults.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from marshmallow import Schema, ValidationError

from app.regions.settings import default_problems, effective_settings
from app.regions.types import (
    AchievementCurve,
    Band,
    ComponentSource,
    Expectation,
    MatrixScheme,
    NumericScheme,
    RuleSet,
)

CODE_RE = re.compile(r"^[a-z][a-z0-9-]{1,39}$")
WEIGHT_TOLERANCE = 1e-6


def _duplicates(codes: Iterable[str]) -> list[str]:
    return sorted(code for code, n in Counter(codes).items() if n > 1)


def band_coverage_problems(bands: Sequence[Band], minimum: float, maximum: float, what: str) -> list[str]:
    """Unconditional bands must cover [minimum, maximum] without gaps or overlaps;
    conditional bands must lie inside it."""
    problems = []
    plain = sorted((b for b in bands if not b.requires_innovation), key=lambda b: b.lower)
    if not plain:
        return [f"{what}: no bands"]
    if plain[0].lower != minimum or not plain[0].include_lower:
        problems.append(f"{what}: band '{plain[0].code}' must start at {minimum:g} (inclusive)")
    if plain[-1].upper != maximum or not plain[-1].include_upper:
        problems.append(f"{what}: band '{plain[-1].code}' must end at {maximum:g} (inclusive)")
    for prev, nxt in zip(plain, plain[1:], strict=False):
        if prev.upper < nxt.lower or (prev.upper == nxt.lower and not (prev.include_upper or nxt.include_lower)):
            problems.append(f"{what}: gap between '{prev.code}' and '{nxt.code}' at {prev.upper:g}")
        elif prev.upper > nxt.lower or (prev.include_upper and nxt.include_lower):
            problems.append(f"{what}: '{prev.code}' and '{nxt.code}' overlap at {nxt.lower:g}")
    for band in bands:
        if band.lower > band.upper:
            problems.append(f"{what}: band '{band.code}' has lower {band.lower:g} > upper {band.upper:g}")
        if band.requires_innovation and (band.lower < minimum or band.upper > maximum):
            problems.append(f"{what}: conditional band '{band.code}' lies outside {minimum:g}–{maximum:g}")
    dup = _duplicates(b.code for b in bands)
    if dup:
        problems.append(f"{what}: duplicate band codes {', '.join(dup)}")
    return problems


def curve_problems(curve: AchievementCurve) -> list[str]:
    """Curve segments must cover capaian from the floor up, without gaps or overlaps."""
    problems = []
    segs = sorted(curve.segments, key=lambda s: s.lower)
    if not segs:
        return ["achievement curve: no segments"]
    if segs[0].lower > curve.lower_is_better_floor:
        problems.append(f"achievement curve: starts at {segs[0].lower:g}, not {curve.lower_is_better_floor:g}")
    for prev, nxt in zip(segs, segs[1:], strict=False):
        if prev.upper is None or prev.upper > nxt.lower:
            problems.append(f"achievement curve: segments overlap at {nxt.lower:g}")
        elif prev.upper < nxt.lower:
            problems.append(f"achievement curve: gap between {prev.upper:g} and {nxt.lower:g}")
        elif prev.include_upper:
            problems.append(f"achievement curve: {nxt.lower:g} belongs to two segments")
    if segs[-1].upper is not None:
        problems.append("achievement curve: the last segment must be unbounded (upper=None)")
    for seg in segs:
        if seg.x0 == seg.x1 and seg.y0 != seg.y1:
            problems.append(f"achievement curve: segment at {seg.lower:g} is not a function")
    return problems


def _scheme_problems(rs: RuleSet) -> list[str]:
    scheme = rs.scheme
    problems: list[str] = []
    if scheme is None:
        return ["no scoring scheme (NumericScheme or MatrixScheme)"]
    if isinstance(scheme, NumericScheme):
        problems += band_coverage_problems(scheme.bands, scheme.minimum, scheme.maximum, "bands")
        if not rs.components:
            problems.append("a numeric scheme needs weighted components")
    elif isinstance(scheme, MatrixScheme):
        codes = {p.code for p in scheme.predikat}
        dup = _duplicates(p.code for p in scheme.predikat)
        if dup:
            problems.append(f"matrix: duplicate predikat codes {', '.join(dup)}")
        if sorted(p.rank for p in scheme.predikat) != list(range(1, len(scheme.predikat) + 1)):
            problems.append("matrix: predikat ranks must be 1..n")
        pairs = Counter((c.hasil_kerja, c.perilaku) for c in scheme.cells)
        for h in Expectation:
            for p in Expectation:
                if pairs[(h, p)] != 1:
                    problems.append(f"matrix: cell hasil {h.value} × perilaku {p.value} "
                                    f"defined {pairs[(h, p)]} times (need exactly 1)")
        problems += [f"matrix: cell refers to unknown predikat '{c.predikat}'"
                     for c in scheme.cells if c.predikat not in codes]
        if scheme.hasil_kerja_rating_bands:
            problems += band_coverage_problems(scheme.hasil_kerja_rating_bands, scheme.minimum,
                                               scheme.maximum, "hasil kerja rating bands")
            valid = {e.value for e in Expectation}
            problems += [f"hasil kerja rating band '{b.code}' is not an Expectation"
                         for b in scheme.hasil_kerja_rating_bands if b.code not in valid]
    return problems


def predikat_codes(rs: RuleSet) -> set[str]:
    if isinstance(rs.scheme, MatrixScheme):
        return {p.code for p in rs.scheme.predikat}
    if isinstance(rs.scheme, NumericScheme):
        return {b.code for b in rs.scheme.bands}
    return set()


def weight_problems(rs: RuleSet) -> list[str]:
    problems = []
    if rs.components:
        total = sum(c.weight for c in rs.components)
        if abs(total - 100) > WEIGHT_TOLERANCE:
            parts = ", ".join(f"{c.code} {c.weight:g}" for c in rs.components)
            problems.append(f"component weights sum to {total:g}, not 100 ({parts})")
        problems += [f"component '{c.code}' has a negative weight" for c in rs.components if c.weight < 0]
    if rs.rater_weights:
        total = sum(w for _, w in rs.rater_weights)
        if abs(total - 100) > WEIGHT_TOLERANCE:
            problems.append(f"rater weights sum to {total:g}, not 100")
    return problems


def shape_problems(value: Any, tp: Any, path: str) -> list[str]:
    """Where the types want a tuple, a list or a string is a fault: a rule set
    is immutable, and a snapshot (tuples) would no longer equal it."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return []
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        for option in options:
            kind = typing.get_origin(option) or option
            if isinstance(kind, type) and isinstance(value, kind):
                return shape_problems(value, option, path)
        return shape_problems(value, options[0], path) if len(options) == 1 else []
    if origin is tuple:
        if isinstance(value, list):
            return [f"{path}: a list where a tuple is needed; write (a, b, ...) — rule sets are immutable"]
        if isinstance(value, str):
            return [f"{path}: the string {value!r} where a tuple is needed; a one-element tuple needs "
                    f"a trailing comma: ({value!r},)"]
        if not isinstance(value, tuple):
            return []
        args = typing.get_args(tp)
        item_types = [args[0]] * len(value) if len(args) == 2 and args[1] is Ellipsis else list(args)
        return [p for i, (item, item_tp) in enumerate(zip(value, item_types, strict=False))
                for p in shape_problems(item, item_tp, f"{path}[{i}]")]
    if dataclasses.is_dataclass(tp) and dataclasses.is_dataclass(value) and not isinstance(value, type):
        hints = typing.get_type_hints(type(value))
        return [p for f in dataclasses.fields(value)
                for p in shape_problems(getattr(value, f.name), hints[f.name], _join(path, f.name))]
    return []


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def rule_set_problems(rs: RuleSet) -> list[str]:
    """Every fault found in ``rs``; empty when it is valid."""
    problems = shape_problems(rs, RuleSet, "")
    if problems:
        return problems  # the checks below assume the declared shapes
    if not CODE_RE.match(rs.code):
        problems.append(f"code '{rs.code}' must be 2–40 lowercase letters, digits or '-'")
    if not rs.version:
        problems.append("version is empty")
    for what, codes in (
        ("indicator", [i.code for i in rs.indicators]),
        ("behaviour", [b.code for b in rs.behaviours]),
        ("component", [c.code for c in rs.components]),
        ("training", [t.code for t in rs.training]),
        ("report format", [r.code for r in rs.report_formats]),
    ):
        dup = _duplicates(codes)
        if dup:
            problems.append(f"duplicate {what} codes: {', '.join(dup)}")
    for ind in rs.indicators:
        if ind.target is not None and ind.target.lower > ind.target.upper:
            problems.append(f"indicator '{ind.code}': target range lower > upper")
    if rs.achievement_curve is None:
        problems.append("no achievement curve")
    else:
        problems += curve_problems(rs.achievement_curve)
    problems += _scheme_problems(rs)
    problems += weight_problems(rs)
    if any(c.source is ComponentSource.PERILAKU for c in rs.components) and not rs.behaviours:
        problems.append("a perilaku component needs a behaviour catalogue")
    known = predikat_codes(rs)
    for quota in rs.distribution.quotas:
        if quota.organisation_predikat == "":
            problems.append("distribution quota without an organisation predikat")
        for rule in quota.rules:
            problems += [f"distribution quota refers to unknown predikat '{p}'"
                         for p in rule.predikat if p not in known]
            for share in (rule.at_most, rule.at_least):
                if share is not None and not 0 <= share <= 1:
                    problems.append(f"distribution share {share} is not between 0 and 1")
    indicator_codes = {i.code for i in rs.indicators}
    behaviour_codes = {b.code for b in rs.behaviours}
    component_codes = {c.code for c in rs.components}
    for rule in rs.training:
        problems += [f"training '{rule.code}' refers to unknown indicator '{c}'"
                     for c in rule.indicators if c not in indicator_codes]
        problems += [f"training '{rule.code}' refers to unknown behaviour '{c}'"
                     for c in rule.behaviours if c not in behaviour_codes]
        problems += [f"training '{rule.code}' refers to unknown component '{c}'"
                     for c in rule.components if c not in component_codes]
    if rs.objection_window_days <= 0:
        problems.append("objection window must be at least 1 day")
    for fmt in rs.report_formats:
        if not callable(fmt.render):
            problems.append(f"report format '{fmt.code}' has no render callable")
    problems += _settings_problems(rs)
    return problems


def _settings_problems(rs: RuleSet) -> list[str]:
    if rs.settings_schema is None:
        return []
    if not (isinstance(rs.settings_schema, type) and issubclass(rs.settings_schema, Schema)):
        return ["settings_schema must be a marshmallow Schema class"]
    problems = default_problems(rs)
    if problems:
        return problems
    try:
        effective_settings(rs, {})
    except (ValidationError, ValueError) as exc:
        return [f"the settings defaults are invalid: {exc}"]
    return []
