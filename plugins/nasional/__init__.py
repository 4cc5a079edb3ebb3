"""The national baseline (PermenPANRB 6/2022), registered like any region.

Two things live here:

* the ``nasional`` rule set, for a Pemda that follows the national rules as
  they are (predikat matrix, quarterly periods, distribution curve on
  ``warn``, 14-day objection window);
* the building blocks regional plugins compose (``plugins.nasional.baseline``):
  ``BERAKHLAK``, ``PERMENPANRB_8_2021_CURVE``, ``MATRIX_6_2022``,
  ``DISTRIBUTION_WARN``, ``PP30_SCHEME``/``PP30_COMPONENTS_70_30``/``_60_40``,
  ``PP46_SCHEME``, ``baseline_rule_set()``, ``pp30_rule_set()``,
  ``standard_report_formats()``.
"""

from __future__ import annotations

from app.regions.hookspecs import hookimpl
from app.regions.types import RuleSet
from plugins.nasional.baseline import (
    BERAKHLAK,
    DISTRIBUTION_WARN,
    MATRIX_6_2022,
    PERMENPANRB_8_2021_CURVE,
    PP30_COMPONENTS_60_40,
    PP30_COMPONENTS_70_30,
    PP30_SCHEME,
    PP46_COMPONENTS,
    PP46_CURVE,
    PP46_SCHEME,
    baseline_rule_set,
    pp30_rule_set,
    standard_report_formats,
)

__all__ = [
    "BERAKHLAK",
    "DISTRIBUTION_WARN",
    "MATRIX_6_2022",
    "PERMENPANRB_8_2021_CURVE",
    "PP30_COMPONENTS_60_40",
    "PP30_COMPONENTS_70_30",
    "PP30_SCHEME",
    "PP46_COMPONENTS",
    "PP46_CURVE",
    "PP46_SCHEME",
    "RULE_SET",
    "baseline_rule_set",
    "pp30_rule_set",
    "standard_report_formats",
]

RULE_SET = baseline_rule_set(
    code="nasional",
    name="Nasional (PermenPANRB 6/2022)",
    version="1.0.0",
)


@hookimpl
def kinerja_rule_sets() -> list[RuleSet]:
    return [RULE_SET]
