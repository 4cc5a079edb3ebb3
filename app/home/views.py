"""The tenant's landing page after sign-in: who I am, who rates me, my team."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required

from app.org import hierarchy
from app.tenancy.web import tenant_blueprint

bp = tenant_blueprint("home", __name__)


@bp.route("/")
@login_required
def index():
    employee = current_user.employee
    context = {"employee": employee, "supervisor": None, "second_supervisor": None, "team": []}
    if employee is not None:
        context["supervisor"] = hierarchy.supervisor_of(employee)
        context["second_supervisor"] = (
            hierarchy.supervisor_of(context["supervisor"]) if context["supervisor"] else None
        )
        context["team"] = hierarchy.direct_reports(employee)
    elif current_user.is_admin:
        return redirect(url_for("admin.index"))
    return render_template("home/index.html", **context)
