"""Dialog kinerja: continuous feedback threads and recorded feedback sessions.

- A thread message is on the plan, on one RHK (``result_id``) or on one IKI
  (``indicator_id``, which also names its RHK). The pegawai, the pejabat
  penilai and the atasan may post and read (``can_give_feedback``);
  the other party gets a notification.
- A feedback session (date, face to face or not, notes, agreed actions,
  optionally the sub-period it belongs to) is recorded by the penilai once the
  plan is agreed, is visible to the pegawai and the atasan, and is audited.

The other party is told through ``app.notifications.notify``. Errors are
those of ``app.errors`` (``Forbidden``, ``Invalid`` on a field, ``NotFound``
for an RHK/IKI of another plan). Nothing here commits.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app import audit
from app.auth.models import User
from app.errors import Forbidden, Invalid, NotFound
from app.extensions import db
from app.notifications import notify
from app.org.models import Employee
from app.periods.models import Period
from app.skp.feedback.access import (
    can_give_feedback,
    can_read_feedback,
    can_record_feedback_session,
)
from app.skp.feedback.models import FeedbackMessage, FeedbackSession
from app.skp.planning.access import atasan_of, is_atasan, is_owner, is_penilai, penilai_of
from app.skp.planning.models import Plan, PlanIndicator, PlanResult
from app.skp.realisation.services import sub_periods
from app.tenancy import tenant_today, utc_now

MAX_BODY = 5000


# --- threads ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ThreadEntry:
    message: FeedbackMessage
    author: str
    author_role: str
    subject: str | None  # the RHK/IKI it is about, None for the whole plan


@functools.cache
def _author() -> Any:
    """The message author's ``Employee`` alias, made once: an alias costs more to build (~0.7 ms)
    than the query that joins it. (Not at import: making one configures the mappers.)"""
    return aliased(Employee)


def require_read(user: User, plan: Plan) -> None:
    if not can_read_feedback(user, plan):
        raise Forbidden(_("Dialog kinerja hanya untuk pegawai, pejabat penilai dan atasan pejabat penilai."))


def subject_of(plan: Plan, result_id: int | None, indicator_id: int | None) -> tuple[int | None, int | None]:
    """Check that the RHK/IKI belongs to the plan; the IKI names its RHK.
    Returns (result_id, indicator_id); ``NotFound`` for an id of another plan."""
    if indicator_id is not None:
        indicator = db.session.get(PlanIndicator, indicator_id)
        if indicator is None or indicator.result.plan_id != plan.id:
            raise NotFound(_("IKI ini bukan bagian dari SKP tersebut."))
        return indicator.result_id, indicator.id
    if result_id is not None:
        result = db.session.get(PlanResult, result_id)
        if result is None or result.plan_id != plan.id:
            raise NotFound(_("RHK ini bukan bagian dari SKP tersebut."))
        return result.id, None
    return None, None


def thread(user: User, plan: Plan, result_id: int | None = None,
           indicator_id: int | None = None) -> list[ThreadEntry]:
    """The messages in order, with author and subject, in one query."""
    require_read(user, plan)
    author_employee = _author()
    query = (
        select(FeedbackMessage, User.username, User.employee_id, author_employee.name,
               PlanResult.description, PlanIndicator.name)
        .join(User, FeedbackMessage.author_id == User.id)
        .outerjoin(author_employee, User.employee_id == author_employee.id)
        .outerjoin(PlanResult, FeedbackMessage.result_id == PlanResult.id)
        .outerjoin(PlanIndicator, FeedbackMessage.indicator_id == PlanIndicator.id)
        .where(FeedbackMessage.plan_id == plan.id)
        .order_by(FeedbackMessage.created_at, FeedbackMessage.id)
    )
    if indicator_id is not None:
        query = query.where(FeedbackMessage.indicator_id == indicator_id)
    elif result_id is not None:
        query = query.where(FeedbackMessage.result_id == result_id)
    penilai = penilai_of(plan)
    atasan = atasan_of(plan)
    entries = []
    for message, username, employee_id, name, result_text, indicator_text in db.session.execute(query):
        entries.append(ThreadEntry(message, name or username,
                                   _role_label(employee_id, plan, penilai, atasan),
                                   (f"IKI: {indicator_text}" if indicator_text else
                                    f"RHK: {result_text}" if result_text else None)))
    return entries


def _role_label(employee_id: int | None, plan: Plan, penilai: Employee | None, atasan: Employee | None) -> str:
    if employee_id is not None and employee_id == plan.employee_id:
        return _("pegawai")
    if penilai is not None and employee_id == penilai.id:
        return _("pejabat penilai")
    if atasan is not None and employee_id == atasan.id:
        return _("atasan pejabat penilai")
    return _("admin")


def post_message(user: User, plan: Plan, body: str | None, result_id: int | None = None,
                 indicator_id: int | None = None) -> FeedbackMessage:
    if not can_give_feedback(user, plan):
        raise Forbidden(_("Dialog kinerja hanya untuk pegawai, pejabat penilai dan atasan pejabat penilai."))
    body = (body or "").strip()
    if not body:
        raise Invalid(_("Tulis pesan terlebih dahulu."), "body")
    if len(body) > MAX_BODY:
        raise Invalid(_("Pesan terlalu panjang (paling banyak %(n)d karakter).", n=MAX_BODY), "body")
    result_id, indicator_id = subject_of(plan, result_id, indicator_id)
    message = FeedbackMessage(plan_id=plan.id, result_id=result_id, indicator_id=indicator_id,
                              author_id=user.id, body=body, created_at=utc_now())
    db.session.add(message)
    db.session.flush()  # the notification is about this message
    about = ("feedback-message", message.id)
    author = user.employee.name if user.employee is not None else user.username

    def text() -> str:
        return _("Pesan baru dalam dialog kinerja dari %(name)s.", name=author)

    penilai = penilai_of(plan)
    if is_owner(user, plan):
        notify("feedback.message", text, employees=[penilai.id if penilai else None], about=about)
    else:
        recipients = [plan.employee_id]
        if is_atasan(user, plan):
            recipients.append(penilai.id if penilai else None)
        notify("feedback.message", text, employees=recipients, about=about, exclude_user_id=user.id)
    return message


# --- recorded sessions ------------------------------------------------------------------

@dataclass(frozen=True)
class SessionData:
    held_on: date
    face_to_face: bool
    notes: str
    agreed_actions: str | None
    period_id: int | None


def sessions(user: User, plan: Plan) -> list[tuple[FeedbackSession, Period | None, str]]:
    """The plan's recorded sessions, newest first, with their sub-period and recorder."""
    require_read(user, plan)
    rows = db.session.execute(
        select(FeedbackSession, Period, User.username, Employee.name)
        .outerjoin(Period, FeedbackSession.period_id == Period.id)
        .join(User, FeedbackSession.recorded_by_id == User.id)
        .outerjoin(Employee, User.employee_id == Employee.id)
        .where(FeedbackSession.plan_id == plan.id)
        .order_by(FeedbackSession.held_on.desc(), FeedbackSession.id.desc())
    ).all()
    return [(s, period, name or username) for s, period, username, name in rows]


