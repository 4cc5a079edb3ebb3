"""Evaluating a plan for a period: inputs, computation, distribution check,
finalising and re-applying the rules.

An ``Evaluation`` belongs to one plan (SKP) and one period — a sub-period of
the plan's year or the year itself. While it is a draft it is recomputed from
its inputs on every change; finalising freezes it with the snapshot of the
rule set that produced it, and from then on nothing here recomputes it.

What a computation is made of (``build_input``):

* **Indicators** (IKI). Targets in the SKP are annual. For a sub-period an
  IKI's realisation is the one recorded for that sub-period. IKIs that
  *accumulate* — aspect kuantitas or biaya with a unit other than "%" — are
  measured against the annual target divided by the number of sub-periods
  of the year; every other IKI (kualitas, waktu, percentages) against the
  annual target as it is. For the YEAR, accumulating IKIs use the **sum** of
  the recorded sub-period realisations against the annual target; the others
  the **mean** of the recorded ones. IKIs from the region's library keep
  their library code (plugins recognise them); the pegawai's own IKIs are
  scored as ``IKI-<id>`` with the direction and unit written in the plan,
  added to the rule set the evaluation is computed (and snapshotted) with.
* **The penilai's inputs** (``Evaluation.inputs``): hasil kerja / perilaku
  ratings (matrix schemes), behaviour scores (numeric schemes), values of
  the rule set's ``INPUT`` components (e.g. discipline), innovation,
  additional work points, the unit's organisation predikat, a note.
* **360°**: ``PeerRating`` rows of peers (rekan) and subordinates (bawahan),
  used when the rule set has rater weights.
* **Feedback sessions** of the plan in the period (all of them for the year).
* **The unit's IKM and complaints** about the employee, from ``app.publik``.
* **Training**: JP of the employee's completed training records of the year
  (the requirement is annual).
* **A unit head** (the holder of the unit's top structural position: one
  that reports to no position inside the same unit) whose rule set says
  ``unit_head_follows_unit_achievement``: hasil kerja follows the unit's
  achievement — the mean, over the unit's other employees' evaluations for
  the same period (draft or final, with at least one scored IKI), of each
  evaluation's mean capaian. It replaces the head's own IKIs by one
  "capaian unit" indicator (target 100%), so the curve, the bands and the
  matrix apply to it as to any IKI; without such evaluations the head's own
  IKIs count and the explanation says so.

The YEAR of a plan whose year has sub-periods takes its predikat and score
from the rule set's ``annual_result`` over the **final** periodic
evaluations; the year's own aggregated achievement is computed alongside for
reference. A year without sub-periods is computed like a period.

Nothing here commits; the caller owns the transaction.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import mean
from typing import Any

from flask import g
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app import audit
from app.auth.models import User
from app.extensions import db
from app.notifications import notify
from app.org.hierarchy import direct_reports, positions_led_by, supervisor_of
from app.org.models import Employee, Position, Unit
from app.org.services import StaleEdit, check_version
from app.periods.models import Period
from app.regions.achievement import Achievement
from app.regions.distribution import DistributionCheck
from app.regions.errors import PluginRuntimeError
from app.regions.inputs import (
    BehaviourAssessment,
    ComponentValue,
    EvaluationInput,
    IndicatorRealisation,
    TrainingParticipation,
)
from app.regions.inputs import FeedbackSession as FeedbackInput
from app.regions.manager import RuleSetRuntime, regions
from app.regions.scoring import ComponentScore, PeriodResult, ScoringInputError
from app.regions.types import (
    Aspect,
    ComponentSource,
    Direction,
    Expectation,
    Indicator,
    MatrixScheme,
    NumericScheme,
    Rater,
    Target,
)
from app.skp.evaluation.access import can_rate, can_reapply_rules, can_start_evaluation, peer_role
from app.skp.evaluation.models import Evaluation, EvaluationStatus, PeerRating
from app.skp.feedback.models import FeedbackSession
from app.skp.planning.access import is_owner, is_penilai, penilai_of
from app.skp.planning.indicators import accumulates
from app.skp.planning.models import Plan, PlanIndicator, PlanResult, PlanStatus
from app.skp.training.models import TrainingRecord, TrainingStatus
from app.skp.training.services import recommend_training
from app.tenancy import current_tenant_id
from app.tenancy.models import Tenant

__all__ = [
    "DEFAULT_ORGANISATION_PREDIKAT",
    "EvaluationError",
    "EvaluationForbidden",
    "RatingData",
    "StaleEdit",
    "UnitSpread",
    "build_input",
    "finalise",
    "get_or_start",
    "is_unit_head",
    "reapply_rules",
    "recompute",
    "save_ratings",
    "set_organisation_predikat",
    "submit_peer_ratings",
    "unit_spread",
]

# Organisation predikat when the rule set names no quotas (PermenPANRB 6/2022 [S]).
DEFAULT_ORGANISATION_PREDIKAT = ("istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
UNIT_ACHIEVEMENT_CODE = "CAPAIAN-UNIT"


class EvaluationError(ValueError):
    """A rule of the evaluation was broken; ``message`` is shown to the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class EvaluationForbidden(PermissionError):
    """The user may not do this (403); ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RatingData:
    """What the penilai enters on the rating form."""

    hasil_kerja_rating: str | None = None
    perilaku_rating: str | None = None
    behaviour_scores: dict[str, float] = field(default_factory=dict)
    components: dict[str, float] = field(default_factory=dict)
    has_innovation: bool = False
    additional_points: float = 0.0
    note: str | None = None


# --- the tenant's rules ------------------------------------------------------------------

def _tenant() -> Tenant:
    tenant = getattr(g, "tenant", None)
    if tenant is None or tenant.id != current_tenant_id():
        tenant = db.session.get(Tenant, current_tenant_id())
    return tenant


def runtime() -> RuleSetRuntime:
    """The current tenant's rules, as installed now."""
    return regions().for_tenant(_tenant())


