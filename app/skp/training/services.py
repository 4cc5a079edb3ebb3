"""Follow-up training: recommendations from final evaluations, the admin's
catalogue, and tracking recommended → enrolled → completed (or declined).

* ``recommend_training(evaluation)`` — called when an evaluation becomes
  final: the rule set's ``training_recommendations`` become
  ``TrainingRecord`` rows (status recommended), each linked to an active
  catalogue course whose topics name the recommendation code. Calling it
  again for the same evaluation adds nothing already there.
* ``open_training_for(employee_id, year)`` — what is still open (recommended
  or enrolled) from results of ``year`` or earlier: the planning screen shows
  it when the next plan is written.
* ``change_status(user, record, status)`` — the pegawai may enrol or decline
  their own recommendation; the admin may do everything, and only the admin
  confirms completion or reopens a declined one.
* the catalogue: ``save_course``, ``set_course_active`` (admin only).

Every change is audited. Nothing here commits; the caller owns the transaction.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app import audit
from app.auth.models import User
from app.extensions import db
from app.notifications import notify
from app.regions.achievement import Achievement
from app.regions.inputs import BehaviourAssessment, ComponentValue, EvaluationInput
from app.regions.scoring import ComponentScore, PeriodResult
from app.regions.types import Expectation, Rater
from app.skp.evaluation.models import Evaluation, EvaluationStatus, PeerRating
from app.skp.objections.services import current_rules
from app.skp.training.access import can_manage_training_catalogue, can_view_training
from app.skp.training.models import TrainingCourse, TrainingRecord, TrainingStatus

CODE_RE = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
TOPIC_RE = re.compile(r"^[a-z0-9._-]{1,60}$")
OPEN_STATUSES = (TrainingStatus.RECOMMENDED, TrainingStatus.ENROLLED)

# Who may move a record from one status to another: "owner" is the pegawai
# the record is for, "admin" the admin instansi.
TRANSITIONS: dict[tuple[TrainingStatus, TrainingStatus], frozenset[str]] = {
    (TrainingStatus.RECOMMENDED, TrainingStatus.ENROLLED): frozenset({"owner", "admin"}),
    (TrainingStatus.RECOMMENDED, TrainingStatus.DECLINED): frozenset({"owner", "admin"}),
    (TrainingStatus.ENROLLED, TrainingStatus.DECLINED): frozenset({"owner", "admin"}),
    (TrainingStatus.ENROLLED, TrainingStatus.COMPLETED): frozenset({"admin"}),
    (TrainingStatus.DECLINED, TrainingStatus.RECOMMENDED): frozenset({"admin"}),
}


class TrainingError(ValueError):
    """A rule was broken; ``message`` is shown to the user, on ``field`` if given."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class TrainingForbidden(TrainingError):
    """The user may not take this step (a 403)."""


# --- from a final evaluation to recommendations -------------------------------------

def recommend_training(evaluation: Evaluation, result: PeriodResult | None = None,
                       evaluation_input: EvaluationInput | None = None) -> list[TrainingRecord]:
    """Turn the rule set's training recommendations for a final evaluation into
    ``TrainingRecord`` rows; returns the new ones (none on a second call).

    ``result`` and ``evaluation_input`` may be passed by the caller that has
    just computed them; otherwise they are rebuilt from what the evaluation
    stores (``result`` and ``inputs``).
    """
    if evaluation.status is not EvaluationStatus.FINAL:
        return []
    result = result or period_result_from(evaluation.result or {}, evaluation)
    evaluation_input = evaluation_input or evaluation_input_from(evaluation.inputs or {}, evaluation)
    recommendations = current_rules().training_recommendations(result, evaluation_input)
    if not recommendations:
        return []
    employee_id = evaluation.plan.employee_id
    year = evaluation.period.year
    # One open recommendation per need and year: a weakness seen again in the
    # next quarter (or in the annual result) does not pile up duplicates.
    existing = set(db.session.scalars(
        select(TrainingRecord.recommendation_code).where(
            TrainingRecord.employee_id == employee_id,
            (TrainingRecord.evaluation_id == evaluation.id)
            | ((TrainingRecord.year == year) & TrainingRecord.status.in_(OPEN_STATUSES)))))
    courses = _courses_by_topic()
    created = []
    for rec in recommendations:
        if rec.code in existing:
            continue
        existing.add(rec.code)
        reason = f"{rec.name}: " + "; ".join(rec.reasons) if rec.reasons else rec.name
        course = courses.get(rec.code)
        record = TrainingRecord(employee_id=employee_id, evaluation_id=evaluation.id,
                                recommendation_code=rec.code, reason=reason,
                                course_id=course.id if course else None,
                                status=TrainingStatus.RECOMMENDED, year=year)
        db.session.add(record)
        db.session.flush()
        audit.record("training.recommend", record, None)
        created.append(record)
    if created:
        names = ", ".join(_record_title(r, courses) for r in created)
        notify("training.recommended",
               lambda: _("Rekomendasi pelatihan dari hasil penilaian %(period)s: %(names)s.",
                         period=evaluation.period.label, names=names),
               employees=[employee_id], about=("training", created[0].id))
    return created


