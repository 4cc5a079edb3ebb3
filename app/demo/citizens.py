"""The citizens' side of the demo year: survey responses (SKM) per service
unit and quarter, complaints in every state (one about a team member found
substantiated), and the last finished quarter's figures published.

The only direct writes are the timestamps of citizen submissions: the
services stamp "now", and a complaint received weeks ago should not show as
handled in seconds. A survey respondent's address is set per respondent so
the public forms' abuse limits treat them as different people, as they are.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import request
from sqlalchemy import select

from app.demo import texts
from app.demo.context import DemoSeedError, DemoYear
from app.errors import Invalid
from app.extensions import db
from app.org.models import Unit, UnitKind
from app.periods.models import Period
from app.publik import complaints as complaint_service
from app.publik import surveys as survey_service
from app.publik import transparency
from app.publik.models import Complaint, ComplaintStatus, PublicationKind
from app.tenancy.current import start_of_local_day, utc_now

# Unit kinds citizens are served by (survey and complaint targets).
SERVICE_KINDS = {UnitKind.DINAS, UnitKind.BADAN, UnitKind.KANTOR, UnitKind.KECAMATAN, UnitKind.KELURAHAN,
                 UnitKind.PUSKESMAS, UnitKind.RSUD, UnitKind.SEKOLAH}
SURVEYS_PER_QUARTER = (6, 14)  # enough per unit that the public page shows the IKM (threshold 5)


def publications(seed: DemoYear) -> None:
    """The admin publishes the last finished calendar quarter's IKM and complaint figures."""
    quarter = (seed.today.month - 1) // 3
    year = seed.today.year if quarter else seed.today.year - 1
    for kind in (PublicationKind.IKM, PublicationKind.PENGADUAN):
        try:
            transparency.publish(kind, year, quarter or 4, seed.admin.id)
        except Invalid:
            continue  # nothing to show for that quarter


def _service_units(seed: DemoYear) -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.active, Unit.kind.in_(SERVICE_KINDS))
                                   .order_by(Unit.id)))


def surveys(seed: DemoYear, since: date) -> None:
    """SKM responses per service unit and calendar quarter up to today."""
    count = 0
    for unit in _service_units(seed):
        quality = seed.rng.uniform(2.9, 3.6)
        start = since
        while start <= seed.today:
            end = min(_quarter_end(start), seed.today)
            for _ in range(seed.rng.randint(*SURVEYS_PER_QUARTER)):
                answers = tuple(min(4, max(1, round(seed.rng.gauss(quality, 0.55)))) for _ in range(9))
                day = start + timedelta(days=seed.rng.randint(0, (end - start).days))
                comment = seed.rng.choice(texts.SURVEY_COMMENTS) if seed.rng.random() < 0.3 else None
                count += 1
                request.remote_addr = f"10.{count // 65000 % 250}.{count // 250 % 250}.{count % 250 + 1}"
                outcome = survey_service.submit_response(survey_service.SurveyAnswers(
                    unit.id, answers, comment, seed.rng.choice(("20-29", "30-39", "40-49", "50-59")),
                    seed.rng.choice(("L", "P")), None, None), day)
                if outcome != survey_service.SurveyOutcome.SAVED:
                    raise DemoSeedError(f"survey response not saved: {outcome}")
            start = end + timedelta(days=1)
    request.remote_addr = "127.0.0.1"


