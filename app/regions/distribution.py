"""The distribution curve (kurva distribusi): does a unit's spread of predikat
fit the quotas that follow from the unit's own organisation predikat?

Shares are turned into head counts by the policy's ``rounding`` (small units
are undefined nationally): ``LENIENT`` rounds maxima up and minima down,
``STRICT`` the opposite.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.regions.snapshot import as_rule_set, jsonable
from app.regions.types import DistributionMode, QuotaRule, RuleSet, SmallUnitRounding


@dataclass(frozen=True)
class QuotaViolation:
    predikat: tuple[str, ...]
    actual: int
    allowed: str
    message: str


@dataclass(frozen=True)
class DistributionCheck:
    rule_set_code: str
    rule_set_version: str
    mode: str
    organisation_predikat: str
    counts: dict[str, int]
    violations: tuple[QuotaViolation, ...]
    steps: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def blocks(self) -> bool:
        """True when the violations must stop the results being finalised."""
        return bool(self.violations) and self.mode == DistributionMode.BLOCK.value

    def explain(self) -> str:
        return "\n".join(self.steps)

    def to_dict(self) -> dict[str, Any]:
        return jsonable(self)


def _count(share: float, n: int, round_up: bool) -> int:
    exact = round(share * n, 9)  # 0.7 × 10 is 7.000000000000001 in floating point
    return math.ceil(exact) if round_up else math.floor(exact)


def _predikat_labels(rs: RuleSet) -> dict[str, str]:
    """Code → label ("butuh_perbaikan" → "Butuh Perbaikan") for messages people read."""
    scheme = rs.scheme
    entries = getattr(scheme, "predikat", None) or getattr(scheme, "bands", None) or ()
    return {entry.code: entry.label for entry in entries}


def _check_rule(rule: QuotaRule, counts: Counter, n: int, rounding: SmallUnitRounding,
                steps: list[str], labels: Mapping[str, str]) -> list[QuotaViolation]:
    actual = sum(counts[p] for p in rule.predikat)
    names = "/".join(labels.get(code, code) for code in rule.predikat)
    lenient = rounding is SmallUnitRounding.LENIENT
    problems = []
    if rule.at_most is not None:
        limit = _count(rule.at_most, n, round_up=lenient)
        steps.append(f"{names}: {actual} dari {n}, paling banyak {rule.at_most:.0%} → {limit} orang")
        if actual > limit:
            problems.append(QuotaViolation(rule.predikat, actual, f"<= {limit}",
                                           f"{names} paling banyak {limit} orang ({rule.at_most:.0%}), ada {actual}."))
    if rule.at_least is not None:
        need = _count(rule.at_least, n, round_up=not lenient)
        steps.append(f"{names}: {actual} dari {n}, paling sedikit {rule.at_least:.0%} → {need} orang")
        if actual < need:
            problems.append(QuotaViolation(rule.predikat, actual, f">= {need}",
                                           f"{names} paling sedikit {need} orang ({rule.at_least:.0%}), ada {actual}."))
    if rule.at_least_count is not None:
        steps.append(f"{names}: {actual}, paling sedikit {rule.at_least_count} orang")
        if actual < rule.at_least_count:
            problems.append(QuotaViolation(rule.predikat, actual, f">= {rule.at_least_count}",
                                           f"{names} paling sedikit {rule.at_least_count} orang, ada {actual}."))
    return problems


def check_distribution(
    rule_set: RuleSet | Mapping[str, Any],
    organisation_predikat: str,
    employee_predikat: Sequence[str],
) -> DistributionCheck:
    """Check one unit: its organisation predikat and its employees' predikat codes."""
    rs = as_rule_set(rule_set)
    policy = rs.distribution
    counts = Counter(employee_predikat)
    steps = [f"rule set {rs.code} {rs.version}: kurva distribusi {policy.mode.value}, "
             f"unit {organisation_predikat}, {len(employee_predikat)} pegawai"]
    violations: list[QuotaViolation] = []
    if policy.mode is DistributionMode.OFF:
        steps.append("kurva distribusi tidak diterapkan")
    else:
        quota = next((q for q in policy.quotas if q.organisation_predikat == organisation_predikat), None)
        if quota is None:
            steps.append(f"tidak ada kuota untuk predikat organisasi {organisation_predikat}")
        else:
            for rule in quota.rules:
                violations += _check_rule(rule, counts, len(employee_predikat), policy.rounding, steps,
                                          _predikat_labels(rs))
    return DistributionCheck(rs.code, rs.version, policy.mode.value, organisation_predikat,
                             dict(counts), tuple(violations), tuple(steps))