def _record_title(record: TrainingRecord, courses: Mapping[str, TrainingCourse]) -> str:
    course = courses.get(record.recommendation_code)
    return course.name if course else record.reason.split(":", 1)[0]


def _courses_by_topic() -> dict[str, TrainingCourse]:
    """Active courses by the recommendation codes they answer (one query;
    the first course by code wins when several answer the same topic)."""
    by_topic: dict[str, TrainingCourse] = {}
    for course in db.session.scalars(select(TrainingCourse).where(TrainingCourse.active)
                                     .order_by(TrainingCourse.code)):
        for topic in course.topics or []:
            by_topic.setdefault(topic, course)
    return by_topic


def _build(cls: type, data: Mapping[str, Any], **defaults: Any) -> Any:
    """A dataclass from a stored dict, tolerant of missing or extra keys."""
    values = dict(defaults)
    names = {f.name for f in fields(cls)}
    values.update({k: v for k, v in data.items() if k in names})
    return cls(**values)


def period_result_from(data: Mapping[str, Any], evaluation: Evaluation | None = None) -> PeriodResult:
    """Rebuild a ``PeriodResult`` from ``Evaluation.result``: either the
    period result itself or the evaluation screens' wrapper holding it under
    ``"period"`` (an annual result, which lists no indicators, gives one with none)."""
    if isinstance(data.get("period"), Mapping):
        data = data["period"]
    achievements = tuple(
        _build(Achievement, a, indicator_code="", direction="higher", target="", target_used=0.0,
               realisation=0.0, capaian=0.0, nilai=0.0, steps=(), rule_set_code="", rule_set_version="")
        for a in data.get("achievements") or [] if isinstance(a, Mapping))
    components = tuple(
        _build(ComponentScore, c, code="", name="", weight=0.0, value=0.0, weighted=0.0)
        for c in data.get("components") or [] if isinstance(c, Mapping))
    return PeriodResult(
        rule_set_code=data.get("rule_set_code") or (evaluation.rule_set_code if evaluation else "") or "",
        rule_set_version=data.get("rule_set_version") or (evaluation.rule_set_version if evaluation else "") or "",
        scheme=data.get("scheme") or "",
        employee_ref=str(data.get("employee_ref") or ""),
        period_label=str(data.get("period_label") or ""),
        achievements=achievements, components=components,
        hasil_kerja_rating=data.get("hasil_kerja_rating"), perilaku_rating=data.get("perilaku_rating"),
        score=data.get("score", evaluation.score if evaluation else None),
        predikat_code=data.get("predikat_code") or (evaluation.predikat_code if evaluation else "") or "",
        predikat_label=data.get("predikat_label") or (evaluation.predikat_label if evaluation else "") or "",
        steps=tuple(data.get("steps") or ()), has_innovation=bool(data.get("has_innovation")))


def _enum_or_none(cls: type, value: Any) -> Any:
    try:
        return cls(value) if value not in (None, "") else None
    except ValueError:
        return None