def _with_indicators(rt: RuleSetRuntime, extra: list[Indicator]) -> RuleSetRuntime:
    """A runtime whose rule set also knows the plan's own IKIs (scored and snapshotted with it)."""
    if not extra:
        return rt
    augmented = RuleSetRuntime.__new__(RuleSetRuntime)
    augmented.__dict__.update(rt.__dict__)
    augmented.rule_set = dataclasses.replace(rt.rule_set, indicators=rt.rule_set.indicators + tuple(extra))
    return augmented


# --- loading ---------------------------------------------------------------------------

def load(evaluation_id: int) -> Evaluation | None:
    """An evaluation with its plan, IKIs and realisations (tenant-scoped: another tenant's is None)."""
    return db.session.scalar(
        select(Evaluation).where(Evaluation.id == evaluation_id).options(
            joinedload(Evaluation.period),
            joinedload(Evaluation.plan).joinedload(Plan.employee).joinedload(Employee.position)
            .joinedload(Position.unit),
            joinedload(Evaluation.plan).joinedload(Plan.period).selectinload(Period.children),
            joinedload(Evaluation.plan).selectinload(Plan.results).selectinload(PlanResult.indicators)
            .selectinload(PlanIndicator.realisations),
            joinedload(Evaluation.plan).selectinload(Plan.behaviours),
        )
    )


def _check_period(plan: Plan, period: Period) -> None:
    if period.id != plan.period_id and period.parent_id != plan.period_id:
        raise EvaluationError(_("Periode %(period)s bukan bagian dari tahun SKP ini.", period=period.label))


# --- building the input --------------------------------------------------------------------

_accumulates = accumulates


def _indicator_rows(evaluation: Evaluation, rt: RuleSetRuntime) -> tuple[list[dict], list[Indicator]]:
    """Every IKI of the plan with its target and realisation for the period, and
    the plan's own IKIs as rule-set indicators."""
    plan, period = evaluation.plan, evaluation.period
    year = plan.period
    subs = list(year.children)
    n = len(subs) or 1
    is_year = period.id == year.id
    rows: list[dict] = []
    extra: list[Indicator] = []
    for result in plan.results:
        for ind in result.indicators:
            library = rt.rule_set.indicator(ind.indicator_code) if ind.indicator_code else None
            code = library.code if library is not None else f"IKI-{ind.id}"
            if library is None:
                extra.append(Indicator(code, ind.name, ind.unit, Aspect(ind.aspect), Direction(ind.direction)))
            accumulates = _accumulates(ind.aspect, ind.unit)
            values = {r.period_id: r.value for r in ind.realisations if r.value is not None}
            row: dict[str, Any] = {
                "plan_indicator_id": ind.id, "code": code, "library": library is not None,
                "result": result.description, "result_kind": result.kind.value, "name": ind.name,
                "aspect": ind.aspect, "direction": (library.direction.value if library else ind.direction),
                "unit": ind.unit, "annual_target": str(Target(ind.target_lower, ind.target_upper)),
                "realisation": None, "target_lower": None, "target_upper": None, "how": "", "missing": None,
            }
            if is_year:
                recorded = [values[p.id] for p in subs if p.id in values]
                if year.id in values:
                    recorded.append(values[year.id])
                if recorded:
                    value = sum(recorded) if accumulates else mean(recorded)
                    row["realisation"] = round(value, 4)
                    parts = " + ".join(f"{v:g}" for v in recorded)
                    row["how"] = (_("jumlah realisasi periodik: %(parts)s", parts=parts) if accumulates
                                  else _("rata-rata realisasi periodik: (%(parts)s) / %(n)d", parts=parts,
                                         n=len(recorded)))
                lower, upper = ind.target_lower, ind.target_upper
            else:
                if period.id in values:
                    row["realisation"] = values[period.id]
                    row["how"] = _("realisasi %(period)s", period=period.label)
                if accumulates and subs:
                    lower, upper = ind.target_lower / n, ind.target_upper / n
                    row["how"] += "; " + _("target periode = target tahunan %(t)s / %(n)d periode",
                                           t=row["annual_target"], n=n)
                else:
                    lower, upper = ind.target_lower, ind.target_upper
            row["target_lower"], row["target_upper"] = round(lower, 4), round(upper, 4)
            if row["realisation"] is None:
                row["missing"] = _("belum ada realisasi")
            elif lower <= 0 or upper <= 0:
                row["missing"] = _("target 0 tidak dapat dihitung capaiannya")
            rows.append(row)
    return rows, extra


