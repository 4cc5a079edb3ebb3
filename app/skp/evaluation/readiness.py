"""May an evaluation be finalised now? Its blockers and warnings, listed before the button.

An evaluation is not finalised on partial data (issue #9):

* every IKI of the period has a realisation, or the penilai recorded
  "tidak ada realisasi" for it (scored as 0 and shown as such);
* the period has ended, unless the rule set allows ``early_finalisation``;
* no evidence of the period awaits review when the rule set's
  ``pending_evidence`` policy is ``block`` (``warn``: a warning instead);
* a held evaluation meeting of the employee's unit for the period, when the
  rule set's ``evaluation_meeting_required`` says so (``app.meetings.rules``);
* the result is complete and the region's own blockers are cleared.

The same list is shown on the evaluation page and checked by ``finalise``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.meetings.rules import required_meeting_blocker
from app.regions.manager import RuleSetRuntime
from app.regions.types import PendingEvidencePolicy
from app.skp.evaluation.models import Evaluation
from app.skp.evaluation.outcome import EvaluationOutcome
from app.skp.planning.models import PlanIndicator, PlanResult
from app.skp.realisation.models import Evidence, EvidenceReview, Realisation


@dataclass(frozen=True)
class Readiness:
    blockers: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        return not self.blockers


def _unreported(outcome: EvaluationOutcome) -> list[str]:
    """IKIs of the period without a realisation (and without "tidak ada realisasi")."""
    unit = outcome.inputs.unit_achievement
    if unit is not None and unit.capaian is not None:
        return []  # a unit head's hasil kerja follows the unit, not their own IKIs
    return [row.name for row in outcome.inputs.indicators if row.realisation is None]


def pending_evidence(evaluation: Evaluation) -> int:
    """Evidence of the evaluated period (every sub-period for the year) awaiting review."""
    period = evaluation.period
    period_ids = [period.id, *(p.id for p in period.children)] if evaluation.period_id == evaluation.plan.period_id \
        else [period.id]
    return db.session.scalar(
        select(func.count(Evidence.id))
        .join(Realisation, Evidence.realisation_id == Realisation.id)
        .join(PlanIndicator, Realisation.indicator_id == PlanIndicator.id)
        .join(PlanResult, PlanIndicator.result_id == PlanResult.id)
        .where(PlanResult.plan_id == evaluation.plan_id, Realisation.period_id.in_(period_ids),
               Evidence.review == EvidenceReview.PENDING)) or 0


def readiness(evaluation: Evaluation, outcome: EvaluationOutcome, rt: RuleSetRuntime, today: date) -> Readiness:
    """Everything that stands between this draft and finalising it, in the user's language."""
    rules = rt.rule_set
    blockers: list[str] = []
    warnings: list[str] = []
    if not rules.early_finalisation and today <= evaluation.period.ends_on:
        blockers.append(_("Periode %(period)s belum berakhir (berakhir %(end)s); aturan instansi tidak "
                          "mengizinkan finalisasi sebelum periode berakhir.",
                          period=evaluation.period.label, end=evaluation.period.ends_on.strftime("%d-%m-%Y")))
    if outcome.kind != "annual":
        for name in _unreported(outcome):
            blockers.append(_("IKI \u201c%(iki)s\u201d belum memiliki realisasi: tunggu pegawai mengisinya, "
                              "atau catat \u201ctidak ada realisasi\u201d (dihitung 0).", iki=name))
    waiting = pending_evidence(evaluation)
    if waiting:
        message = _("%(n)d bukti dukung belum diperiksa.", n=waiting)
        if rules.pending_evidence is PendingEvidencePolicy.BLOCK:
            blockers.append(message + " " + _("Periksa dulu bukti dukungnya pada halaman realisasi."))
        else:
            warnings.append(message)
    meeting = required_meeting_blocker(rules.evaluation_meeting_required, evaluation.plan.employee,
                                       evaluation.period)
    if meeting is not None:
        blockers.append(meeting)
    if outcome.error:
        blockers.append(_("Hasil belum lengkap: %(error)s", error=outcome.error))
    blockers.extend(b for b in outcome.blockers if b not in blockers)
    return Readiness(tuple(blockers), tuple(warnings))