def evaluation_input_from(data: Mapping[str, Any], evaluation: Evaluation | None = None) -> EvaluationInput:
    """Rebuild the parts of an ``EvaluationInput`` training rules read from
    ``Evaluation.inputs`` (behaviour assessments, component values, ratings),
    with the 360° ratings of peers and subordinates (one query).

    Understands the evaluation screens' shape (``behaviour_scores`` and
    ``components`` as code → value) and a list of assessments (``behaviours``,
    ``component_values``, as ``EvaluationInput`` serialises)."""
    behaviours = [
        BehaviourAssessment(
            behaviour_code=str(b.get("behaviour_code") or b.get("code") or ""),
            rater=_enum_or_none(Rater, b.get("rater")) or Rater.ATASAN,
            score=float(b["score"]) if b.get("score") is not None else None,
            rating=_enum_or_none(Expectation, b.get("rating")))
        for b in data.get("behaviours") or [] if isinstance(b, Mapping)]
    behaviours += [BehaviourAssessment(str(code), Rater.ATASAN, score=float(score))
                   for code, score in (data.get("behaviour_scores") or {}).items() if score is not None]
    if evaluation is not None and evaluation.id is not None:
        behaviours += [
            BehaviourAssessment(peer.behaviour_code, _enum_or_none(Rater, peer.rater_role) or Rater.REKAN,
                                score=peer.score, rating=_enum_or_none(Expectation, peer.rating))
            for peer in db.session.scalars(select(PeerRating).where(PeerRating.evaluation_id == evaluation.id)
                                           .order_by(PeerRating.id))]
    components = [
        ComponentValue(str(c.get("component_code") or c.get("code") or ""), float(c.get("value") or 0))
        for c in data.get("component_values") or [] if isinstance(c, Mapping)]
    stored_components = data.get("components")
    if isinstance(stored_components, Mapping):
        components += [ComponentValue(str(code), float(value))
                       for code, value in stored_components.items() if value is not None]
    return EvaluationInput(
        employee_ref=str(data.get("employee_ref") or (evaluation.plan.employee_id if evaluation else "")),
        period_label=str(data.get("period_label") or (evaluation.period.label if evaluation else "")),
        behaviours=tuple(behaviours), component_values=tuple(components),
        hasil_kerja_rating=_enum_or_none(Expectation, data.get("hasil_kerja_rating")),
        perilaku_rating=_enum_or_none(Expectation, data.get("perilaku_rating")),
        additional_points=float(data.get("additional_points") or 0),
        has_innovation=bool(data.get("has_innovation")),
        sector=str(data.get("sector") or "umum"))


# --- what is still open ------------------------------------------------------------

def open_training_for(employee_id: int, year: int) -> list[TrainingRecord]:
    """Recommended or enrolled training from results of ``year`` or earlier,
    newest year first, with their courses (one query)."""
    return list(db.session.scalars(
        select(TrainingRecord).options(joinedload(TrainingRecord.course))
        .where(TrainingRecord.employee_id == employee_id, TrainingRecord.year <= year,
               TrainingRecord.status.in_(OPEN_STATUSES))
        .order_by(TrainingRecord.year.desc(), TrainingRecord.created_at, TrainingRecord.id)))


def records_of(employee_id: int) -> list[TrainingRecord]:
    return list(db.session.scalars(
        select(TrainingRecord).options(joinedload(TrainingRecord.course))
        .where(TrainingRecord.employee_id == employee_id)
        .order_by(TrainingRecord.year.desc(), TrainingRecord.created_at.desc(), TrainingRecord.id.desc())))


def completed_hours(employee_id: int, year: int) -> float:
    """JP of completed catalogue courses recommended in ``year``."""
    return float(db.session.scalar(
        select(func.coalesce(func.sum(TrainingCourse.hours), 0))
        .select_from(TrainingRecord).join(TrainingCourse, TrainingRecord.course_id == TrainingCourse.id)
        .where(TrainingRecord.employee_id == employee_id, TrainingRecord.year == year,
               TrainingRecord.status == TrainingStatus.COMPLETED)) or 0)


def required_hours() -> float:
    return float(current_rules().rule_set.required_training_hours)


# --- tracking ---------------------------------------------------------------------

def roles_for(user: User, record: TrainingRecord) -> set[str]:
    roles = set()
    if user.is_admin:
        roles.add("admin")
    if user.employee_id is not None and user.employee_id == record.employee_id:
        roles.add("owner")
    return roles


def allowed_statuses(user: User, record: TrainingRecord) -> list[TrainingStatus]:
    """The statuses ``user`` may move ``record`` to now."""
    roles = roles_for(user, record)
    return [to for (frm, to), who in TRANSITIONS.items() if frm is record.status and roles & who]


