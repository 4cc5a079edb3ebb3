"""Which reminders are due today, from the tenant's calendar and rules.

A deadline is reminded from ``LEAD_DAYS`` days before it up to the day itself
(config ``REMINDER_LEAD_DAYS``); a complaint once it has waited longer than the
response time (``COMPLAINT_RESPONSE_DAYS``, as on the dashboards) without a
public response. Each ``Due`` is one reminder for one account; sending
(``app.reminders.service``) skips those already sent.

* plan: the period's ``plans_lock_on`` — to employees whose SKP for the period
  is missing, a draft or returned;
* realisation: a sub-period's ``ends_on`` — to owners of agreed SKP with an
  indicator still without realisation for that sub-period;
* evaluation: the period's ``evaluation_due_on`` — to penilai with a draft
  evaluation of that period;
* objection: the last day to lodge an objection to a final evaluation
  (``app.skp.objections.services.lodging_deadline``) — to the pegawai, when none
  was lodged;
* complaint: an open complaint without a public response past the response
  time — to the admins and the employee it is assigned to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import and_, exists, or_, select

from app.auth.models import User
from app.extensions import db
from app.org.models import Employee
from app.periods.models import Period
from app.publik.models import Complaint, ComplaintStatus
from app.reports.dashboards import COMPLAINT_RESPONSE_DAYS
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.objections import services as objections
from app.skp.objections.models import Objection
from app.skp.planning.models import Plan, PlanIndicator, PlanResult, PlanStatus
from app.skp.realisation.models import Realisation

LEAD_DAYS = 3  # a deadline is reminded from this many days before it (config REMINDER_LEAD_DAYS)

PLAN, REALISATION, EVALUATION, OBJECTION, COMPLAINT = (
    "reminder.plan", "reminder.realisation", "reminder.evaluation", "reminder.objection", "reminder.complaint")
KINDS = (PLAN, REALISATION, EVALUATION, OBJECTION, COMPLAINT)


@dataclass(frozen=True)
class Due:
    """One reminder for one account: ``kind`` about ``subject_id`` (a period,
    an evaluation, a complaint) for the deadline ``due_on``."""

    kind: str
    subject_id: int
    due_on: date
    user_id: int
    message: Callable[[], str]  # rendered in the recipient's language
    about: tuple[str, int | None] | None = None


def lead_days() -> int:
    return int(current_app.config.get("REMINDER_LEAD_DAYS", LEAD_DAYS))


def due_reminders(today: date) -> list[Due]:
    """Every reminder due in the current tenant on ``today`` (sent or not)."""
    horizon = today + timedelta(days=lead_days())
    return [*_plans(today, horizon), *_realisations(today, horizon), *_evaluations(today, horizon),
            *_objections(today, horizon), *_complaints(today)]


def _day(value: date) -> str:
    return format_date(value, "d MMMM yyyy")


def _accounts(employee_ids: Iterable[int | None]) -> dict[int, list[int]]:
    """Active accounts of these employees: employee id → account ids."""
    ids = {e for e in employee_ids if e is not None}
    found: dict[int, list[int]] = {}
    if not ids:
        return found
    for user_id, employee_id in db.session.execute(
            select(User.id, User.employee_id).where(User.active, User.employee_id.in_(ids)).order_by(User.id)):
        found.setdefault(employee_id, []).append(user_id)
    return found


def _plans(today: date, horizon: date) -> Iterable[Due]:
    # SKP are drawn up for a year period (the top of its tree).
    periods = db.session.scalars(select(Period).where(
        Period.parent_id.is_(None), Period.plans_lock_on.between(today, horizon))).all()
    for period in periods:
        deadline, label = period.plans_lock_on, period.label
        plans = {employee_id: (plan_id, status) for plan_id, employee_id, status in db.session.execute(
            select(Plan.id, Plan.employee_id, Plan.status).where(Plan.period_id == period.id))}
        waiting = [e for e in db.session.scalars(select(Employee.id).where(Employee.active).order_by(Employee.id))
                   if plans.get(e, (None, None))[1] in (None, PlanStatus.DRAFT, PlanStatus.RETURNED)]

        def message(deadline=deadline, label=label) -> str:
            return _("Pengingat: SKP periode %(period)s harus selesai disusun dan diajukan paling lambat "
                     "%(day)s.", period=label, day=_day(deadline))
        for employee_id, user_ids in _accounts(waiting).items():
            plan_id = plans.get(employee_id, (None, None))[0]
            for user_id in user_ids:
                yield Due(PLAN, period.id, deadline, user_id, message, ("plan", plan_id) if plan_id else None)


def _realisations(today: date, horizon: date) -> Iterable[Due]:
    periods = db.session.scalars(select(Period).where(
        Period.parent_id.is_not(None), Period.ends_on.between(today, horizon))).all()
    for period in periods:
        deadline, label = period.ends_on, period.label
        missing = exists().where(
            PlanResult.plan_id == Plan.id, PlanIndicator.result_id == PlanResult.id,
            ~exists().where(Realisation.indicator_id == PlanIndicator.id, Realisation.period_id == period.id))
        plans = dict(db.session.execute(select(Plan.employee_id, Plan.id).where(
            Plan.period_id == period.parent_id, Plan.status == PlanStatus.AGREED, missing)).all())

        def message(deadline=deadline, label=label) -> str:
            return _("Pengingat: isi realisasi SKP Anda untuk %(period)s paling lambat %(day)s.",
                     period=label, day=_day(deadline))
        for employee_id, user_ids in _accounts(plans).items():
            for user_id in user_ids:
                yield Due(REALISATION, period.id, deadline, user_id, message, ("plan", plans[employee_id]))


def _evaluations(today: date, horizon: date) -> Iterable[Due]:
    periods = db.session.scalars(select(Period).where(Period.evaluation_due_on.between(today, horizon))).all()
    for period in periods:
        deadline, label = period.evaluation_due_on, period.label
        evaluators = db.session.scalars(select(Evaluation.evaluator_id).distinct().where(
            Evaluation.period_id == period.id, Evaluation.status == EvaluationStatus.DRAFT)).all()

        def message(deadline=deadline, label=label) -> str:
            return _("Pengingat: penilaian kinerja periode %(period)s harus selesai paling lambat %(day)s.",
                     period=label, day=_day(deadline))
        for user_ids in _accounts(evaluators).values():
            for user_id in user_ids:
                yield Due(EVALUATION, period.id, deadline, user_id, message, ("evaluation-list", None))


def _objections(today: date, horizon: date) -> Iterable[Due]:
    # Each result keeps the window frozen with it: look back as far as the longest allowed one.
    longest = max(objections.LONGEST_WINDOW_DAYS, objections.window_days())
    earliest, latest = today - timedelta(days=longest), horizon
    # The window runs from delivery, else from the day of finalising (a timestamp: one day of slack).
    candidates = db.session.execute(
        select(Evaluation, Plan.employee_id).join(Plan, Evaluation.plan_id == Plan.id).where(
            Evaluation.status == EvaluationStatus.FINAL,
            ~exists().where(Objection.evaluation_id == Evaluation.id),
            or_(Evaluation.delivered_on.between(earliest, latest),
                and_(Evaluation.delivered_on.is_(None),
                     Evaluation.finalised_at.between(earliest - timedelta(days=1), latest + timedelta(days=2)))),
        )).all()
    owners = _accounts(employee_id for _evaluation, employee_id in candidates)
    for evaluation, employee_id in candidates:
        deadline = objections.lodging_deadline(evaluation)
        if deadline is None or not today <= deadline <= horizon:
            continue

        def message(deadline=deadline) -> str:
            return _("Pengingat: batas waktu mengajukan keberatan atas hasil penilaian kinerja Anda adalah "
                     "%(day)s.", day=_day(deadline))
        for user_id in owners.get(employee_id, []):
            yield Due(OBJECTION, evaluation.id, deadline, user_id, message, ("evaluation", evaluation.id))


def _complaints(today: date) -> Iterable[Due]:
    open_statuses = [s for s in ComplaintStatus if s.is_open]
    late = db.session.execute(select(Complaint.id, Complaint.received_on, Complaint.assigned_employee_id).where(
        Complaint.status.in_(open_statuses), Complaint.first_response_at.is_(None),
        Complaint.received_on < today - timedelta(days=COMPLAINT_RESPONSE_DAYS))).all()
    if not late:
        return
    admins = list(db.session.scalars(select(User.id).where(User.active, User.is_admin).order_by(User.id)))
    assignees = _accounts(row.assigned_employee_id for row in late)
    for complaint_id, received_on, assigned_employee_id in late:
        due_on = received_on + timedelta(days=COMPLAINT_RESPONSE_DAYS)

        def message(received_on=received_on) -> str:
            return _("Pengingat: pengaduan yang diterima %(day)s belum dijawab lebih dari %(days)d hari.",
                     day=_day(received_on), days=COMPLAINT_RESPONSE_DAYS)
        recipients = dict.fromkeys([*admins, *assignees.get(assigned_employee_id, [])])
        for user_id in recipients:
            yield Due(COMPLAINT, complaint_id, due_on, user_id, message, ("complaint", complaint_id))
