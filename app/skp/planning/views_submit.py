"""The confirmation step before a plan is submitted: /<slug>/skp/<plan_id>/ajukan/konfirmasi.

A page of its own (it works without JavaScript): what will be submitted and
to whom, and what cannot change afterwards; its button posts to the
ordinary ``skp.plan_submit``, whose service checks everything again.
"""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from app.skp.planning import services as planning
from app.skp.planning.access import penilai_of
from app.skp.planning.web import require_editable, viewable_plan
from app.tenancy.web import tenant_blueprint

bp = tenant_blueprint("skp_ajukan", __name__, "/skp", template_folder="templates", guard=login_required)


@bp.route("/<int:plan_id>/ajukan/konfirmasi")
def confirm(plan_id: int):
    plan = viewable_plan(plan_id)
    require_editable(plan)
    indicators = sum(len(r.indicators) for r in plan.results)
    return render_template("skp/plan_submit_confirm.html", plan=plan, penilai=penilai_of(plan),
                           problems=planning.submission_problems(plan), results=len(plan.results),
                           indicators=indicators)
