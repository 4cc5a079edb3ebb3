"""Criteria consultations, in the regions whose rule set asks for them
(Sawahlunto: ``consultation_days``):

* the sector indicators proposed for the demo pegawai's unit, closed
  yesterday after the rule's minimum, answered by the pegawai and colleagues
  (with comments): the admin responds, adopts and publishes it — and the
  year's plans may then lock;
* a settings change (more training hours) open to every employee, answered by
  a few colleagues but not yet by the demo pegawai."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.consultation import services
from app.consultation.access import is_concerned
from app.consultation.models import Consultation, Subject
from app.demo.accounts import account_employee
from app.extensions import db
from app.periods.services import year_period
from app.tenancy import frozen_clock, tenant, tenant_rules
from app.tenancy.current import settings_overrides

COMMENTS = ("Target jumlah layanan sebaiknya disesuaikan dengan jumlah tenaga di puskesmas.",
            "Setuju, indikator ini sudah kami catat setiap bulan.")


def seed_consultation(today: date) -> str | None:
    """Seed the demo consultations (once); a line for the seed report, or None when not seeded."""
    runtime = tenant_rules()
    if "consultation_days" not in runtime.settings or db.session.scalar(select(Consultation.id).limit(1)):
        return None
    admin = db.session.scalar(select(User).where(User.username == "admin", User.is_admin))
    pegawai = account_employee("pegawai")
    year = year_period(today.year)
    if admin is None or year is None or pegawai.position is None:
        return None
    days = int(runtime.settings["consultation_days"])
    unit_id = pegawai.position.unit_id
    in_force = services.indicator_codes_in_force(year.id, unit_id)
    sector = [i.code for i in runtime.rule_set.indicators if i.sector and i.code not in in_force][:2]
    answers = 0
    if sector:
        # Closed yesterday, after the rule's minimum: the admin responds, adopts and publishes.
        opens_on = today - timedelta(days=days + 1)
        with frozen_clock(opens_on):
            closed = _open(admin, services.ProposalData(
                title=f"Set indikator {pegawai.position.unit.name} tahun {year.year}",
                subject=Subject.INDICATOR_SET, period_id=year.id, unit_id=unit_id, opens_on=opens_on,
                closes_on=today - timedelta(days=1),
                explanation="Indikator sektor diusulkan untuk semua pegawai unit ini sebelum SKP tahun ini dikunci.",
                codes=in_force + sector))
        with frozen_clock(opens_on + timedelta(days=3)):
            answers += _answers(closed, pegawai.id, include_pegawai=True)
    hours = runtime.settings.get("required_training_hours")
    if isinstance(hours, int | float):
        # Open now for every employee: the demo pegawai has not answered yet.
        opens_on = today - timedelta(days=3)
        with frozen_clock(opens_on):
            running = _open(admin, services.ProposalData(
                title=f"Kewajiban pengembangan kompetensi {hours + 4:g} JP", subject=Subject.SETTINGS,
                period_id=year.id, unit_id=None, opens_on=opens_on, closes_on=opens_on + timedelta(days=days),
                explanation="Usulan menambah jam pelajaran pengembangan kompetensi yang diwajibkan per tahun.",
                overrides={**settings_overrides(tenant(), year.starts_on), "required_training_hours": hours + 4}))
            answers += _answers(running, pegawai.id, include_pegawai=False)
    return f"consultation: {answers} answers"


def _open(admin: User, data: services.ProposalData) -> Consultation:
    with audit.acting_as(admin):
        return services.open_consultation(admin, data)


def _answers(consultation: Consultation, pegawai_id: int, include_pegawai: bool) -> int:
    """Up to four colleagues answer (the first with a comment, the second disagrees)."""
    users = [u for u in db.session.scalars(select(User).where(User.active, User.employee_id.is_not(None))
                                           .order_by(User.id))
             if is_concerned(u, consultation) and (include_pegawai or u.employee_id != pegawai_id)][:4]
    for number, user in enumerate(users):
        with audit.acting_as(user):
            services.answer(user, consultation, number != 1, COMMENTS[number] if number < len(COMMENTS) else None)
    return len(users)