def _behaviour_codes(evaluation: Evaluation, rt: RuleSetRuntime) -> list[tuple[str, str]]:
    own = [(b.behaviour_code, b.name) for b in evaluation.plan.behaviours]
    return own or [(b.code, b.name) for b in rt.rule_set.behaviours]


def input_components(rt: RuleSetRuntime) -> list[tuple[str, str]]:
    """The components the penilai fills in (``ComponentSource.INPUT``)."""
    return [(c.code, c.name) for c in rt.rule_set.components if c.source is ComponentSource.INPUT]


def uses_360(rt: RuleSetRuntime) -> bool:
    return bool(rt.rule_set.rater_weights)


def is_matrix(rt: RuleSetRuntime) -> bool:
    return isinstance(rt.rule_set.scheme, MatrixScheme)


def _feedback_sessions(evaluation: Evaluation) -> list[FeedbackSession]:
    period, plan = evaluation.period, evaluation.plan
    query = select(FeedbackSession).where(FeedbackSession.plan_id == plan.id)
    if period.id != plan.period_id:
        query = query.where(
            (FeedbackSession.period_id == period.id)
            | (FeedbackSession.period_id.is_(None)
               & (FeedbackSession.held_on >= period.starts_on) & (FeedbackSession.held_on <= period.ends_on)))
    return list(db.session.scalars(query.order_by(FeedbackSession.held_on)))


def _training_hours(employee_id: int, year: int) -> tuple[float, int]:
    rows = db.session.scalars(
        select(TrainingRecord).options(joinedload(TrainingRecord.course))
        .where(TrainingRecord.employee_id == employee_id, TrainingRecord.year == year,
               TrainingRecord.status == TrainingStatus.COMPLETED)
    ).all()
    return float(sum(r.course.hours for r in rows if r.course is not None)), len(rows)


def _publik_figures(employee: Employee, period: Period):
    """The unit's IKM and the complaints about the employee in the period (app.publik)."""
    from app.publik.complaints import complaints_about
    from app.publik.periods import ReportingPeriod
    from app.publik.surveys import unit_satisfaction

    reporting = ReportingPeriod.of(period)
    unit = employee.position.unit if employee.position is not None else None
    satisfaction = unit_satisfaction(unit, reporting) if unit is not None else None
    return satisfaction, complaints_about(employee, reporting)


# --- unit heads ------------------------------------------------------------------------------

def is_unit_head(employee: Employee | None) -> bool:
    """Holds a structural position that reports to no position inside its own unit."""
    if employee is None or employee.position is None:
        return False
    position = employee.position
    if not position.kind.single_holder:
        return False
    return position.reports_to is None or position.reports_to.unit_id != position.unit_id


def unit_head_of(unit_id: int) -> Employee | None:
    heads = db.session.scalars(
        select(Employee).join(Position, Employee.position_id == Position.id)
        .options(joinedload(Employee.position).joinedload(Position.reports_to))
        .where(Position.unit_id == unit_id, Employee.active, Position.active)
        .order_by(Employee.id)
    ).all()
    return next((e for e in heads if is_unit_head(e)), None)


def _evaluation_capaian(result: dict[str, Any]) -> float | None:
    achievements = (result.get("period") or {}).get("achievements") or []
    values = [a["capaian"] for a in achievements]
    return round(mean(values), 2) if values else None


def unit_achievement(unit_id: int, period_id: int, exclude_employee_id: int) -> dict[str, Any]:
    """The unit's achievement for a period: mean of its other employees' evaluation capaian."""
    evaluations = _unit_evaluation_query(unit_id, period_id).where(Plan.employee_id != exclude_employee_id)
    members = []
    for ev in db.session.scalars(evaluations).unique():
        value = _evaluation_capaian(ev.result or {})
        if value is not None:
            members.append({"evaluation_id": ev.id, "employee": ev.plan.employee.name,
                            "status": ev.status.value, "capaian": value})
    value = round(mean(m["capaian"] for m in members), 2) if members else None
    return {"unit_id": unit_id, "members": members, "capaian": value}


# --- the input ------------------------------------------------------------------------------

@dataclass
class Prepared:
    """An evaluation's input and everything used to build it."""

    input: EvaluationInput
    runtime: RuleSetRuntime  # with the plan's own IKIs
    plain_runtime: RuleSetRuntime  # as installed (for the region's blockers)
    used: dict[str, Any]


