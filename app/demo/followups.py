"""After the year's work: the training catalogue, one open objection waiting
for the atasan, training taken up and completed, and older notifications read."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app import audit
from app.demo import texts
from app.demo.context import DemoSeedError, DemoYear
from app.extensions import db
from app.notifications import inbox_query, mark_read
from app.periods.models import Period
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.objections import services as objections
from app.skp.training import services as training
from app.skp.training.models import TrainingRecord, TrainingStatus

UNREAD_KEPT = 4  # per account, the newest notifications stay unread


def training_catalogue(seed: DemoYear) -> None:
    short = seed.tenant.name.replace("Pemerintah ", "")
    topics = [(rule.code, rule.name) for rule in seed.rule_set.training]
    topics += list(texts.EXTRA_COURSES.get(seed.rule_set.code, ()))
    with audit.acting_as(seed.admin):
        for number, (code, name) in enumerate(topics, start=1):
            provider = seed.rng.choice(texts.PROVIDERS).format(tenant=short)
            training.save_course(seed.admin, training.CourseData(
                f"DIKLAT-{number:02d}", name, provider, float(seed.rng.choice((8, 12, 16, 20, 24))), [code]))


def open_objection(seed: DemoYear, chain: dict, passed: list[Period]) -> None:
    objector = next((m for m in chain["team"] if m.role == "objector" and m.plan is not None), None)
    if objector is None:
        return
    evaluation = db.session.scalar(select(Evaluation).where(
        Evaluation.plan_id == objector.plan.id, Evaluation.period_id == passed[-1].id,
        Evaluation.status == EvaluationStatus.FINAL))
    if evaluation is None:
        raise DemoSeedError("the objector's latest evaluation is not final")
    lodged_on = min(seed.today, evaluation.delivered_on + timedelta(days=3))
    with audit.acting_as(objector.user):
        objections.lodge(objector.user, evaluation, texts.OBJECTION_REASONS, today=lodged_on)


def training_progress(seed: DemoYear, chain: dict) -> None:
    """The pegawai enrols in one recommendation; the admin confirms another one completed."""
    team_ids = [m.employee.id for m in chain["team"]]
    records = list(db.session.scalars(
        select(TrainingRecord).where(TrainingRecord.employee_id.in_(team_ids),
                                     TrainingRecord.status == TrainingStatus.RECOMMENDED,
                                     TrainingRecord.course_id.is_not(None))
        .order_by(TrainingRecord.id)))
    if not records:
        return
    first = records[0]
    owner = seed.users[first.employee_id]
    with audit.acting_as(owner):
        training.change_status(owner, first, TrainingStatus.ENROLLED, note="Mendaftar angkatan berikutnya.")
    if len(records) > 1:
        second = records[-1]
        with audit.acting_as(seed.admin):
            training.change_status(seed.admin, second, TrainingStatus.ENROLLED)
            training.change_status(seed.admin, second, TrainingStatus.COMPLETED,
                                   note="Sertifikat diterima BKPSDM.")


def notifications_read(seed: DemoYear) -> None:
    """Older inbox entries read; the newest few of each account left unread."""
    for user in {u.id: u for u in seed.users.values()}.values():
        for note in db.session.scalars(inbox_query(user.id).offset(UNREAD_KEPT)):
            mark_read(note)
