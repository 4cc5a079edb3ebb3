"""An employee's history across years (riwayat)."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.errors import Forbidden
from app.extensions import db
from app.home.years import years_of
from app.org.models import Employee
from app.skp.evaluation.models import EvaluationStatus
from app.skp.planning.access import can_view_history
from app.skp.planning.models import PlanStatus
from app.tenancy.web import tenant_blueprint
from app.web.filters import register_labels

riwayat = tenant_blueprint("riwayat", __name__, "/riwayat", guard=login_required)



# Plan statuses as the history shows them (lower case, inside a sentence).
register_labels({
    PlanStatus.DRAFT: _l("draf"), PlanStatus.SUBMITTED: _l("diajukan"),
    PlanStatus.AGREED: _l("disetujui"), PlanStatus.RETURNED: _l("dikembalikan"),
})


def _render(employee: Employee):
    return render_template("home/history.html", employee=employee, years=years_of(employee.id),
                           final=EvaluationStatus.FINAL)


@riwayat.route("/")
def own_history():
    employee = current_user.employee
    if employee is None:
        if current_user.is_admin:
            return redirect(url_for("admin.employees"))
        raise Forbidden(_("Akun ini belum terhubung dengan data pegawai."))
    return _render(employee)


@riwayat.route("/pegawai/<int:employee_id>")
def employee_history(employee_id: int):
    person = db.get_or_404(Employee, employee_id)
    if not can_view_history(current_user, person):
        raise Forbidden(_("Riwayat ini hanya untuk pegawai yang bersangkutan, pejabat penilai dan atasannya, serta admin."))
    return _render(person)
