"""An employee's history across years (riwayat)."""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.extensions import db
from app.home import worklists
from app.org.models import Employee
from app.skp.evaluation.models import EvaluationStatus
from app.skp.planning.access import can_view_history
from app.skp.planning.models import PlanStatus
from app.tenancy.web import tenant_blueprint
from app.web.filters import register_labels

riwayat = tenant_blueprint("riwayat", __name__, "/riwayat")



@riwayat.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user of this tenant."""


# Plan statuses as the history shows them (lower case, inside a sentence).
register_labels({
    PlanStatus.DRAFT: _l("draf"), PlanStatus.SUBMITTED: _l("diajukan"),
    PlanStatus.AGREED: _l("disetujui"), PlanStatus.RETURNED: _l("dikembalikan"),
})


def _forbidden(message):
    """A 403 that says why."""
    return render_template("errors/error.html", status=403, title=_("Akses ditolak"), message=str(message)), 403


def _show_error(form, exc) -> None:
    """A broken rule's message on its field, or above the form."""
    field = getattr(form, exc.field, None) if exc.field else None
    (field.errors if field is not None else form.form_errors).append(str(exc.message))


def _paginate(query):
    return db.paginate(query, per_page=current_app.config["PAGE_SIZE"], max_per_page=100, error_out=False)


# --- history across years -----------------------------------------------------------------

@riwayat.route("/")
def own_history():
    employee = current_user.employee
    if employee is None:
        if current_user.is_admin:
            return redirect(url_for("admin.employees"))
        return _forbidden(_("Akun ini belum terhubung dengan data pegawai."))
    return render_template("home/history.html", employee=employee, years=worklists.history(employee.id),
                           final=EvaluationStatus.FINAL)


@riwayat.route("/pegawai/<int:employee_id>")
def employee_history(employee_id: int):
    person = db.get_or_404(Employee, employee_id)
    if not can_view_history(current_user, person):
        return _forbidden(_("Riwayat ini hanya untuk pegawai yang bersangkutan, pejabat penilai dan atasannya, serta admin."))
    return render_template("home/history.html", employee=person, years=worklists.history(person.id),
                           final=EvaluationStatus.FINAL)
