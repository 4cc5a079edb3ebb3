"""The tenant's landing page after sign-in: who I am, who rates me, my team,
and what waits for me in each of my roles (pegawai, penilai, atasan, admin)."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db
from app.home import worklists
from app.org import hierarchy
from app.org.models import Unit
from app.publik import complaints
from app.tenancy.web import tenant_blueprint

bp = tenant_blueprint("home", __name__)


def _year_arg(default: int) -> int:
    year = request.args.get("tahun", type=int)
    return year if year is not None and 2000 <= year <= 2100 else default


@bp.route("/")
@login_required
def index():
    today = worklists.today()
    employee = current_user.employee
    context = {"employee": employee, "supervisor": None, "second_supervisor": None, "team": [],
               "today": today, "worklist_link": worklists.link, "work": None, "penilai": None, "to_decide": [], "units": None}
    if employee is not None:
        context["supervisor"] = hierarchy.supervisor_of(employee)
        context["second_supervisor"] = (
            hierarchy.supervisor_of(context["supervisor"]) if context["supervisor"] else None
        )
        team = worklists.team_of(employee, today)
        context["team"] = team
        context["follow_ups"] = complaints.open_follow_ups_for_supervisor(employee)
        context["work"] = worklists.pegawai_work(employee, today)
        context["penilai"] = worklists.penilai_work(employee, today, team)
        context["to_decide"] = worklists.objections_to_decide(employee, today)
    if current_user.is_admin:
        year = _year_arg(today.year)
        page = db.paginate(select(Unit).where(Unit.active).order_by(Unit.name),
                           per_page=current_app.config["PAGE_SIZE"], max_per_page=100, error_out=False)
        context.update(units=page, unit_rows=worklists.unit_progress(list(page.items), year), year=year)
    return render_template("home/index.html", **context)
