"""Who may do what in the appraisal cycle — checked on the server for every
transition. Views call these; services call them again before changing state.

- The pegawai writes and submits their own plan and realisations.
- The pejabat penilai — the direct supervisor from the organisation chart,
  an acting (Plt/Plh) one, or one the admin assigned to this plan — agrees
  or returns the plan, reviews evidence and rates. Nobody agrees or rates
  their own plan.
- The atasan pejabat penilai (the penilai's own supervisor) decides objections.
- The admin instansi sees everything of the tenant and may reassign the penilai.
"""

from __future__ import annotations

from datetime import date

from app.auth.models import User
from app.org.hierarchy import supervisor_of
from app.org.models import Employee
from app.skp.planning.models import Plan, PlanStatus


def penilai_of(plan: Plan, on: date | None = None) -> Employee | None:
    """The pejabat penilai of a plan: the admin's assignment, else the org chart."""
    if plan.assigned_penilai is not None:
        return plan.assigned_penilai
    return supervisor_of(plan.employee, on)


def atasan_of(plan: Plan, on: date | None = None) -> Employee | None:
    """The atasan pejabat penilai: the penilai's own pejabat penilai."""
    penilai = penilai_of(plan, on)
    return supervisor_of(penilai, on) if penilai is not None else None


def _employee_id(user: User) -> int | None:
    return user.employee_id if user is not None and user.is_authenticated else None


def is_owner(user: User, plan: Plan) -> bool:
    return _employee_id(user) is not None and _employee_id(user) == plan.employee_id


def is_penilai(user: User, plan: Plan) -> bool:
    penilai = penilai_of(plan)
    return penilai is not None and penilai.id == _employee_id(user) and not is_owner(user, plan)


def is_atasan(user: User, plan: Plan) -> bool:
    atasan = atasan_of(plan)
    return atasan is not None and atasan.id == _employee_id(user) and not is_owner(user, plan)


def can_view_plan(user: User, plan: Plan) -> bool:
    return bool(user.is_admin) or is_owner(user, plan) or is_penilai(user, plan) or is_atasan(user, plan)


def can_edit_plan(user: User, plan: Plan) -> bool:
    return is_owner(user, plan) and plan.editable


def can_agree_plan(user: User, plan: Plan) -> bool:
    return plan.status is PlanStatus.SUBMITTED and is_penilai(user, plan)


def can_reassign_penilai(user: User) -> bool:
    return bool(user.is_admin)


def can_create_plan(user: User, employee: Employee | None) -> bool:
    """Only the pegawai writes their own plan."""
    return employee is not None and _employee_id(user) == employee.id


def can_submit_plan(user: User, plan: Plan) -> bool:
    return can_edit_plan(user, plan)


def can_return_plan(user: User, plan: Plan) -> bool:
    return can_agree_plan(user, plan)


def can_assign_indicators(user: User) -> bool:
    return bool(user.is_admin)


def can_manage_periods(user: User) -> bool:
    return bool(user.is_admin)


def can_view_history(user: User, employee: Employee) -> bool:
    """An employee's plans and predikat across years: the employee, their
    current penilai and atasan, the admin."""
    employee_id = _employee_id(user)
    if employee_id is None:
        return bool(user.is_admin)
    if user.is_admin or employee_id == employee.id:
        return True
    penilai = supervisor_of(employee)
    if penilai is None:
        return False
    if penilai.id == employee_id:
        return True
    atasan = supervisor_of(penilai)
    return atasan is not None and atasan.id == employee_id
