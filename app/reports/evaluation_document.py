"""The data of an evaluation document (EVALUASI KINERJA PEGAWAI and DOKUMEN
EVALUASI KINERJA PEGAWAI) from an ``Evaluation``, periodic or annual.

What is printed is what the evaluation stores: its outcome (``result``, with
the predikat and score as an objection decision left them), the penilai's
entries, the unit's final predikat of the same period. Nothing is recomputed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.errors import NotFound
from app.extensions import db
from app.org.hierarchy import supervisor_of
from app.periods.models import Period, PeriodKind
from app.regions.documents import (
    BehaviourBlock,
    Choice,
    ComponentLine,
    DistributionFigure,
    EvaluationDocumentData,
    FeedbackNote,
    IndicatorRow,
    ObjectionBlock,
    PeriodSummary,
    ResultBlock,
    ScoreStep,
)
from app.regions.snapshot import as_rule_set
from app.regions.types import Expectation, MatrixScheme, PeriodScheme, QuotaRule, RuleSet
from app.reports.documents import (
    ASPECTS,
    intervened,
    letterhead,
    number,
    ordered_results,
    period_text,
    person,
    plan_behaviours,
    plan_person,
    target_text,
    unit_of,
    variant,
)
from app.settings.services import rules_for_period
from app.skp.evaluation import services as evaluations
from app.skp.evaluation.compute import decided_outcome
from app.skp.evaluation.entries import entries_of
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.evaluation.outcome import EvaluationOutcome
from app.skp.evaluation.unit import organisation_choices, unit_evaluation_query
from app.skp.feedback.models import FeedbackMessage, FeedbackSession
from app.skp.objections.models import Objection, ObjectionStatus
from app.skp.planning.access import penilai_of
from app.skp.planning.models import Plan
from app.tenancy import local_time, tenant_rules

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
MONTHS_UPPER = ("JANUARI", "FEBRUARI", "MARET", "APRIL", "MEI", "JUNI", "JULI", "AGUSTUS", "SEPTEMBER",
                "OKTOBER", "NOVEMBER", "DESEMBER")
EXPECTATIONS = ((Expectation.DI_ATAS.value, "DIATAS EKSPEKTASI"), (Expectation.SESUAI.value, "SESUAI EKSPEKTASI"),
                (Expectation.DI_BAWAH.value, "DIBAWAH EKSPEKTASI"))
ORGANISATION = {"istimewa": "ISTIMEWA", "baik": "BAIK", "butuh_perbaikan": "BUTUH PERBAIKAN", "kurang": "KURANG",
                "sangat_kurang": "SANGAT KURANG"}
ANNUAL = "akhir"
MISCONDUCT = "KURANG/MISCONDUCT"  # the official wording of the matrix's fourth predikat
OBJECTION_DECISIONS = {ObjectionStatus.UPHELD: "Keberatan ditolak; hasil evaluasi tetap.",
                       ObjectionStatus.CHANGED: "Keberatan diterima; hasil evaluasi diubah."}


# --- the period -----------------------------------------------------------------------

def _sub_label(period: Period) -> str:
    if period.kind is PeriodKind.QUARTER:
        return f"TRIWULAN {ROMAN[period.sequence - 1]}"
    if period.kind is PeriodKind.SEMESTER:
        return f"SEMESTER {ROMAN[period.sequence - 1]}"
    if period.kind is PeriodKind.MONTH:
        return MONTHS_UPPER[period.starts_on.month - 1]
    return f"TAHUN {period.year}"


def period_label(period: Period) -> str:
    """"Triwulan I 2026", "Semester II 2026", "Januari 2026", "Tahun 2026"."""
    if period.kind is PeriodKind.QUARTER:
        return f"Triwulan {ROMAN[period.sequence - 1]} {period.year}"
    if period.kind is PeriodKind.SEMESTER:
        return f"Semester {ROMAN[period.sequence - 1]} {period.year}"
    if period.kind is PeriodKind.MONTH:
        return f"{MONTHS_UPPER[period.starts_on.month - 1].title()} {period.year}"
    return f"Tahun {period.year}"


def period_choice(period: Period, year: Period, rule_set: RuleSet) -> Choice:
    """TRIWULAN I / II / III / IV / AKHIR (quarters), or the scheme's own periods and AKHIR."""
    annual = period.kind is PeriodKind.YEAR
    subs = list(year.children)
    if not subs:  # assessed once a year
        return Choice(((ANNUAL, f"TAHUN {year.year}"),), ANNUAL)
    if rule_set.period_scheme is PeriodScheme.QUARTERLY and all(p.kind is PeriodKind.QUARTER for p in subs):
        # Printed "TRIWULAN I/II/III/IV/AKHIR" with the others struck through.
        options = (("tw1", "TRIWULAN I"), ("tw2", "II"), ("tw3", "III"), ("tw4", "IV"))
        chosen = ANNUAL if annual else f"tw{period.sequence}"
    else:
        options = tuple((f"{p.kind.value}-{p.sequence}", _sub_label(p)) for p in subs)
        chosen = ANNUAL if annual else f"{period.kind.value}-{period.sequence}"
    return Choice(options + ((ANNUAL, "AKHIR"),), chosen)


