"""Complaints (pengaduan): tracking codes, the handling workflow, the region's
follow-up for substantiated complaints, and the figures plugins receive.

Workflow: diterima → ditelaah (triage) → ditugaskan (assign) → dijawab
(respond, repeatable) → selesai (close). Every step is a ``ComplaintEvent``;
the citizen sees the status and the public messages, never internal notes.

Follow-up: when the admin records that a complaint about an employee is
substantiated (terbukti), the tenant's rule set is asked through the plugin
API (``kinerja_follow_ups`` with a ``FollowUpSignal``). Whatever it returns
(Salor: a follow-up evaluation and training) becomes a ``FollowUpItem`` for
the employee's supervisor; the national default returns nothing, so other
regions get no items. Runs for the current tenant; the caller commits.
"""

from __future__ import annotations

import secrets
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.errors import Conflict, Invalid
from app.extensions import db
from app.org import hierarchy
from app.org.models import Employee, Position, Unit
from app.publik import abuse
from app.publik.models import (
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintStatus,
    FollowUpItem,
)
from app.publik.periods import ReportingPeriod
from app.regions import inputs
from app.tenancy import tenant_rules, tenant_today, utc_now
from app.webhooks import services as webhooks

# No 0/O, 1/I/L: codes are read aloud and typed from paper.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 12  # 31**12 ≈ 2**59


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def normalise_tracking_code(text: str) -> str:
    """What the citizen typed → the stored form (case, spaces, dashes ignored)."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def display_tracking_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def find_by_tracking_code(text: str) -> Complaint | None:
    """The current tenant's complaint with this code; another tenant's code is None."""
    code = normalise_tracking_code(text)
    if len(code) != TRACKING_LENGTH or any(ch not in TRACKING_ALPHABET for ch in code):
        return None
    return db.session.scalar(select(Complaint).where(Complaint.tracking_code == code))


def public_events(complaint: Complaint) -> list[ComplaintEvent]:
    """What the citizen sees: status changes and public messages; internal steps stay internal."""
    events, last = [], None
    for event in complaint.events:
        if event.status != last or event.public_message:
            events.append(event)
            last = event.status
    return events


# --- filing -------------------------------------------------------------------------

class FilingOutcome:
    SAVED = "saved"
    DUPLICATE = "duplicate"
    RATE_LIMITED = "rate_limited"
    DISCARDED = "discarded"


@dataclass(frozen=True)
class ComplaintData:
    category: str
    unit_id: int
    description: str
    employee_id: int | None = None
    contact: str | None = None


def staff_of_unit(unit_id: int) -> list[tuple[int, str]]:
    """(id, name) of the unit's active staff, for the citizen to pick from."""
    rows = db.session.execute(
        select(Employee.id, Employee.name).join(Position, Employee.position_id == Position.id)
        .where(Position.unit_id == unit_id, Employee.active).order_by(Employee.name)
    ).all()
    return [(r.id, r.name) for r in rows]


def file_complaint(data: ComplaintData, received_on: date,
                   honeypot_filled: bool = False) -> tuple[str, Complaint | None]:
    """Record a complaint after the abuse checks: (``FilingOutcome``, complaint)."""
    if honeypot_filled:
        return FilingOutcome.DISCARDED, None
    if abuse.is_rate_limited("complaint"):
        return FilingOutcome.RATE_LIMITED, None
    description = data.description.strip()
    key = abuse.duplicate_key("complaint", data.unit_id, data.employee_id or "", data.category,
                              " ".join(description.lower().split()))
    if abuse.is_duplicate_complaint(key) is not None:
        return FilingOutcome.DUPLICATE, None
    if data.employee_id is not None and data.employee_id not in {i for i, _ in staff_of_unit(data.unit_id)}:
        raise Invalid(_l("Pilih petugas dari daftar."), "employee_id")
    code = new_tracking_code()
    while db.session.scalar(select(func.count()).select_from(Complaint).where(Complaint.tracking_code == code)):
        code = new_tracking_code()  # astronomically rare; the unique constraint is the backstop
    complaint = Complaint(
        tracking_code=code, category=ComplaintCategory(data.category), unit_id=data.unit_id,
        employee_id=data.employee_id, description=description,
        contact=(data.contact or "").strip() or None, received_on=received_on, duplicate_key=key,
        status=ComplaintStatus.DITERIMA,
    )
    complaint.events.append(ComplaintEvent(status=ComplaintStatus.DITERIMA))
    db.session.add(complaint)
    abuse.record_submission("complaint")
    db.session.flush()  # its id, for the webhook
    webhooks.emit("complaint.received", {"complaint_id": complaint.id, "tracking_code": complaint.tracking_code,
                                         "unit_id": complaint.unit_id, "category": complaint.category.value})
    return FilingOutcome.SAVED, complaint


