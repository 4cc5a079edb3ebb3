"""The national baseline (PermenPANRB 6/2022), registered like any region."""

from app.regions.hookspecs import hookimpl
from app.regions.types import PeriodScheme, RuleSet

RULE_SET = RuleSet(
    code="nasional",
    name="Nasional (PermenPANRB 6/2022)",
    version="0.1.0",
    period_scheme=PeriodScheme.QUARTERLY,
)


@hookimpl
def kinerja_rule_sets() -> list[RuleSet]:
    return [RULE_SET]