def build_input(evaluation: Evaluation, rt: RuleSetRuntime | None = None) -> Prepared:
    """The ``EvaluationInput`` of an evaluation from the database and its stored inputs."""
    plain = rt or runtime()
    plan, period = evaluation.plan, evaluation.period
    employee = plan.employee
    data = evaluation.inputs or {}
    rows, extra = _indicator_rows(evaluation, plain)
    indicator_results = tuple(
        IndicatorRealisation(r["code"], Target(r["target_lower"], r["target_upper"]), float(r["realisation"]))
        for r in rows if r["missing"] is None
    )
    hasil_rating = data.get("hasil_kerja_rating") or None
    unit_info = None
    if (plain.rule_set.unit_head_follows_unit_achievement and is_unit_head(employee)):
        unit_info = unit_achievement(employee.position.unit_id, period.id, employee.id)
        unit_info["unit"] = employee.position.unit.name
        if unit_info["capaian"] is not None:
            extra.append(Indicator(UNIT_ACHIEVEMENT_CODE, _("Capaian unit %(unit)s", unit=unit_info["unit"]),
                                   "%", Aspect.KUANTITAS))
            indicator_results = (IndicatorRealisation(UNIT_ACHIEVEMENT_CODE, Target.point(100),
                                                      unit_info["capaian"]),)
            hasil_rating = None  # follows the unit: derived from the nilai, not rated
    behaviours: list[BehaviourAssessment] = []
    perilaku_rating = data.get("perilaku_rating") or None
    for code, score in (data.get("behaviour_scores") or {}).items():
        if score is not None:
            behaviours.append(BehaviourAssessment(code, Rater.ATASAN, score=float(score)))
    peers: list[dict] = []
    if uses_360(plain):
        for peer in db.session.scalars(
            select(PeerRating).where(PeerRating.evaluation_id == evaluation.id).order_by(PeerRating.id)
        ):
            if peer.score is not None:
                behaviours.append(BehaviourAssessment(peer.behaviour_code, Rater(peer.rater_role),
                                                      score=float(peer.score)))
                peers.append({"rater_id": peer.rater_id, "role": peer.rater_role,
                              "behaviour": peer.behaviour_code, "score": peer.score})
    components = tuple(ComponentValue(code, float(value))
                       for code, value in (data.get("components") or {}).items() if value is not None)
    sessions = _feedback_sessions(evaluation)
    hours, courses = _training_hours(employee.id, plan.period.year)
    satisfaction, complaints = _publik_figures(employee, period)
    evaluation_input = EvaluationInput(
        employee_ref=str(employee.id),
        period_label=period.label,
        indicator_results=indicator_results,
        behaviours=tuple(behaviours),
        component_values=components,
        hasil_kerja_rating=Expectation(hasil_rating) if hasil_rating else None,
        perilaku_rating=Expectation(perilaku_rating) if perilaku_rating else None,
        additional_points=float(data.get("additional_points") or 0),
        has_innovation=bool(data.get("has_innovation")),
        unit_satisfaction=satisfaction,
        training=TrainingParticipation(hours, courses),
        feedback_sessions=tuple(FeedbackInput(s.held_on, s.face_to_face, s.notes[:200]) for s in sessions),
        complaints=complaints,
    )
    used = {
        "indicators": rows,
        "unit_achievement": unit_info,
        "peer_ratings": peers,
        "feedback_sessions": [{"held_on": s.held_on.isoformat(), "face_to_face": s.face_to_face}
                              for s in sessions],
        "training_hours": hours,
        "unit_satisfaction": (None if satisfaction is None else
                              {"unit": satisfaction.unit_code, "ikm": satisfaction.ikm,
                               "respondents": satisfaction.respondents}),
        "complaints": [{"reference": c.reference, "substantiated": c.substantiated} for c in complaints],
    }
    return Prepared(evaluation_input, _with_indicators(plain, extra), plain, used)


# --- computing --------------------------------------------------------------------------------

def _period_result_from_dict(data: dict[str, Any]) -> PeriodResult:
    achievements = tuple(Achievement(**{**a, "steps": tuple(a["steps"])}) for a in data["achievements"])
    components = tuple(ComponentScore(**c) for c in data["components"])
    values = {f.name: data.get(f.name) for f in dataclasses.fields(PeriodResult)}
    values.update(achievements=achievements, components=components, steps=tuple(data["steps"]))
    return PeriodResult(**values)


def _decided_period_result(evaluation: Evaluation) -> PeriodResult:
    """A final periodic result as it stands: an objection decision may have
    changed its predikat (and score) after it was computed."""
    computed = _period_result_from_dict(evaluation.result["period"])
    return dataclasses.replace(
        computed,
        predikat_code=evaluation.predikat_code or computed.predikat_code,
        predikat_label=evaluation.predikat_label or computed.predikat_label,
        score=evaluation.score if evaluation.score is not None else computed.score,
    )


def _periodic_finals(plan: Plan) -> tuple[list[Evaluation], list[Period]]:
    subs = list(plan.period.children)
    finals = {e.period_id: e for e in db.session.scalars(
        select(Evaluation).where(Evaluation.plan_id == plan.id,
                                 Evaluation.period_id.in_([p.id for p in subs]),
                                 Evaluation.status == EvaluationStatus.FINAL))}
    return [finals[p.id] for p in subs if p.id in finals], [p for p in subs if p.id not in finals]