# --- handling -------------------------------------------------------------------------

NOT_NOW = _l("Langkah ini tidak dapat dilakukan pada status pengaduan sekarang.")


_ALLOWED_FROM = {
    ComplaintStatus.DITELAAH: {ComplaintStatus.DITERIMA},
    ComplaintStatus.DITUGASKAN: {ComplaintStatus.DITELAAH, ComplaintStatus.DITUGASKAN, ComplaintStatus.DIJAWAB},
    ComplaintStatus.DIJAWAB: {ComplaintStatus.DITELAAH, ComplaintStatus.DITUGASKAN, ComplaintStatus.DIJAWAB},
    ComplaintStatus.SELESAI: {ComplaintStatus.DITERIMA, ComplaintStatus.DITELAAH,
                              ComplaintStatus.DITUGASKAN, ComplaintStatus.DIJAWAB},
}


def _step(complaint: Complaint, to: ComplaintStatus, user_id: int | None,
          note: str | None = None, public_message: str | None = None) -> None:
    if complaint.status not in _ALLOWED_FROM[to]:
        raise Conflict(NOT_NOW)
    complaint.status = to
    complaint.events.append(ComplaintEvent(status=to, note=(note or "").strip() or None,
                                           public_message=(public_message or "").strip() or None,
                                           by_user_id=user_id))
    if public_message and complaint.first_response_at is None:
        complaint.first_response_at = utc_now()


def triage(complaint: Complaint, user_id: int | None, category: str, unit_id: int,
           note: str | None = None, public_message: str | None = None) -> None:
    """Accept the complaint for handling, correcting category and unit if needed."""
    complaint.category = ComplaintCategory(category)
    if unit_id != complaint.unit_id:
        complaint.unit_id = unit_id
        complaint.employee_id = None  # the named employee belonged to the old unit
    _step(complaint, ComplaintStatus.DITELAAH, user_id, note, public_message)


def assign(complaint: Complaint, user_id: int | None, unit_id: int,
           employee_id: int | None = None, note: str | None = None) -> None:
    complaint.assigned_unit_id = unit_id
    complaint.assigned_employee_id = employee_id
    _step(complaint, ComplaintStatus.DITUGASKAN, user_id, note)


def respond(complaint: Complaint, user_id: int | None, public_message: str, note: str | None = None) -> None:
    if not (public_message or "").strip():
        raise Invalid(_l("Jawaban untuk pelapor tidak boleh kosong."), "public_message")
    _step(complaint, ComplaintStatus.DIJAWAB, user_id, note, public_message)


def close(complaint: Complaint, user_id: int | None, public_message: str | None = None,
          note: str | None = None) -> None:
    _step(complaint, ComplaintStatus.SELESAI, user_id, note, public_message)
    complaint.closed_at = utc_now()


def record_finding(complaint: Complaint, user_id: int | None, substantiated: bool,
                   note: str | None = None) -> list[FollowUpItem]:
    """Record whether the complaint is substantiated; returns new follow-up items."""
    if complaint.status is ComplaintStatus.DITERIMA:
        raise Conflict(NOT_NOW)
    was = complaint.substantiated
    complaint.substantiated = substantiated
    complaint.events.append(ComplaintEvent(status=complaint.status, by_user_id=user_id, finding=substantiated,
                                           note=(note or "").strip() or None))
    if not substantiated or was is True or complaint.employee is None:
        return []
    return create_follow_ups(complaint)


