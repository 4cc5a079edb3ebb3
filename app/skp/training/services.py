"""Follow-up training: recommendations from final evaluations, the admin's
catalogue, and tracking recommended → enrolled → completed (or declined).

* ``recommend_training(evaluation)`` — called when an evaluation becomes
  final (``subscriptions.connect`` subscribes it to ``evaluation_finalised``): the rule set's ``training_recommendations`` become
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

Every change is audited; refusals raise the ``app.errors`` family. Nothing here
commits; the caller owns the transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app import audit
from app.auth.models import User
from app.errors import Forbidden, Invalid
from app.extensions import db
from app.notifications import notify
from app.regions.inputs import EvaluationInput, TrainingParticipation
from app.regions.scoring import PeriodResult
from app.settings.services import rules_for_period
from app.skp.evaluation.inputs import batch_figures, build_input
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.evaluation.outcome import standing_period_result
from app.skp.training.access import can_manage_training_catalogue, can_view_training
from app.skp.training.models import TrainingCourse, TrainingRecord, TrainingStatus
from app.tenancy import tenant_rules

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


# --- from a final evaluation to recommendations -------------------------------------

def recommend_training(evaluation: Evaluation, result: PeriodResult | None = None,
                       evaluation_input: EvaluationInput | None = None) -> list[TrainingRecord]:
    """Turn the rule set's training recommendations for a final evaluation into
    ``TrainingRecord`` rows; returns the new ones (none on a second call).

    ``result`` and ``evaluation_input`` come along when the evaluation has just
    been finalised (``app.skp.training.subscriptions``); otherwise they are
    read from the stored outcome and rebuilt by the evaluation stage.
    """
    if evaluation.status is not EvaluationStatus.FINAL:
        return []
    result = result or standing_period_result(evaluation)
    evaluation_input = evaluation_input or build_input(evaluation).input
    # The rules of the evaluation's period (its settings version), as it was scored.
    recommendations = rules_for_period(evaluation.period).training_recommendations(result, evaluation_input)
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


def participation(employee_id: int, year: int) -> TrainingParticipation:
    """What an evaluation weighs: JP of the employee's completed training of
    ``year`` and the number of completed records.

    Within a batch of drafts (``app.skp.evaluation.inputs.batch_inputs``: re-applying
    rules) the batch's employees are answered together by ``participation_many``,
    one query for the batch instead of one per draft."""
    batch = batch_figures(("training.participation", year), lambda ids: participation_many(ids, year))
    if batch is not None and employee_id in batch:
        return batch[employee_id]
    rows = db.session.scalars(
        select(TrainingRecord).options(joinedload(TrainingRecord.course))
        .where(TrainingRecord.employee_id == employee_id, TrainingRecord.year == year,
               TrainingRecord.status == TrainingStatus.COMPLETED)
    ).all()
    return TrainingParticipation(float(sum(r.course.hours for r in rows if r.course is not None)), len(rows))


def participation_many(employee_ids: Iterable[int], year: int) -> dict[int, TrainingParticipation]:
    """``participation`` of several employees with one query per ``CHUNK`` of them,
    by employee id (every one present; none completed: 0 JP, 0 records)."""
    hours: dict[int, list[float]] = {employee_id: [] for employee_id in employee_ids}
    records: dict[int, int] = dict.fromkeys(hours, 0)
    ids = sorted(hours)
    for start in range(0, len(ids), CHUNK):
        rows = db.session.execute(
            select(TrainingRecord.employee_id, TrainingCourse.hours)
            .outerjoin(TrainingCourse, TrainingRecord.course_id == TrainingCourse.id)
            .where(TrainingRecord.employee_id.in_(ids[start:start + CHUNK]), TrainingRecord.year == year,
                   TrainingRecord.status == TrainingStatus.COMPLETED)
            .order_by(TrainingRecord.id))
        for employee_id, course_hours in rows:
            records[employee_id] += 1
            if course_hours is not None:
                hours[employee_id].append(course_hours)
    return {employee_id: TrainingParticipation(float(sum(hours[employee_id])), records[employee_id])
            for employee_id in ids}


CHUNK = 1000


def completed_hours(employee_id: int, year: int) -> float:
    """JP of completed catalogue courses recommended in ``year``."""
    return float(db.session.scalar(
        select(func.coalesce(func.sum(TrainingCourse.hours), 0))
        .select_from(TrainingRecord).join(TrainingCourse, TrainingRecord.course_id == TrainingCourse.id)
        .where(TrainingRecord.employee_id == employee_id, TrainingRecord.year == year,
               TrainingRecord.status == TrainingStatus.COMPLETED)) or 0)


def required_hours() -> float:
    return float(tenant_rules().rule_set.required_training_hours)


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
    try:
        status = TrainingStatus(status)
    except ValueError:
        raise Invalid(_("Status tidak dikenal."), "status") from None
    if not can_view_training(user, record.employee):
        raise Forbidden(_("Anda tidak berhak mengubah catatan pelatihan ini."))
    who = TRANSITIONS.get((record.status, status))
    if who is None:
        raise Forbidden(_("Status pelatihan tidak dapat diubah dari %(old)s menjadi %(new)s.",
                                  old=status_label(record.status), new=status_label(status)))
    if not roles_for(user, record) & who:
        if who == {"admin"}:
            raise Forbidden(_("Hanya admin kepegawaian yang dapat mengubah status ini (misalnya mengonfirmasi pelatihan selesai)."))
        raise Forbidden(_("Hanya pegawai yang bersangkutan atau admin yang dapat mengubah status ini."))
    before = audit.snapshot(record)
    if course_id is not None and course_id != record.course_id:
        course = db.session.get(TrainingCourse, course_id)
        if course is None or not course.active:
            raise Invalid(_("Pilih pelatihan yang aktif di katalog."), "course_id")
        record.course_id = course.id
    if status is TrainingStatus.COMPLETED and record.course_id is None:
        raise Invalid(_("Pilih pelatihan dari katalog yang telah diselesaikan."), "course_id")
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
        raise Forbidden(_("Hanya admin yang dapat mengelola katalog pelatihan."))
    code = data.code.strip()
    if not CODE_RE.match(code):
        raise Invalid(_("Kode hanya huruf, angka, titik, garis bawah atau tanda hubung."), "code")
    name = data.name.strip()
    if not name:
        raise Invalid(_("Nama pelatihan wajib diisi."), "name")
    if data.hours < 0 or data.hours > 1000:
        raise Invalid(_("Jumlah JP harus antara 0 dan 1000."), "hours")
    bad = [t for t in data.topics if not TOPIC_RE.match(t)]
    if bad:
        raise Invalid(_("Topik tidak valid: %(topics)s. Gunakan kode rekomendasi (huruf kecil, angka, tanda hubung).",
                              topics=", ".join(bad)), "topics")
    clash = db.session.scalar(select(TrainingCourse.id).where(
        func.lower(TrainingCourse.code) == code.lower(),
        TrainingCourse.id != (course.id if course is not None else -1)))
    if clash is not None:
        raise Invalid(_("Kode %(code)s sudah dipakai pelatihan lain.", code=code), "code")
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
        raise Forbidden(_("Hanya admin yang dapat mengelola katalog pelatihan."))
    before = audit.snapshot(course)
    course.active = active
    audit.record("training_course.activate" if active else "training_course.deactivate", course, before)
    return course


def known_topics() -> list[tuple[str, str]]:
    """The rule set's training recommendation codes and names."""
    return [(rule.code, rule.name) for rule in tenant_rules().rule_set.training]