def _compute(evaluation: Evaluation, rt: RuleSetRuntime | None = None) -> tuple[dict[str, Any], RuleSetRuntime]:
    """The result JSON of a draft (nothing stored)."""
    prepared = build_input(evaluation, rt)
    run = prepared.runtime
    result: dict[str, Any] = {
        "kind": "period", "rule_set_code": run.rule_set.code, "rule_set_version": run.rule_set.version,
        "rule_set_name": run.rule_set.name, "scheme": getattr(run.rule_set.scheme, "kind", None),
        "computed_at": datetime.utcnow().replace(microsecond=0).isoformat(), "inputs": prepared.used,
        "period": None, "annual": None, "error": None, "blockers": [],
        "score": None, "predikat_code": None, "predikat_label": None,
    }
    plan = evaluation.plan
    year_with_subs = evaluation.period_id == plan.period_id and bool(plan.period.children)
    try:
        period_result = run.period_result(prepared.input)
        result["period"] = period_result.to_dict()
    except ScoringInputError as exc:
        period_result = None
        result["error"] = result["period_error"] = str(exc)
    if year_with_subs:
        result["kind"] = "annual"
        finals, missing = _periodic_finals(plan)
        result["blockers"] += [_("Penilaian %(period)s belum final.", period=p.label) for p in missing]
        result["periodic"] = [{"evaluation_id": e.id, "period": e.period.label, "predikat": e.predikat_label,
                               "score": e.score, "rule_set_version": e.rule_set_version} for e in finals]
        if finals:
            try:
                annual = run.annual_result([_decided_period_result(e) for e in finals],
                                           has_innovation=prepared.input.has_innovation)
                result["annual"] = annual.to_dict()
                result["error"] = None
                result.update(score=annual.score, predikat_code=annual.predikat_code,
                              predikat_label=annual.predikat_label)
            except ScoringInputError as exc:
                result["error"] = str(exc)
        else:
            result["error"] = _("Belum ada penilaian periodik yang final.")
    elif period_result is not None:
        result.update(score=period_result.score, predikat_code=period_result.predikat_code,
                      predikat_label=period_result.predikat_label)
    result["blockers"] += prepared.plain_runtime.evaluation_blockers(prepared.input)
    return result, run


def _store(evaluation: Evaluation, result: dict[str, Any]) -> None:
    evaluation.result = result
    evaluation.score = result["score"]
    evaluation.predikat_code = result["predikat_code"]
    evaluation.predikat_label = result["predikat_label"]
    evaluation.rule_set_code = result["rule_set_code"]
    evaluation.rule_set_version = result["rule_set_version"]


def recompute(evaluation: Evaluation, rt: RuleSetRuntime | None = None) -> RuleSetRuntime:
    """Recompute a draft with the current rules and store the result. Never a final one."""
    if evaluation.status is not EvaluationStatus.DRAFT:
        raise EvaluationError(_("Penilaian yang sudah final tidak dihitung ulang."))
    result, run = _compute(evaluation, rt)
    _store(evaluation, result)
    return run


def preview(evaluation: Evaluation) -> dict[str, Any]:
    """What a draft computes to right now (nothing stored); a final one's stored result."""
    if evaluation.status is EvaluationStatus.FINAL:
        return evaluation.result or {}
    return _compute(evaluation)[0]


def _audit_view(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "status": evaluation.status.value, "inputs": evaluation.inputs or {}, "score": evaluation.score,
        "predikat_code": evaluation.predikat_code, "rule_set_code": evaluation.rule_set_code,
        "rule_set_version": evaluation.rule_set_version,
    }


def _record(action: str, evaluation: Evaluation, before: dict | None, reason: str | None = None,
            skip_unchanged: bool = True, after: Any = None) -> None:
    audit.record(action, evaluation, before, after if after is not None else _audit_view(evaluation),
                 reason=reason, employee_id=evaluation.plan.employee_id, skip_unchanged=skip_unchanged)


# --- transitions ------------------------------------------------------------------------------

def get_or_start(user: User, plan: Plan, period: Period) -> Evaluation:
    """The evaluation of ``plan`` for ``period``; the penilai opens a draft when there is none."""
    _check_period(plan, period)
    existing = db.session.scalar(
        select(Evaluation).where(Evaluation.plan_id == plan.id, Evaluation.period_id == period.id))
    if existing is not None:
        return existing
    if not can_start_evaluation(user, plan):
        if plan.status is not PlanStatus.AGREED:
            raise EvaluationForbidden(_("SKP ini belum disetujui, jadi belum dapat dinilai."))
        raise EvaluationForbidden(_("Hanya pejabat penilai pegawai ini yang dapat memulai penilaian."))
    penilai = penilai_of(plan)
    evaluation = Evaluation(plan=plan, period=period, evaluator_id=penilai.id if penilai else None, inputs={})
    db.session.add(evaluation)
    db.session.flush()
    recompute(evaluation)
    _record("evaluation.create", evaluation, None)
    return evaluation


def _require_rater(user: User, evaluation: Evaluation) -> None:
    if evaluation.status is EvaluationStatus.FINAL:
        raise EvaluationForbidden(_("Penilaian ini sudah final dan tidak dapat diubah."))
    if is_owner(user, evaluation.plan):
        raise EvaluationForbidden(_("Anda tidak dapat menilai SKP Anda sendiri."))
    if not can_rate(user, evaluation):
        raise EvaluationForbidden(_("Hanya pejabat penilai pegawai ini yang dapat menilai."))