def complaints(seed: DemoYear, chain: dict, passed: list[Period]) -> None:
    """A complaint in every state, and one about a team member found substantiated."""
    units = _service_units(seed)
    admin_id = seed.admin.id
    steps = ("selesai", "dijawab", "ditugaskan", "ditelaah", "diterima")
    ages = (75, 24, 12, 6, 1)
    for number, (step, age) in enumerate(zip(steps, ages, strict=True)):
        category, description, response = texts.COMPLAINTS[number % len(texts.COMPLAINTS)]
        unit = units[(number * 3 + 1) % len(units)]
        received_on = seed.today - timedelta(days=age)
        request.remote_addr = f"10.250.0.{number + 1}"
        complaint = _file(seed, complaint_service.ComplaintData(category, unit.id, description), received_on)
        _handle(seed, complaint, step, response, admin_id, unit)
    # About a team member (the one who will object), in the last period that has passed.
    objector = next((m for m in chain["team"] if m.role == "objector"), None)
    if objector is None:
        return
    period = passed[-1]
    received_on = max(period.starts_on, period.ends_on - timedelta(days=9))
    category, description, response = texts.EMPLOYEE_COMPLAINT
    request.remote_addr = "10.250.1.1"
    unit_id = objector.employee.position.unit_id
    complaint = _file(seed, complaint_service.ComplaintData(
        category, unit_id, description, objector.employee.id), received_on)
    complaint_service.triage(complaint, admin_id, category, unit_id, texts.TRIAGE_NOTES[1],
                             "Pengaduan Anda sedang ditelaah.")
    complaint_service.assign(complaint, admin_id, unit_id, objector.employee.id, "Klarifikasi pegawai.")
    complaint_service.record_finding(complaint, admin_id, True, "Terbukti dari rekaman CCTV loket.")
    complaint_service.respond(complaint, admin_id, response)
    _backdate(seed, complaint, received_on, ("ditelaah", "ditugaskan", "dijawab"))
    request.remote_addr = "127.0.0.1"


def _file(seed: DemoYear, data: complaint_service.ComplaintData, received_on: date) -> Complaint:
    outcome, complaint = complaint_service.file_complaint(data, received_on)
    if complaint is None:
        raise DemoSeedError(f"complaint not filed: {outcome}")
    db.session.flush()
    return complaint


def _handle(seed: DemoYear, complaint: Complaint, step: str, response: str, admin_id: int, unit: Unit) -> None:
    order = ("ditelaah", "ditugaskan", "dijawab", "selesai")
    if step == "diterima":
        _backdate(seed, complaint, complaint.received_on, ())
        return
    done = order[:order.index(step) + 1]
    complaint_service.triage(complaint, admin_id, complaint.category.value, unit.id,
                             seed.rng.choice(texts.TRIAGE_NOTES), "Pengaduan Anda kami terima dan sedang ditelaah.")
    if "ditugaskan" in done:
        complaint_service.assign(complaint, admin_id, unit.id, None, "Mohon ditindaklanjuti unit layanan.")
    if "dijawab" in done:
        complaint_service.respond(complaint, admin_id, response)
    if "selesai" in done:
        complaint_service.close(complaint, admin_id, None, "Tindak lanjut selesai.")
    _backdate(seed, complaint, complaint.received_on, done)


def _backdate(seed: DemoYear, complaint: Complaint, received_on: date, steps: tuple[str, ...]) -> None:
    """Spread the handling over the days since receipt (the services stamp "now")."""
    # Office hours where the tenant is, stored as UTC like every timestamp.
    received_at = start_of_local_day(received_on) + timedelta(hours=8 + seed.rng.randint(0, 6),
                                                              minutes=seed.rng.randint(0, 59))
    now = utc_now()
    span = max((now - received_at).total_seconds(), 60)
    complaint.received_at = received_at
    events = sorted(complaint.events, key=lambda e: e.id or 0)
    moments = sorted(received_at + timedelta(seconds=span * seed.rng.uniform(0.05, 0.9)) for _ in events[1:])
    for event, at in zip(events, [received_at, *moments], strict=True):
        event.at = at
    responded = [e.at for e in events if e.public_message]
    complaint.first_response_at = responded[0] if responded else None
    if complaint.status is ComplaintStatus.SELESAI:
        complaint.closed_at = events[-1].at


def _quarter_end(day: date) -> date:
    last_month = (day.month - 1) // 3 * 3 + 3
    return (date(day.year, 12, 31) if last_month == 12
            else date(day.year, last_month + 1, 1) - timedelta(days=1))
