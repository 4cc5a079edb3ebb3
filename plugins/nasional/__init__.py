"""The national baseline (PermenPANRB 6/2022), registered like any region.

The ``nasional`` rule set is for a Pemda that follows the national rules as
they are (predikat matrix, quarterly periods, distribution curve on ``warn``,
14-day objection window). The building blocks it is made of — and that
regional plugins compose — are part of the public plugin API
(``app.regions.api``: ``BERAKHLAK``, ``PERMENPANRB_8_2021_CURVE``,
``MATRIX_6_2022``, ``DISTRIBUTION_WARN``, ``PP30_SCHEME``, ``PP46_SCHEME``,
``baseline_rule_set()``, ``pp30_rule_set()``, ``standard_report_formats()``, …).
"""

from __future__ import annotations

from app.regions.api import RuleSet, baseline_rule_set, hookimpl

KINERJA_API = ">=1.0,<2"  # the plugin API versions this plugin works with (docs/plugins.md)

__all__ = ["RULE_SET", "kinerja_rule_sets"]

RULE_SET = baseline_rule_set(
    code="nasional",
    name="Nasional (PermenPANRB 6/2022)",
    version="1.0.0",
)


@hookimpl
def kinerja_rule_sets() -> list[RuleSet]:
    return [RULE_SET]