def _clean_inputs(evaluation: Evaluation, data: RatingData, rt: RuleSetRuntime) -> dict[str, Any]:
    allowed_ratings = {e.value for e in Expectation}
    for name, value in (("hasil_kerja_rating", data.hasil_kerja_rating),
                        ("perilaku_rating", data.perilaku_rating)):
        if value and value not in allowed_ratings:
            raise EvaluationError(_("Pilihan penilaian tidak dikenal."), name)
    scheme = rt.rule_set.scheme
    maximum = scheme.maximum if scheme is not None else 120.0
    known_behaviours = {code for code, _name in _behaviour_codes(evaluation, rt)}
    known_components = {code for code, _name in input_components(rt)}
    scores = {}
    for code, value in data.behaviour_scores.items():
        if code not in known_behaviours:
            raise EvaluationError(_("Perilaku %(code)s tidak ada di SKP ini.", code=code))
        if value is not None:
            if not 0 <= value <= maximum:
                raise EvaluationError(_("Nilai perilaku harus antara 0 dan %(max)g.", max=maximum))
            scores[code] = float(value)
    components = {}
    for code, value in data.components.items():
        if code not in known_components:
            raise EvaluationError(_("Komponen %(code)s tidak ada di rule set ini.", code=code))
        if value is not None:
            if not 0 <= value <= maximum:
                raise EvaluationError(_("Nilai komponen harus antara 0 dan %(max)g.", max=maximum))
            components[code] = float(value)
    extra_max = scheme.max_additional_points if isinstance(scheme, NumericScheme) else 0.0
    if not 0 <= (data.additional_points or 0) <= extra_max:
        raise EvaluationError(_("Nilai tugas tambahan paling banyak %(max)g.", max=extra_max),
                              "additional_points")
    kept = {k: v for k, v in (evaluation.inputs or {}).items() if k == "organisation_predikat"}
    return {
        **kept,
        "hasil_kerja_rating": data.hasil_kerja_rating or None,
        "perilaku_rating": data.perilaku_rating or None,
        "behaviour_scores": scores,
        "components": components,
        "has_innovation": bool(data.has_innovation),
        "additional_points": float(data.additional_points or 0),
        "note": (data.note or "").strip() or None,
    }


def save_ratings(user: User, evaluation: Evaluation, data: RatingData, version: int | None) -> None:
    """The penilai saves ratings: the draft is recomputed and the change audited."""
    _require_rater(user, evaluation)
    check_version(evaluation, version)
    rt = runtime()
    before = _audit_view(evaluation)
    evaluation.inputs = _clean_inputs(evaluation, data, rt)
    recompute(evaluation, rt)
    _record("evaluation.rate", evaluation, before)


def _notify_final(evaluation: Evaluation) -> None:
    notify("evaluation.final",
           lambda: _("Penilaian kinerja %(period)s Anda telah final: %(predikat)s.",
                     period=evaluation.period.label, predikat=evaluation.predikat_label or "-"),
           employees=[evaluation.plan.employee_id], about=("evaluation", evaluation.id))


def finalise(user: User, evaluation: Evaluation, version: int | None, today: date | None = None) -> list[str]:
    """Freeze the evaluation: status FINAL with the rule-set snapshot; the objection window starts.

    Refused while the result is incomplete, the region's blockers stand, or the
    unit's distribution breaks a curve on ``block``. Returns the distribution
    warnings (``warn``) to show.
    """
    _require_rater(user, evaluation)
    check_version(evaluation, version)
    before = _audit_view(evaluation)
    run = recompute(evaluation)
    result = evaluation.result
    if result.get("error") or evaluation.predikat_code is None:
        raise EvaluationError(_("Hasil belum lengkap: %(error)s", error=result.get("error") or "-"))
    if result.get("blockers"):
        raise EvaluationError(_("Belum dapat difinalkan: %(why)s", why="; ".join(result["blockers"])))
    warnings: list[str] = []
    employee = evaluation.plan.employee
    if employee.position is not None:
        spread = unit_spread(employee.position.unit, evaluation.period,
                             (evaluation.inputs or {}).get("organisation_predikat"))
        check = spread.check
        mode = run.rule_set.distribution.mode.value
        if mode == "block" and not spread.organisation_predikat_set:
            raise EvaluationError(_("Tetapkan dulu predikat organisasi unit %(unit)s pada halaman distribusi.",
                                    unit=spread.unit.name))
        if check is not None and check.blocks:
            raise EvaluationError(_("Distribusi predikat unit %(unit)s melanggar kurva: %(why)s",
                                    unit=spread.unit.name, why=" ".join(v.message for v in check.violations)))
        if check is not None and check.violations:
            warnings = [v.message for v in check.violations]
    evaluation.status = EvaluationStatus.FINAL
    evaluation.snapshot = run.snapshot()
    evaluation.rule_set_code = run.rule_set.code
    evaluation.rule_set_version = run.rule_set.version
    evaluation.finalised_at = datetime.utcnow()
    evaluation.finalised_by_id = user.id
    evaluation.delivered_on = today or date.today()
    _record("evaluation.finalise", evaluation, before,
            reason="; ".join(warnings) if warnings else None)
    _notify_final(evaluation)
    # Follow-up: the rule set's training recommendations become records. The
    # full input goes along: region rules read complaints, training and
    # sessions, which the stored ``inputs`` (the penilai's entries) lack.
    recommend_training(evaluation, evaluation_input=build_input(evaluation).input)
    return warnings


