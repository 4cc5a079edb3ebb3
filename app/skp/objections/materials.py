"""What the atasan weighs when deciding an objection ("Bahan pertimbangan"):
the evaluation, the plan's realisations (each with its evidence) for the
objected period, and the dialog kinerja of the plan — one click away on the
objection page.

Only pages the user may open are offered: each one's own access rule is asked
(``can_view_evaluation``, ``can_view_plan`` for the realisation pages,
``can_read_feedback``). The atasan pejabat penilai passes all of them (they see
the plan they decide on); the pegawai too; the admin sees all but the dialog,
which stays between the pegawai, the penilai and the atasan. The views build
the links from these ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.auth.models import User
from app.skp.evaluation.access import can_view_evaluation
from app.skp.feedback.access import can_read_feedback
from app.skp.objections.models import Objection
from app.skp.planning.access import can_view_plan
from app.skp.realisation import services as realisation
from app.tenancy import tenant_rules


@dataclass(frozen=True)
class RealisationCell:
    """One IKI in one sub-period of the objected period."""

    indicator_id: int
    indicator_name: str
    period_id: int
    period_label: str
    value: float | None
    unit: str
    evidence_count: int
    pending_count: int


@dataclass
class Materials:
    plan_id: int
    evaluation_id: int | None = None  # set when the user may open the page
    realisations: bool = False
    dialog: bool = False
    cells: list[RealisationCell] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return self.evaluation_id is not None or self.realisations or self.dialog


def materials(user: User, objection: Objection) -> Materials:
    evaluation = objection.evaluation
    plan = evaluation.plan
    out = Materials(plan_id=plan.id)
    if can_view_evaluation(user, evaluation):
        out.evaluation_id = evaluation.id
    if can_read_feedback(user, plan):
        out.dialog = True
    if can_view_plan(user, plan):
        out.realisations = True
        grid = realisation.grid(plan, tenant_rules())
        # The objected period: one sub-period, or the whole year (all its sub-periods).
        periods = [p for p in grid.periods if evaluation.period_id in (p.id, p.parent_id)]
        for result in grid.results:
            for indicator in result.indicators:
                for period in periods:
                    cell = grid.cell(indicator.id, period.id)
                    out.cells.append(RealisationCell(
                        indicator.id, indicator.name, period.id, period.label,
                        cell.realisation.value if cell.realisation is not None else None, indicator.unit or "",
                        cell.evidence_count, cell.pending_count))
    return out
