"""The evaluation's life: start, rate, finalise, re-apply the rules.

An ``Evaluation`` belongs to one plan (SKP) and one period — a sub-period of
the plan's year or the year itself. While it is a draft it is recomputed from
its inputs on every change (``app.skp.evaluation.compute``); finalising
freezes it with the snapshot of the rule set that produced it, and from then
on nothing recomputes it. Finalising announces ``evaluation_finalised``; the
follow-up stages (training) subscribe to it.

Services raise the ``app.errors`` family. Nothing here commits; the caller
owns the transaction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.errors import Forbidden, Invalid, Stale
from app.extensions import db
from app.notifications import notify
from app.periods.models import Period
from app.regions.manager import RuleSetRuntime
from app.regions.types import Expectation
from app.settings.services import rules_for_period
from app.skp.evaluation.access import can_rate, can_reapply_rules, can_start_evaluation
from app.skp.evaluation.compute import Computed, compute, current_outcome, preview, recompute
from app.skp.evaluation.entries import RatingData, audit_view, entries_of, record, store_entries
from app.skp.evaluation.events import evaluation_finalised
from app.skp.evaluation.inputs import build_input
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.evaluation.outcome import EvaluationOutcome, standing_period_result
from app.skp.evaluation.peers import my_peer_scores, peer_requests, submit_peer_ratings
from app.skp.evaluation.readiness import Readiness, readiness
from app.skp.evaluation.scheme import (
    behaviour_codes,
    input_components,
    is_matrix,
    max_additional_points,
    maximum_score,
    uses_360,
)
from app.skp.evaluation.staleness import loading
from app.skp.evaluation.unit import unit_spread
from app.skp.planning.access import is_owner, penilai_of
from app.skp.planning.models import Plan, PlanStatus
from app.tenancy import tenant_rules, tenant_today, utc_now  # noqa: F401 - tenant_rules: callers reach it here
from app.webhooks import services as webhooks

# The stage's public surface (the demo and the views call these).
__all__ = [
    "RatingData", "behaviour_codes", "build_input", "current_outcome", "finalise", "finalise_readiness",
    "get_or_start", "record_no_realisation",
    "input_components", "is_matrix", "load", "my_peer_scores", "peer_requests", "preview", "reapply_rules",
    "recompute", "save_ratings", "submit_peer_ratings", "uses_360",
]


def load(evaluation_id: int) -> Evaluation | None:
    """An evaluation with its plan, IKIs and realisations (tenant-scoped: another tenant's is None)."""
    return db.session.scalar(select(Evaluation).where(Evaluation.id == evaluation_id).options(*loading()))


def _check_version(evaluation: Evaluation, version: int | None) -> None:
    if version is not None and evaluation.version != version:
        raise Stale(_("Penilaian ini sudah diubah orang lain sejak formulir dibuka. Isian Anda masih di formulir: "
                      "periksa hasil terbaru, lalu simpan lagi."))


# --- starting ---------------------------------------------------------------------------

def get_or_start(user: User, plan: Plan, period: Period) -> Evaluation:
    """The evaluation of ``plan`` for ``period``; the penilai opens a draft when there is none."""
    # Access first: whether an evaluation exists is no business of someone who may not start one.
    if not can_start_evaluation(user, plan):
        if plan.status is not PlanStatus.AGREED:
            raise Forbidden(_("SKP ini belum disetujui, jadi belum dapat dinilai."))
        raise Forbidden(_("Hanya pejabat penilai pegawai ini yang dapat memulai penilaian."))
    if period.id != plan.period_id and period.parent_id != plan.period_id:
        raise Invalid(_("Periode %(period)s bukan bagian dari tahun SKP ini.", period=period.label))
    existing = db.session.scalar(
        select(Evaluation).where(Evaluation.plan_id == plan.id, Evaluation.period_id == period.id))
    if existing is not None:
        return existing
    penilai = penilai_of(plan)
    evaluation = Evaluation(plan=plan, period=period, evaluator_id=penilai.id if penilai else None, inputs={})
    db.session.add(evaluation)
    db.session.flush()
    recompute(evaluation)
    record("evaluation.create", evaluation, None)
    return evaluation


# --- rating -----------------------------------------------------------------------------

def require_rater(user: User, evaluation: Evaluation) -> None:
    """Only the penilai rates or finalises, only a draft, never their own plan."""
    if evaluation.status is EvaluationStatus.FINAL:
        raise Forbidden(_("Penilaian ini sudah final dan tidak dapat diubah."))
    if is_owner(user, evaluation.plan):
        raise Forbidden(_("Anda tidak dapat menilai SKP Anda sendiri."))
    if not can_rate(user, evaluation):
        raise Forbidden(_("Hanya pejabat penilai pegawai ini yang dapat menilai."))


def _checked_scores(values: dict[str, float | None], known: set[str], maximum: float,
                    unknown: Callable[[str], str], out_of_range: str) -> dict[str, float]:
    """The entered scores that are set, each known and within 0..maximum."""
    scores = {}
    for code, value in values.items():
        if code not in known:
            raise Invalid(unknown(code))
        if value is not None:
            if not 0 <= value <= maximum:
                raise Invalid(out_of_range)
            scores[code] = float(value)
    return scores


def _clean_entries(evaluation: Evaluation, data: RatingData, rt: RuleSetRuntime) -> RatingData:
    allowed_ratings = {e.value for e in Expectation}
    for name in ("hasil_kerja_rating", "perilaku_rating"):
        value = getattr(data, name)
        if value and value not in allowed_ratings:
            raise Invalid(_("Pilihan penilaian tidak dikenal."), name)
    maximum = maximum_score(rt)
    scores = _checked_scores(
        data.behaviour_scores, {c for c, _n in behaviour_codes(evaluation, rt)}, maximum,
        lambda code: _("Perilaku %(code)s tidak ada di SKP ini.", code=code),
        _("Nilai perilaku harus antara 0 dan %(max)g.", max=maximum))
    components = _checked_scores(
        data.components, {c for c, _n in input_components(rt)}, maximum,
        lambda code: _("Komponen %(code)s tidak ada di aturan daerah ini.", code=code),
        _("Nilai komponen harus antara 0 dan %(max)g.", max=maximum))
    extra_max = max_additional_points(rt)
    if not 0 <= (data.additional_points or 0) <= extra_max:
        raise Invalid(_("Nilai tugas tambahan paling banyak %(max)g.", max=extra_max), "additional_points")
    return RatingData(
        hasil_kerja_rating=data.hasil_kerja_rating or None, perilaku_rating=data.perilaku_rating or None,
        behaviour_scores=scores, components=components, has_innovation=bool(data.has_innovation),
        additional_points=float(data.additional_points or 0), note=(data.note or "").strip() or None,
        organisation_predikat=entries_of(evaluation).organisation_predikat,
        no_realisation=entries_of(evaluation).no_realisation)


def save_ratings(user: User, evaluation: Evaluation, data: RatingData, version: int | None) -> None:
    """The penilai saves ratings: the draft is recomputed and the change audited."""
    require_rater(user, evaluation)
    _check_version(evaluation, version)
    rt = rules_for_period(evaluation.period)
    before = audit_view(evaluation)
    store_entries(evaluation, _clean_entries(evaluation, data, rt))
    recompute(evaluation, rt)
    record("evaluation.rate", evaluation, before)


# --- finalising ---------------------------------------------------------------------------

def _distribution_warnings(evaluation: Evaluation, computed: Computed) -> list[str]:
    """The unit's curve: refused on ``block``, warnings on ``warn``."""
    employee = evaluation.plan.employee
    if employee.position is None:
        return []
    spread = unit_spread(employee.position.unit, evaluation.period, entries_of(evaluation).organisation_predikat)
    if computed.runtime.rule_set.distribution.mode.value == "block" and not spread.organisation_predikat_set:
        raise Invalid(_("Tetapkan dulu predikat organisasi unit %(unit)s pada halaman distribusi.",
                        unit=spread.unit.name))
    check = spread.check
    if check is not None and check.blocks:
        raise Invalid(_("Distribusi predikat unit %(unit)s melanggar kurva: %(why)s",
                        unit=spread.unit.name, why=" ".join(v.message for v in check.violations)))
    return [v.message for v in check.violations] if check is not None else []


def finalise_readiness(evaluation: Evaluation, today: date | None = None, outcome: EvaluationOutcome | None = None,
                       rt: RuleSetRuntime | None = None) -> Readiness:
    """What stands between a draft and finalising it (shown before the button): from
    ``outcome`` and ``rt`` when the page has them (``current_outcome``), else computed."""
    if outcome is None or rt is None:
        computed = compute(evaluation)
        outcome, rt = computed.outcome, computed.runtime
    return readiness(evaluation, outcome, rt, today or tenant_today())


def finalise(user: User, evaluation: Evaluation, version: int | None, today: date | None = None) -> list[str]:
    """Freeze the evaluation: status FINAL with the rule-set snapshot; the objection window starts.

    Refused while any blocker stands (``app.skp.evaluation.readiness``: an IKI
    without realisation, a period not ended, evidence awaiting review on
    ``block``, an incomplete result, the region's blockers) or the unit's
    distribution breaks a curve on ``block``. Returns the warnings to show.
    """
    require_rater(user, evaluation)
    _check_version(evaluation, version)
    before = audit_view(evaluation)
    computed = recompute(evaluation)
    outcome = computed.outcome
    ready = readiness(evaluation, outcome, computed.runtime, today or tenant_today())
    if not ready.ready:
        raise Invalid(_("Belum dapat difinalkan: %(why)s", why=" ".join(ready.blockers)))
    warnings = list(ready.warnings) + [_("Peringatan kurva distribusi: %(w)s", w=w)
                                       for w in _distribution_warnings(evaluation, computed)]
    run = computed.runtime
    evaluation.status = EvaluationStatus.FINAL
    evaluation.snapshot = run.snapshot()
    evaluation.rule_set_code = run.rule_set.code
    evaluation.rule_set_version = run.rule_set.version
    evaluation.finalised_at = utc_now()
    evaluation.finalised_by_id = user.id
    evaluation.delivered_on = today or tenant_today()
    record("evaluation.finalise", evaluation, before, reason="; ".join(warnings) if warnings else None)
    notify("evaluation.final",
           lambda: _("Penilaian kinerja %(period)s Anda telah final: %(predikat)s.",
                     period=evaluation.period.label, predikat=evaluation.predikat_label or "-"),
           employees=[evaluation.plan.employee_id], about=("evaluation", evaluation.id))
    evaluation_finalised.send(evaluation, result=standing_period_result(evaluation, outcome),
                              evaluation_input=computed.prepared.input)
    webhooks.emit("evaluation.finalised", {
        "evaluation_id": evaluation.id, "plan_id": evaluation.plan_id, "employee_id": evaluation.plan.employee_id,
        "period_id": evaluation.period_id, "predikat_code": evaluation.predikat_code,
        "rule_set_code": evaluation.rule_set_code, "rule_set_version": evaluation.rule_set_version})
    return warnings


def record_no_realisation(user: User, evaluation: Evaluation, plan_indicator_id: int, none: bool) -> None:
    """The penilai records (or withdraws) "tidak ada realisasi" for one IKI of the plan:
    it then counts as a realisation of 0 and is shown as such."""
    require_rater(user, evaluation)
    ids = {ind.id for result in evaluation.plan.results for ind in result.indicators}
    if plan_indicator_id not in ids:
        raise Invalid(_("IKI ini tidak ada di SKP yang dinilai."))
    entries = entries_of(evaluation)
    marked = set(entries.no_realisation)
    marked = marked | {plan_indicator_id} if none else marked - {plan_indicator_id}
    before = audit_view(evaluation)
    store_entries(evaluation, dataclasses.replace(entries, no_realisation=sorted(marked)))
    recompute(evaluation)
    record("evaluation.no_realisation", evaluation, before)


# --- re-applying the rules -------------------------------------------------------------------

def reapply_rules(user: User, period: Period, reason: str | None = None) -> list[tuple[Evaluation, dict, dict]]:
    """"Terapkan ulang aturan": recompute every draft evaluation of the period with the
    rule set as installed now and the settings in force on the period's first day, each recorded before → after. Final ones are never touched."""
    if not can_reapply_rules(user):
        raise Forbidden(_("Hanya admin instansi yang dapat menerapkan ulang aturan."))
    rt = rules_for_period(period)  # the settings version in force on the period's first day
    drafts = db.session.scalars(
        select(Evaluation).where(Evaluation.period_id == period.id, Evaluation.status == EvaluationStatus.DRAFT)
        .options(joinedload(Evaluation.plan).joinedload(Plan.employee), joinedload(Evaluation.period))
        .order_by(Evaluation.id)).unique().all()
    why = reason or _("Terapkan ulang aturan %(code)s %(version)s", code=rt.rule_set.code,
                      version=rt.rule_set.version)
    changes = []
    for evaluation in drafts:
        before = audit_view(evaluation)
        recompute(evaluation, rt)
        after = audit_view(evaluation)
        record("evaluation.reapply", evaluation, before, reason=why, skip_unchanged=False, after=after)
        changes.append((evaluation, before, after))
    return changes