# --- 360° ------------------------------------------------------------------------------------------

def submit_peer_ratings(user: User, evaluation: Evaluation, scores: dict[str, float]) -> None:
    """A peer (rekan) or subordinate (bawahan) rates the pegawai's behaviours while the evaluation is a draft."""
    role = peer_role(user, evaluation)
    if evaluation.status is not EvaluationStatus.DRAFT:
        raise EvaluationForbidden(_("Penilaian ini sudah final; penilaian rekan ditutup."))
    if role is None:
        raise EvaluationForbidden(_("Hanya rekan kerja atau bawahan pegawai ini yang dapat memberi penilaian perilaku."))
    rt = runtime()
    if not uses_360(rt):
        raise EvaluationForbidden(_("Rule set instansi ini tidak memakai penilaian perilaku 360°."))
    known = {code for code, _name in _behaviour_codes(evaluation, rt)}
    maximum = rt.rule_set.scheme.maximum if rt.rule_set.scheme is not None else 120.0
    for code, value in scores.items():
        if code not in known:
            raise EvaluationError(_("Perilaku %(code)s tidak ada di SKP ini.", code=code))
        if value is None or not 0 <= value <= maximum:
            raise EvaluationError(_("Nilai perilaku harus antara 0 dan %(max)g.", max=maximum))
    existing = {p.behaviour_code: p for p in db.session.scalars(
        select(PeerRating).where(PeerRating.evaluation_id == evaluation.id,
                                 PeerRating.rater_id == user.employee_id))}
    before = {code: p.score for code, p in existing.items()}
    for code, value in scores.items():
        row = existing.get(code)
        if row is None:
            db.session.add(PeerRating(evaluation_id=evaluation.id, rater_id=user.employee_id, rater_role=role,
                                      behaviour_code=code, score=float(value)))
        else:
            row.score, row.rater_role = float(value), role
    audit.record("evaluation.peer_rating", evaluation,
                 {"rater_id": user.employee_id, "role": role, "scores": before} if before else None,
                 {"rater_id": user.employee_id, "role": role, "scores": {k: float(v) for k, v in scores.items()}},
                 employee_id=evaluation.plan.employee_id)


def my_peer_scores(user: User, evaluation: Evaluation) -> dict[str, float]:
    return {p.behaviour_code: p.score for p in db.session.scalars(
        select(PeerRating).where(PeerRating.evaluation_id == evaluation.id,
                                 PeerRating.rater_id == user.employee_id))}


# --- the unit's distribution --------------------------------------------------------------------------

def _unit_evaluation_query(unit_id: int, period_id: int):
    return (
        select(Evaluation)
        .join(Plan, Evaluation.plan_id == Plan.id)
        .join(Employee, Plan.employee_id == Employee.id)
        .join(Position, Employee.position_id == Position.id)
        .where(Position.unit_id == unit_id, Evaluation.period_id == period_id)
        .options(joinedload(Evaluation.plan).joinedload(Plan.employee))
        .order_by(Employee.name)
    )


@dataclass
class UnitSpread:
    unit: Unit
    period: Period
    evaluations: list[Evaluation]
    counts: dict[str, int]
    labels: dict[str, str]
    total: int
    organisation_predikat: str
    organisation_predikat_set: bool
    choices: tuple[str, ...]
    check: DistributionCheck | None
    mode: str

    def share(self, code: str) -> float:
        return self.counts.get(code, 0) / self.total * 100 if self.total else 0.0


def organisation_choices(rt: RuleSetRuntime) -> tuple[str, ...]:
    codes = tuple(q.organisation_predikat for q in rt.rule_set.distribution.quotas)
    return codes or DEFAULT_ORGANISATION_PREDIKAT


def unit_spread(unit: Unit, period: Period, organisation_predikat: str | None = None,
                rt: RuleSetRuntime | None = None) -> UnitSpread:
    """The unit's predikat spread for the period (draft and final evaluations with a
    predikat) and the rule set's distribution check for the organisation predikat."""
    rt = rt or runtime()
    evaluations = list(db.session.scalars(_unit_evaluation_query(unit.id, period.id)).unique())
    rated = [e for e in evaluations if e.predikat_code]
    counts = Counter(e.predikat_code for e in rated)
    labels = {e.predikat_code: e.predikat_label or e.predikat_code for e in rated}
    stored = Counter((e.inputs or {}).get("organisation_predikat") for e in evaluations)
    stored.pop(None, None)
    choices = organisation_choices(rt)
    chosen = organisation_predikat if organisation_predikat in choices else None
    is_set = chosen is not None
    if chosen is None and stored:
        chosen, is_set = stored.most_common(1)[0][0], True
    if chosen is None:
        chosen = "baik" if "baik" in choices else choices[0]
    check = rt.distribution_check(chosen, [e.predikat_code for e in rated]) if rated else None
    return UnitSpread(unit, period, evaluations, dict(counts), labels, len(rated), chosen, is_set, choices,
                      check, rt.rule_set.distribution.mode.value)


