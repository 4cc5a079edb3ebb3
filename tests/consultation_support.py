"""A criteria consultation with one answer, for the isolation and fuzz tests."""

from __future__ import annotations

from datetime import timedelta

from app.consultation.models import Answer, Consultation, Subject
from app.extensions import db
from app.tenancy import tenant_scope, tenant_today


def add_consultation(org, period_id: int, title: str = "Konsultasi set indikator") -> int:
    """An open consultation on the org's unit, answered by its pegawai (with a comment);
    the org's tenant is made to offer criteria consultation (setting ``criteria_consultation``)."""
    offer_consultation(org.tenant.id)
    with tenant_scope(org.tenant):
        today = tenant_today()
        consultation = Consultation(title=title, subject=Subject.INDICATOR_SET, period_id=period_id,
                                    unit_id=org.unit_id, proposal={"codes": ["KES-01"]},
                                    opens_on=today - timedelta(days=3), closes_on=today + timedelta(days=10))
        db.session.add(consultation)
        db.session.flush()
        db.session.add(Answer(consultation_id=consultation.id, employee_id=org.pegawai_id, agrees=False,
                              comment=f"{title}: masukan"))
        db.session.commit()
        return consultation.id


def offer_consultation(tenant_id: int) -> None:
    """Switch the tenant's ``criteria_consultation`` setting on (off in most rule sets)."""
    from app.tenancy import all_tenants
    from app.tenancy.models import Tenant

    with all_tenants("test: a tenant that consults on criteria"):
        tenant = db.session.get(Tenant, tenant_id)
        tenant.settings = {**(tenant.settings or {}), "criteria_consultation": True}
        db.session.commit()


SLUG = "sawahlunto-uji"
GURU_PASSWORD = "rahasia-uji-123"


class World:
    """Ids of the Sawahlunto world (``org``: tests/conftest.py Org)."""


def build_sawahlunto(app) -> World:
    """Sawahlunto with Dinkes (admin, atasan, penilai, pegawai accounts; the kadis
    and the peer have none), a second unit whose teacher (account "guru") is not
    concerned by Dinkes' consultations, and this year open."""
    from app.auth.accounts import UserData, save_user
    from app.org import services as org_services
    from app.periods.models import Period, PeriodKind
    from tests.conftest import make_org, make_tenant

    w = World()
    with app.app_context():
        tenant = make_tenant(SLUG, rule_set="sawahlunto")
        w.org = make_org(tenant)
        with tenant_scope(tenant):
            other = org_services.save_unit(org_services.UnitData("DISDIK", "Dinas Pendidikan", "dinas"))
            db.session.flush()
            position = org_services.save_position(org_services.PositionData(
                "GURU", "Guru Ahli Pertama", "pelaksana", other.id, None))
            db.session.flush()
            teacher = org_services.save_employee(org_services.EmployeeData(
                "198501012010011001", "Guru Disdik", "L", "PNS", position.id))
            db.session.flush()
            save_user(UserData("guru", teacher.nip, False, GURU_PASSWORD))
            today = tenant_today()
            year = Period(year=today.year, kind=PeriodKind.YEAR, sequence=1, starts_on=today.replace(month=1, day=1),
                          ends_on=today.replace(month=12, day=31))
            db.session.add(year)
            db.session.commit()
            w.today, w.year_id, w.other_unit_id = today, year.id, other.id
        db.session.remove()
    return w


def close_window(app, consultation_id: int, days_ago: int = 1) -> None:
    """Time passes: the consultation's window ended ``days_ago`` days ago."""
    from sqlalchemy import select

    from app.tenancy.models import Tenant

    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        with tenant_scope(tenant):
            row = db.session.get(Consultation, consultation_id)
            row.closes_on = tenant_today() - timedelta(days=days_ago)
            db.session.commit()
        db.session.remove()