# --- display: names, never codes ------------------------------------------------------

def topic_name(code: str) -> str:
    """A recommendation code (a course topic) by its name in the rule set; a
    topic the rule set does not know is the admin's own word and stays as typed."""
    return dict(known_topics()).get(code, code)


def topic_names(codes: Sequence[str] | None) -> str:
    return ", ".join(topic_name(code) for code in codes or [])


def recommendation_name(record: TrainingRecord) -> str:
    """What a record recommends, in words: the rule's name, else the name the
    rule set gave it when recommending (the head of its reason)."""
    names = dict(known_topics())
    return names.get(record.recommendation_code) or (record.reason or "").split(":", 1)[0]


def _code_names() -> dict[str, str]:
    rules = tenant_rules().rule_set
    return {**{c.code: c.name for c in rules.components}, **{b.code: b.name for b in rules.behaviours},
            **dict(known_topics())}


def reason_text(reason: str | None) -> str:
    """A recommendation's reason with the rule set's behaviour, component and
    training codes it names replaced by their names (stored reasons read
    "perilaku berorientasi-pelayanan di bawah ekspektasi")."""
    if not reason:
        return ""
    # One-word codes ("disiplin", "akuntabel") read as words; only code-shaped ones are replaced.
    names = {code: name for code, name in _code_names().items() if re.search(r"[_-]", code)}
    if not names:
        return reason
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(c) for c in sorted(names, key=len, reverse=True))
                         + r")(?![\w-])")
    return pattern.sub(lambda match: names[match.group(1)], reason)


def status_label(status: TrainingStatus) -> str:
    labels = {
        TrainingStatus.RECOMMENDED: _("direkomendasikan"),
        TrainingStatus.ENROLLED: _("terdaftar"),
        TrainingStatus.COMPLETED: _("selesai"),
        TrainingStatus.DECLINED: _("ditolak"),
    }
    return labels[TrainingStatus(status)]

