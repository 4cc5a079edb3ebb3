"""The tenant's landing page after sign-in: who I am, who rates me, my team,
and what waits for me in each of my roles (pegawai, penilai, atasan, admin)."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.routing import BuildError

from app.consultation.worklist import consultations_to_answer
from app.home.dashboards import admin_dashboard, optional_url, pegawai_dashboard, penilai_dashboard
from app.home.pegawai import pegawai_work
from app.home.penilai import penilai_work
from app.home.units import unit_progress
from app.meetings.worklist import meeting_work
from app.org import hierarchy
from app.org.models import Unit
from app.publik import complaints
from app.skp.objections.worklist import objections_to_decide
from app.tenancy import tenant_today
from app.tenancy.web import tenant_blueprint
from app.web.listing import paginate

bp = tenant_blueprint("home", __name__)
bp.app_context_processor(lambda: {"optional_url": optional_url})

# Pages of the other appraisal screens the lists link to: (endpoint, parameter).
# A link is left out when its screen is not installed.
LINKS = {
    "plan": ("skp.plan_view", "plan_id"),
    "evaluation": ("penilaian.detail", "evaluation_id"),
    "realisations": ("realisasi.grid", "plan_id"),
}


def worklist_link(kind: str, object_id: int) -> str | None:
    endpoint, parameter = LINKS[kind]
    try:
        return url_for(endpoint, **{parameter: object_id})
    except BuildError:
        return None


def _year_arg(default: int) -> int:
    year = request.args.get("tahun", type=int)
    return year if year is not None and 2000 <= year <= 2100 else default


@bp.route("/")
@login_required
def index():
    today = tenant_today()
    employee = current_user.employee
    context = {"employee": employee, "supervisor": None, "second_supervisor": None, "team": [],
               "today": today, "worklist_link": worklist_link, "work": None, "penilai": None,
               "to_decide": [], "units": None, "dashboard": None, "team_dashboard": None,
               "own_dashboard": None}
    if employee is not None:
        supervisor = hierarchy.supervisor_of(employee, today)
        team = hierarchy.team_of(employee, today)
        penilai = penilai_work(employee, today, team)
        context.update(
            supervisor=supervisor,
            second_supervisor=hierarchy.supervisor_of(supervisor, today) if supervisor else None,
            team=team,
            follow_ups=complaints.open_follow_ups_for_supervisor(employee),
            meetings=meeting_work(employee.id, today),
            consultations=consultations_to_answer(employee, today),
            work=pegawai_work(employee, today),
            penilai=penilai,
            to_decide=objections_to_decide(employee, today),
            team_dashboard=penilai_dashboard(penilai) if penilai.team or penilai.year_plans else None,
            own_dashboard=pegawai_dashboard(employee),
        )
    if current_user.is_admin:
        year = _year_arg(today.year)
        page = paginate(select(Unit).where(Unit.active).order_by(Unit.name))
        context.update(units=page, unit_rows=unit_progress(list(page.items), year), year=year,
                       dashboard=admin_dashboard(request.args.get("periode", type=int), today))
    return render_template("home/index.html", **context)