def rates_in_unit(user: User, unit_id: int, period_id: int) -> bool:
    if user.employee_id is None:
        return False
    return any(is_penilai(user, e.plan)
               for e in db.session.scalars(_unit_evaluation_query(unit_id, period_id)).unique())


def set_organisation_predikat(user: User, unit: Unit, period: Period, code: str) -> int:
    """Store the unit's organisation predikat in every draft evaluation of the unit and period."""
    rt = runtime()
    if code not in organisation_choices(rt):
        raise EvaluationError(_("Predikat organisasi tidak dikenal."), "organisation_predikat")
    changed = 0
    for evaluation in db.session.scalars(_unit_evaluation_query(unit.id, period.id)).unique():
        if evaluation.status is not EvaluationStatus.DRAFT:
            continue
        if (evaluation.inputs or {}).get("organisation_predikat") == code:
            continue
        before = _audit_view(evaluation)
        evaluation.inputs = {**(evaluation.inputs or {}), "organisation_predikat": code}
        _record("evaluation.organisation_predikat", evaluation, before)
        changed += 1
    return changed


# --- re-applying the rules -------------------------------------------------------------------------------

def reapply_rules(user: User, period: Period, reason: str | None = None) -> list[tuple[Evaluation, dict, dict]]:
    """"Terapkan ulang aturan": recompute every draft evaluation of the period with the
    rule set as installed now, each recorded before → after. Final ones are never touched."""
    if not can_reapply_rules(user):
        raise EvaluationForbidden(_("Hanya admin instansi yang dapat menerapkan ulang aturan."))
    rt = runtime()
    changes = []
    drafts = db.session.scalars(
        select(Evaluation).where(Evaluation.period_id == period.id, Evaluation.status == EvaluationStatus.DRAFT)
        .options(joinedload(Evaluation.plan).joinedload(Plan.employee), joinedload(Evaluation.period))
        .order_by(Evaluation.id)).unique().all()
    why = reason or _("Terapkan ulang aturan %(code)s %(version)s", code=rt.rule_set.code,
                      version=rt.rule_set.version)
    for evaluation in drafts:
        before = _audit_view(evaluation)
        recompute(evaluation, rt)
        after = _audit_view(evaluation)
        _record("evaluation.reapply", evaluation, before, reason=why, skip_unchanged=False, after=after)
        changes.append((evaluation, before, after))
    return changes


# --- the work list ----------------------------------------------------------------------------------------

@dataclass
class DueRow:
    plan: Plan
    periods: list[tuple[Period, Evaluation | None]]


def due_for(user: User, year: int) -> list[DueRow]:
    """The penilai's team × periods of ``year``: agreed plans the user rates, with their evaluations.

    Candidates come from one query (plans whose position reports to a position
    the user leads, or assigned to the user by the admin); each is confirmed
    with the same rule the permissions use."""
    me = db.session.get(Employee, user.employee_id) if user.employee_id else None
    if me is None:
        return []
    led = positions_led_by(me)
    plans = db.session.scalars(
        select(Plan).join(Period, Plan.period_id == Period.id)
        .join(Employee, Plan.employee_id == Employee.id)
        .outerjoin(Position, Employee.position_id == Position.id)
        .where(Period.year == year, Plan.status == PlanStatus.AGREED, Plan.employee_id != me.id,
               or_(Plan.assigned_penilai_id == me.id, Position.reports_to_id.in_(led or [-1])))
        .options(joinedload(Plan.employee).joinedload(Employee.position),
                 joinedload(Plan.assigned_penilai), joinedload(Plan.period).selectinload(Period.children))
    ).unique().all()
    mine = [p for p in plans if is_penilai(user, p)]
    evaluations = {(e.plan_id, e.period_id): e for e in db.session.scalars(
        select(Evaluation).where(Evaluation.plan_id.in_([p.id for p in mine])))} if mine else {}
    rows = []
    for plan in sorted(mine, key=lambda p: p.employee.name):
        periods = [*plan.period.children, plan.period]
        rows.append(DueRow(plan, [(p, evaluations.get((plan.id, p.id))) for p in periods]))
    return rows


def peer_requests(user: User) -> list[Evaluation]:
    """Draft evaluations the user may rate as rekan or bawahan (360° rule sets only)."""
    me = db.session.get(Employee, user.employee_id) if user.employee_id else None
    if me is None or not uses_360(runtime()):
        return []
    boss = supervisor_of(me)
    if boss is None:
        return []
    candidates = {e.id for e in direct_reports(boss) if e.id != me.id} | {boss.id}
    drafts = db.session.scalars(
        select(Evaluation).join(Plan, Evaluation.plan_id == Plan.id)
        .where(Evaluation.status == EvaluationStatus.DRAFT, Plan.employee_id.in_(candidates))
        .options(joinedload(Evaluation.plan).joinedload(Plan.employee), joinedload(Evaluation.period))
        .order_by(Evaluation.id.desc())
    ).unique().all()
    return [e for e in drafts if peer_role(user, e) is not None]


__all__ += ["DueRow", "PluginRuntimeError", "due_for", "load", "peer_requests", "preview", "runtime"]