def create_follow_ups(complaint: Complaint) -> list[FollowUpItem]:
    """Ask the tenant's rule set what a substantiated complaint calls for."""
    employee = complaint.employee
    runtime = tenant_rules()
    signal = inputs.FollowUpSignal(employee_ref=employee.nip, complaints=(as_plugin_complaint(complaint),))
    supervisor = hierarchy.supervisor_of(employee)
    items = []
    for follow_up in runtime.follow_ups(signal):
        item = FollowUpItem(
            complaint_id=complaint.id, employee_id=employee.id,
            supervisor_id=supervisor.id if supervisor else None,
            kind=follow_up.kind[:40], title=follow_up.title[:200], reason=follow_up.reason[:300],
            rule_set_code=follow_up.rule_set_code[:40],
            due_on=tenant_today() + timedelta(days=follow_up.due_in_days),
        )
        db.session.add(item)
        items.append(item)
    return items


def open_follow_ups_for_supervisor(employee: Employee) -> list[FollowUpItem]:
    return list(db.session.scalars(
        select(FollowUpItem).where(FollowUpItem.supervisor_id == employee.id, FollowUpItem.done_at.is_(None))
        .order_by(FollowUpItem.due_on)
    ))


# --- plugin inputs ------------------------------------------------------------------------

def as_plugin_complaint(complaint: Complaint) -> inputs.Complaint:
    return inputs.Complaint(reference=complaint.reference, received_on=complaint.received_on,
                            substantiated=bool(complaint.substantiated), subject=complaint.category.value)


def complaints_about(employee: Employee, period: ReportingPeriod) -> tuple[inputs.Complaint, ...]:
    """Complaints about an employee received in the period, as plugins receive
    them (``EvaluationInput.complaints``, ``FollowUpSignal.complaints``)."""
    rows = db.session.scalars(
        select(Complaint).where(Complaint.employee_id == employee.id,
                                Complaint.received_on >= period.starts_on,
                                Complaint.received_on <= period.ends_on)
        .order_by(Complaint.received_on, Complaint.id)
    )
    return tuple(as_plugin_complaint(c) for c in rows)


@dataclass(frozen=True)
class UnitComplaintFigures:
    """A unit's complaint figures for a period (not yet in ``app.regions.inputs``).

    ``response_days``: for each complaint received in the period that has a
    public response, the calendar days from receipt to the first response —
    enough for a plugin to compute "handled within N days" its own way.
    """

    unit_code: str
    period_label: str
    received: int
    resolved: int
    substantiated: int
    median_resolution_days: float | None
    response_days: tuple[int, ...] = ()


def unit_complaint_figures(unit: Unit, period: ReportingPeriod) -> UnitComplaintFigures:
    rows = list(db.session.scalars(
        select(Complaint).where(Complaint.unit_id == unit.id, Complaint.received_on >= period.starts_on,
                                Complaint.received_on <= period.ends_on)
    ))
    resolution = [resolution_days(c) for c in rows if c.closed_at is not None]
    return UnitComplaintFigures(
        unit_code=unit.code, period_label=period.label, received=len(rows), resolved=len(resolution),
        substantiated=sum(1 for c in rows if c.substantiated),
        median_resolution_days=statistics.median(resolution) if resolution else None,
        response_days=tuple(sorted((c.first_response_at - c.received_at).days
                                   for c in rows if c.first_response_at is not None)),
    )


def resolution_days(complaint: Complaint) -> float:
    return round((complaint.closed_at - complaint.received_at).total_seconds() / 86400, 1)


@dataclass(frozen=True)
class ComplaintStats:
    received: int
    resolved: int
    median_resolution_days: float | None
    by_unit: dict[int, tuple[int, int, float | None]]  # unit id → received, resolved, median days


def complaint_stats(period: ReportingPeriod) -> ComplaintStats:
    rows: Sequence[Complaint] = list(db.session.scalars(
        select(Complaint).where(Complaint.received_on >= period.starts_on, Complaint.received_on <= period.ends_on)
    ))
    per_unit: dict[int, list[Complaint]] = {}
    for c in rows:
        per_unit.setdefault(c.unit_id, []).append(c)

    def _summary(items):
        days = [resolution_days(c) for c in items if c.closed_at is not None]
        return len(items), len(days), (statistics.median(days) if days else None)

    total = _summary(rows)
    return ComplaintStats(total[0], total[1], total[2], {u: _summary(items) for u, items in per_unit.items()})
