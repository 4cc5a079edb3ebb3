"""Region plugin: Salor. (Metadata only so far; the rules come with the
region plugin API, issue #3.)"""

from app.regions.hookspecs import hookimpl
from app.regions.types import PeriodScheme, RuleSet

RULE_SET = RuleSet(
    code="salor",
    name="Salor",
    version="0.1.0",
    period_scheme=PeriodScheme.QUARTERLY,
)


@hookimpl
def kinerja_rule_sets() -> list[RuleSet]:
    return [RULE_SET]
