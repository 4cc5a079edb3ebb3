"""Helpers for the publik tests: tenant B's citizen-side objects, and
submitting the public forms the way a browser does."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from app.extensions import db
from app.org.models import Unit
from app.publik.models import (
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintStatus,
    FollowUpItem,
    Publication,
    PublicationKind,
    SurveyResponse,
)
from app.tenancy import all_tenants, tenant_scope

B_TRACKING_CODE = "BETA23456789"  # tenant B's complaint, looked up at tenant A in tests


def add_publik_objects(org) -> dict:
    """A survey response, a complaint with history and follow-up, and a
    publication for ``org``'s tenant; every text carries the org's markers."""
    with tenant_scope(org.tenant):
        db.session.add(SurveyResponse(unit_id=org.unit_id, submitted_on=date.today(),
                                      **{f"u{i}": 3 for i in range(1, 10)}))
        complaint = Complaint(
            tracking_code=B_TRACKING_CODE if "Beta" in _unit_name(org) else "ALFA23456789",
            category=ComplaintCategory.PERILAKU, unit_id=org.unit_id, employee_id=org.pegawai_id,
            description=f"{_unit_name(org)}: petugas membentak warga di loket.",
            contact="warga@example.org", received_on=date.today(), status=ComplaintStatus.DIJAWAB)
        complaint.events.append(ComplaintEvent(status=ComplaintStatus.DIJAWAB,
                                               public_message=f"Jawaban {_unit_name(org)}"))
        db.session.add(complaint)
        db.session.flush()
        follow_up = FollowUpItem(complaint_id=complaint.id, employee_id=org.pegawai_id,
                                 supervisor_id=org.penilai_id, kind="evaluasi_ulang",
                                 title=f"Evaluasi {_unit_name(org)}", reason="pengaduan terbukti",
                                 rule_set_code="salor", due_on=date.today())
        publication = Publication(kind=PublicationKind.IKM, year=date.today().year, quarter=0,
                                  period_label="Tahun", published_at=datetime.utcnow(),
                                  data={"units": [{"unit_id": org.unit_id, "unit": _unit_name(org),
                                                   "respondents": 9, "ikm": "75.00", "band": "C",
                                                   "band_label": "Kurang Baik", "elements": ["3.00"] * 9}],
                                        "threshold": 5, "elements": [f"U{i}" for i in range(1, 10)]})
        db.session.add_all([follow_up, publication])
        db.session.commit()
        return {"complaint_id": complaint.id, "tracking_code": complaint.tracking_code,
                "publication_id": publication.id, "follow_up_id": follow_up.id}


def _unit_name(org) -> str:
    with all_tenants("test: an organisation's unit name"):
        return db.session.get(Unit, org.unit_id).name


# --- driving the public forms -------------------------------------------------------------

GOOD_ANSWERS = (4, 3, 3, 4, 3, 3, 4, 2, 3)


def survey_form(answers=GOOD_ANSWERS, **extra) -> dict:
    data = {f"u{i}": str(a) for i, a in enumerate(answers, start=1)}
    data.update({"comment": "", "age_band": "30-39", "sex": "P", "education": "s1", "occupation": "swasta",
                 "website": ""})
    data.update(extra)
    return data


def complaint_form(**extra) -> dict:
    data = {"category": "perilaku", "employee_id": "", "website": "",
            "description": "Petugas loket meminta uang tambahan untuk mempercepat KTP saya.", "contact": ""}
    data.update(extra)
    return data


def file_complaint(client, slug: str, unit_id: int, **extra) -> str:
    """File a complaint through the public form; returns the tracking code shown."""
    import re

    response = client.post(f"/{slug}/publik/pengaduan?unit={unit_id}", data=complaint_form(**extra))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = client.get(response.location).get_data(as_text=True)
    match = re.search(r'data-testid="tracking-code">([A-Z0-9-]+)<', page)
    assert match, page
    return match.group(1)


# --- evaluations for the predikat distribution ----------------------------------------------

def add_evaluations(tenant, units: dict[str, dict], year: int = 2026, prefix: str = "") -> dict:
    """Units, employees, a YEAR and its QUARTER periods, agreed plans and
    evaluations for ``tenant``, straight from the models.

    ``units`` maps a unit name to ``{"year": [predikat codes of FINAL annual
    evaluations], "drafts": [codes of DRAFT annual evaluations], "q1": [codes
    of FINAL Triwulan I evaluations]}``; every evaluation is its own employee.
    Returns {"unit_ids": {name: id}, "names": [...], "nips": [...], "evaluation_ids": [...]}.
    """
    from app.org.models import Employee, Position, PositionKind, Unit, UnitKind
    from app.org.nip import EmployeeType, Sex
    from app.periods.models import Period, PeriodKind
    from app.skp.evaluation.models import Evaluation, EvaluationStatus
    from app.skp.planning.models import Plan, PlanStatus

    out: dict = {"unit_ids": {}, "names": [], "nips": [], "evaluation_ids": []}
    with tenant_scope(tenant):
        year_period = db.session.scalar(select(Period).where(Period.year == year, Period.kind == PeriodKind.YEAR))
        if year_period is None:
            year_period = Period(year=year, kind=PeriodKind.YEAR, sequence=1,
                                 starts_on=date(year, 1, 1), ends_on=date(year, 12, 31))
            db.session.add(year_period)
            db.session.add_all([Period(year=year, kind=PeriodKind.QUARTER, sequence=q, parent=year_period,
                                       starts_on=date(year, 3 * q - 2, 1),
                                       ends_on=date(year, 3 * q, 31 if q in (1, 4) else 30)) for q in range(1, 5)])
            db.session.flush()
        q1 = db.session.scalar(select(Period).where(Period.year == year, Period.kind == PeriodKind.QUARTER,
                                                    Period.sequence == 1))
        serial = db.session.scalar(select(func.count()).select_from(Employee)) or 0
        for index, (unit_name, spec) in enumerate(units.items()):
            unit = Unit(code=f"{prefix}U{index}", name=unit_name, kind=UnitKind.DINAS)
            db.session.add(unit)
            db.session.flush()
            position = Position(code=f"{prefix}P{index}", name=f"Pelaksana {unit_name}",
                                kind=PositionKind.PELAKSANA, unit_id=unit.id)
            db.session.add(position)
            db.session.flush()
            out["unit_ids"][unit_name] = unit.id
            entries = ([(code, EvaluationStatus.FINAL, year_period) for code in spec.get("year", [])]
                       + [(code, EvaluationStatus.DRAFT, year_period) for code in spec.get("drafts", [])]
                       + [(code, EvaluationStatus.FINAL, q1) for code in spec.get("q1", [])])
            for code, status, period in entries:
                serial += 1
                nip = f"19800101200501{1 + serial % 2}{serial:03d}"
                name = f"{prefix}Pegawai Rahasia {serial:03d}"
                employee = Employee(nip=nip, name=name, sex=Sex.L if serial % 2 == 0 else Sex.P,
                                    employee_type=EmployeeType.PNS, position_id=position.id)
                db.session.add(employee)
                db.session.flush()
                plan = Plan(employee_id=employee.id, period_id=year_period.id, status=PlanStatus.AGREED,
                            position_name=position.name, unit_name=unit_name)
                db.session.add(plan)
                db.session.flush()
                final = status is EvaluationStatus.FINAL
                evaluation = Evaluation(plan_id=plan.id, period_id=period.id, status=status,
                                        predikat_code=code, predikat_label=code.replace("_", " ").title(),
                                        finalised_at=datetime.utcnow() if final else None)
                db.session.add(evaluation)
                db.session.flush()
                out["names"].append(name)
                out["nips"].append(nip)
                out["evaluation_ids"].append(evaluation.id)
        db.session.commit()
    return out