# --- the closed lists -------------------------------------------------------------------

def predikat_options(rule_set: RuleSet) -> tuple[tuple[str, str], ...]:
    """The rule set's predikat, best first, as printed on the form."""
    scheme = rule_set.scheme
    if isinstance(scheme, MatrixScheme):
        return tuple((p.code, MISCONDUCT if p.code == "kurang" else p.label.upper())
                     for p in sorted(scheme.predikat, key=lambda p: p.rank))
    bands = sorted(getattr(scheme, "bands", ()) or (), key=lambda b: (-b.lower, b.requires_innovation))
    seen: dict[str, str] = {}
    for band in bands:
        seen.setdefault(band.code, band.label.upper())
    return tuple(seen.items())


def _expectation_choice(code: str | None) -> Choice:
    return Choice(EXPECTATIONS, code if code in {c for c, _ in EXPECTATIONS} else None)


# --- the unit's pola distribusi ---------------------------------------------------------------

def _allowed(rules: Iterable[QuotaRule], code: str) -> str:
    texts = []
    for rule in rules:
        if code not in rule.predikat:
            continue
        if rule.at_most is not None:
            texts.append(f"≤ {rule.at_most:.0%}")
        if rule.at_least is not None:
            texts.append(f"≥ {rule.at_least:.0%}")
        if rule.at_least_count is not None:
            texts.append(f"≥ {rule.at_least_count} orang")
    return ", ".join(texts)


def distribution(evaluation: Evaluation, rule_set: RuleSet, organisation: str | None) -> DistributionFigure | None:
    """Final predikat of the unit's employees for the same period, and the curve check."""
    unit = unit_of(evaluation.plan.employee)
    if unit is None:
        return None
    codes = [code for code in db.session.scalars(
        unit_evaluation_query(unit.id, evaluation.period_id)
        .where(Evaluation.status == EvaluationStatus.FINAL, Evaluation.predikat_code.is_not(None))
        .with_only_columns(Evaluation.predikat_code))]
    columns = tuple(reversed(predikat_options(rule_set)))  # worst first, as on the curve's x axis
    counts = Counter(codes)
    quota = next((q for q in rule_set.distribution.quotas if q.organisation_predikat == organisation), None)
    violations: tuple[str, ...] = ()
    if organisation and codes:
        violations = tuple(v.message for v in rules_for_period(evaluation.period)
                           .distribution_check(organisation, codes).violations)
    return DistributionFigure(
        organisation_predikat=ORGANISATION.get(organisation or "", "") if organisation else "",
        columns=tuple((code, "Kurang/ Misconduct" if label == MISCONDUCT else label.title())
                      for code, label in columns),
        counts=tuple(counts.get(code, 0) for code, _label in columns),
        allowed=tuple(_allowed(quota.rules, code) if quota else "" for code, _label in columns),
        violations=violations)