def record_session(user: User, plan: Plan, data: SessionData) -> FeedbackSession:
    if not is_penilai(user, plan):
        raise Forbidden(_("Sesi dialog kinerja dicatat oleh pejabat penilai."))
    if not can_record_feedback_session(user, plan):
        raise Forbidden(_("Sesi dialog kinerja dapat dicatat setelah SKP disetujui."))
    year = plan.period
    # From the start of the plan's year; a closing conversation may fall early the next year.
    latest = min(tenant_today(), date(year.ends_on.year + 1, 12, 31))
    if not year.starts_on <= data.held_on <= latest:
        raise Invalid(_("Tanggal sesi harus sejak awal tahun SKP dan tidak di masa depan."), "held_on")
    notes = (data.notes or "").strip()
    if not notes:
        raise Invalid(_("Tuliskan catatan sesi."), "notes")
    if data.period_id is not None and data.period_id not in {p.id for p in sub_periods(plan)}:
        raise Invalid(_("Pilih periode dari tahun SKP ini."), "period_id")
    session = FeedbackSession(plan_id=plan.id, period_id=data.period_id, held_on=data.held_on,
                              face_to_face=data.face_to_face, notes=notes,
                              agreed_actions=(data.agreed_actions or "").strip() or None,
                              recorded_by_id=user.id)
    db.session.add(session)
    audit.record("feedback_session.create", session, None, employee_id=plan.employee_id)
    notify("feedback.session",
           lambda: _("Pejabat penilai mencatat sesi dialog kinerja tanggal %(day)s.",
                     day=format_date(data.held_on, "dd-MM-yyyy")),
           employees=[plan.employee_id], about=("plan-sessions", plan.id))
    return session


def message_link_values(message_id: int) -> dict[str, int] | None:
    """The URL values of the thread a dialog message is in (for notifications about it)."""
    message = db.session.get(FeedbackMessage, message_id)
    if message is None:
        return None
    subject = ({"indicator_id": message.indicator_id} if message.indicator_id else
               {"result_id": message.result_id} if message.result_id else {})
    return {"plan_id": message.plan_id, **subject}
