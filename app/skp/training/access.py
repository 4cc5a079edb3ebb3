"""Who may see an employee's training and manage the catalogue.
"""

from __future__ import annotations

from app.auth.models import User
from app.org.hierarchy import supervisor_of
from app.org.models import Employee
from app.skp.planning.access import _employee_id


def can_view_training(user: User, employee: Employee) -> bool:
    """An employee's training records: the employee, their penilai, the admin."""
    employee_id = _employee_id(user)
    if user.is_admin or (employee_id is not None and employee_id == employee.id):
        return True
    penilai = supervisor_of(employee)
    return penilai is not None and penilai.id == employee_id


def can_manage_training_catalogue(user: User) -> bool:
    return bool(user.is_admin)