# --- results, feedback, steps --------------------------------------------------------------------

def _feedback(plan: Plan, evaluation: Evaluation) -> dict[int, str]:
    """Umpan balik per RHK: the messages others (penilai, atasan) wrote on it within the period."""
    period = evaluation.period
    rows = db.session.execute(
        select(FeedbackMessage.result_id, FeedbackMessage.body, FeedbackMessage.created_at, User.employee_id)
        .join(User, FeedbackMessage.author_id == User.id)
        .where(FeedbackMessage.plan_id == plan.id, FeedbackMessage.result_id.is_not(None))
        .order_by(FeedbackMessage.created_at, FeedbackMessage.id))
    out: dict[int, list[str]] = {}
    for result_id, body, created_at, author in rows:
        day = local_time(created_at).date()
        if author != plan.employee_id and period.starts_on <= day <= period.ends_on:
            out.setdefault(result_id, []).append(body.strip())
    return {k: " ".join(v) for k, v in out.items()}


def _realisation_text(row, note: str | None) -> str:
    if row is None or row.realisation is None:
        return ""
    text = f"{number(row.realisation)} {row.unit}".strip()
    return f"{text} — {note.strip()}" if note and note.strip() else text


def results(evaluation: Evaluation, outcome: EvaluationOutcome, jpt: bool) -> tuple[ResultBlock, ...]:
    plan = evaluation.plan
    used = {row.plan_indicator_id: row for row in outcome.inputs.indicators}
    achieved = outcome.achievements
    feedback = _feedback(plan, evaluation)
    blocks = []
    for result in ordered_results(plan):
        rows = []
        for ind in result.indicators:
            row = used.get(ind.id)
            note = next((r.note for r in ind.realisations if r.period_id == evaluation.period_id), None)
            lower, upper = ((row.target_lower, row.target_upper) if row is not None and row.target_lower is not None
                            else (ind.target_lower, ind.target_upper))
            achievement = achieved.get(row.code) if row is not None else None
            rows.append(IndicatorRow(
                ASPECTS.get(ind.aspect, ind.aspect.title()), ind.name, target_text(lower, upper, ind.unit),
                realisation=_realisation_text(row, note),
                capaian=f"{achievement.capaian:.2f} %" if achievement is not None else "",
                nilai=f"{achievement.nilai:.2f}" if achievement is not None else ""))
        blocks.append(ResultBlock(result.kind.value, result.description, intervened(result, jpt), tuple(rows),
                                  feedback.get(result.id, "")))
    return tuple(blocks)


def steps(outcome: EvaluationOutcome) -> tuple[ScoreStep, ...]:
    """The stored scoring trace as "label: value" lines (the rule-set header line left out)."""
    trace = outcome.annual.steps if outcome.annual is not None else (outcome.period.steps if outcome.period else ())
    out = []
    for step in trace:
        if step.startswith("rule set "):
            continue
        label, sep, value = step.partition(" = ")
        out.append(ScoreStep(label, value) if sep else ScoreStep("", step))
    return tuple(out)


def _behaviours(evaluation: Evaluation, numeric: bool) -> tuple[BehaviourBlock, ...]:
    scores = entries_of(evaluation).behaviour_scores
    codes = {b.name: b.behaviour_code for b in evaluation.plan.behaviours}
    return tuple(
        BehaviourBlock(b.name, b.guides, b.expectation,
                       rating=number(scores[codes[b.name]]) if numeric and codes.get(b.name) in scores else "")
        for b in plan_behaviours(evaluation.plan))


def components(outcome: EvaluationOutcome) -> tuple[ComponentLine, ...]:
    parts = outcome.period.components if outcome.period is not None else ()
    return tuple(ComponentLine(c.code, c.name, number(c.weight), f"{c.value:.2f}", f"{c.weighted:.2f}")
                 for c in parts)


