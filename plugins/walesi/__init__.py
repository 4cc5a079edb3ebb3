"""Region plugin: Walesi. (Metadata only so far; the rules come with the
region plugin API, issue #3.)"""

from app.regions.hookspecs import hookimpl
from app.regions.types import PeriodScheme, RuleSet

RULE_SET = RuleSet(
    code="walesi",
    name="Walesi",
    version="0.1.0",
    period_scheme=PeriodScheme.SEMESTER,
)


@hookimpl
def kinerja_rule_sets() -> list[RuleSet]:
    return [RULE_SET]