def change_status(user: User, record: TrainingRecord, status: TrainingStatus | str,
                  course_id: int | None = None, note: str | None = None) -> TrainingRecord:
    """Move a record along recommended → enrolled → completed (or declined)."""
    status = TrainingStatus(status)
    if not can_view_training(user, record.employee):
        raise TrainingForbidden(_("Anda tidak berhak mengubah catatan pelatihan ini."))
    who = TRANSITIONS.get((record.status, status))
    if who is None:
        raise TrainingForbidden(_("Status pelatihan tidak dapat diubah dari %(old)s menjadi %(new)s.",
                                  old=status_label(record.status), new=status_label(status)))
    if not roles_for(user, record) & who:
        if who == {"admin"}:
            raise TrainingForbidden(_("Hanya admin kepegawaian yang dapat mengubah status ini (misalnya mengonfirmasi pelatihan selesai)."))
        raise TrainingForbidden(_("Hanya pegawai yang bersangkutan atau admin yang dapat mengubah status ini."))
    before = audit.snapshot(record)
    if course_id is not None and course_id != record.course_id:
        course = db.session.get(TrainingCourse, course_id)
        if course is None or not course.active:
            raise TrainingError(_("Pilih pelatihan yang aktif di katalog."), "course_id")
        record.course_id = course.id
    if status is TrainingStatus.COMPLETED and record.course_id is None:
        raise TrainingError(_("Pilih pelatihan dari katalog yang telah diselesaikan."), "course_id")
    record.status = status
    audit.record(f"training.{status.value}", record, before, reason=(note or "").strip() or None)
    if status is TrainingStatus.COMPLETED and not roles_for(user, record) & {"owner"}:
        notify("training.completed", lambda: _("Penyelesaian pelatihan Anda telah dikonfirmasi admin."),
               employees=[record.employee_id], about=("training", record.id))
    return record


# --- the catalogue ----------------------------------------------------------------

@dataclass(frozen=True)
class CourseData:
    code: str
    name: str
    provider: str | None
    hours: float
    topics: Sequence[str]


def parse_topics(text: str | None) -> list[str]:
    topics = []
    for part in re.split(r"[,\s]+", (text or "").strip()):
        if part and part.lower() not in topics:
            topics.append(part.lower())
    return topics


def save_course(user: User, data: CourseData, course: TrainingCourse | None = None) -> TrainingCourse:
    if not can_manage_training_catalogue(user):
        raise TrainingForbidden(_("Hanya admin yang dapat mengelola katalog pelatihan."))
    code = data.code.strip()
    if not CODE_RE.match(code):
        raise TrainingError(_("Kode hanya huruf, angka, titik, garis bawah atau tanda hubung."), "code")
    name = data.name.strip()
    if not name:
        raise TrainingError(_("Nama pelatihan wajib diisi."), "name")
    if data.hours < 0 or data.hours > 1000:
        raise TrainingError(_("Jumlah JP harus antara 0 dan 1000."), "hours")
    bad = [t for t in data.topics if not TOPIC_RE.match(t)]
    if bad:
        raise TrainingError(_("Topik tidak valid: %(topics)s. Gunakan kode rekomendasi (huruf kecil, angka, tanda hubung).",
                              topics=", ".join(bad)), "topics")
    clash = db.session.scalar(select(TrainingCourse.id).where(
        func.lower(TrainingCourse.code) == code.lower(),
        TrainingCourse.id != (course.id if course is not None else -1)))
    if clash is not None:
        raise TrainingError(_("Kode %(code)s sudah dipakai pelatihan lain.", code=code), "code")
    before = audit.snapshot(course) if course is not None else None
    if course is None:
        course = TrainingCourse(active=True)
        db.session.add(course)
    course.code, course.name = code, name
    course.provider = (data.provider or "").strip() or None
    course.hours = float(data.hours)
    course.topics = list(data.topics)
    db.session.flush()
    audit.record("training_course.create" if before is None else "training_course.update", course, before)
    return course


def set_course_active(user: User, course: TrainingCourse, active: bool) -> TrainingCourse:
    if not can_manage_training_catalogue(user):
        raise TrainingForbidden(_("Hanya admin yang dapat mengelola katalog pelatihan."))
    before = audit.snapshot(course)
    course.active = active
    audit.record("training_course.activate" if active else "training_course.deactivate", course, before)
    return course


def known_topics() -> list[tuple[str, str]]:
    """The rule set's training recommendation codes and names."""
    return [(rule.code, rule.name) for rule in current_rules().rule_set.training]


def status_label(status: TrainingStatus) -> str:
    labels = {
        TrainingStatus.RECOMMENDED: _("direkomendasikan"),
        TrainingStatus.ENROLLED: _("terdaftar"),
        TrainingStatus.COMPLETED: _("selesai"),
        TrainingStatus.DECLINED: _("ditolak"),
    }
    return labels[TrainingStatus(status)]