def feedback_sessions(evaluation: Evaluation) -> tuple[FeedbackNote, ...]:
    """The recorded dialog kinerja sessions of the period (of the year: all of them)."""
    query = select(FeedbackSession).where(FeedbackSession.plan_id == evaluation.plan_id)
    if evaluation.period.kind is not PeriodKind.YEAR:
        query = query.where(FeedbackSession.held_on.between(evaluation.period.starts_on, evaluation.period.ends_on))
    return tuple(FeedbackNote(s.held_on, s.face_to_face, s.notes.strip())
                 for s in db.session.scalars(query.order_by(FeedbackSession.held_on, FeedbackSession.id)))


def _objection(evaluation: Evaluation) -> ObjectionBlock | None:
    objection = db.session.scalar(select(Objection).where(Objection.evaluation_id == evaluation.id))
    if objection is None or objection.status is ObjectionStatus.OPEN:
        return None
    decision = OBJECTION_DECISIONS[objection.status]
    if objection.decision_reasons:
        decision += f" {objection.decision_reasons.strip()}"
    return ObjectionBlock(objection.reasons.strip(), "", decision)


# --- the document -------------------------------------------------------------------------

def load_evaluation_for_document(evaluation_id: int) -> Evaluation:
    evaluation = evaluations.load(evaluation_id)
    if evaluation is None:
        raise NotFound(_("Penilaian tidak ditemukan."))
    return evaluation


def rule_set_of(evaluation: Evaluation) -> RuleSet:
    """A final evaluation's own rule-set snapshot; a draft's: the tenant's rules now."""
    if evaluation.status is EvaluationStatus.FINAL and evaluation.snapshot:
        return as_rule_set(evaluation.snapshot)
    return tenant_rules().rule_set


def evaluation_document(evaluation: Evaluation) -> EvaluationDocumentData:
    plan = evaluation.plan
    employee = plan.employee
    rule_set = rule_set_of(evaluation)
    outcome = decided_outcome(evaluation)
    entries = entries_of(evaluation)
    numeric = not isinstance(rule_set.scheme, MatrixScheme)
    approach, jpt = variant(tenant_rules().rule_set, employee.position.kind.value if employee.position else None)
    period = evaluation.period
    annual = period.kind is PeriodKind.YEAR
    penilai = evaluation.evaluator or penilai_of(plan)
    atasan = supervisor_of(penilai) if penilai is not None else None
    computed = outcome.period
    organisation = entries.organisation_predikat
    finalised_on = local_time(evaluation.finalised_at).date() if evaluation.finalised_at else None
    return EvaluationDocumentData(
        letterhead=letterhead(unit_of(employee), plan.unit_name),
        year=period.year, period_label=period_label(period),
        period_text=period_text(period.starts_on, period.ends_on),
        period_choice=period_choice(period, plan.period, rule_set), annual=annual,
        approach=approach, jpt=jpt,
        pegawai=plan_person(plan), penilai=person(penilai), atasan_penilai=person(atasan),
        results=results(evaluation, outcome, jpt), behaviours=_behaviours(evaluation, numeric),
        hasil_kerja=_expectation_choice(computed.hasil_kerja_rating if computed else entries.hasil_kerja_rating),
        perilaku=_expectation_choice(computed.perilaku_rating if computed else entries.perilaku_rating),
        predikat=Choice(predikat_options(rule_set), evaluation.predikat_code),
        organisation=Choice(tuple((c, ORGANISATION.get(c, c.upper())) for c in organisation_choices(tenant_rules())),
                            organisation),
        distribution=distribution(evaluation, rule_set, organisation),
        numeric=numeric, score=f"{evaluation.score:.2f}" if evaluation.score is not None else "",
        steps=steps(outcome) if numeric else (),
        periods=tuple(PeriodSummary(p.period, p.predikat or "", f"{p.score:.2f}" if p.score is not None else "")
                      for p in outcome.periodic),
        notes=(entries.note or "").strip(), objection=_objection(evaluation),
        finalised_on=finalised_on, final=evaluation.status is EvaluationStatus.FINAL,
        components=components(outcome) if numeric else (), feedback_sessions=feedback_sessions(evaluation))
