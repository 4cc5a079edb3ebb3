"""The penilai's bulk agreement of team plans: /<slug>/skp/tim/setujui (POST).

The team page (``skp.team``) carries the tick boxes; this view agrees each
ticked plan through the review service and shows the team page again with
a per-row result (agreed, or refused with the service's reason).
"""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.skp.planning import bulk
from app.skp.planning import services as planning
from app.skp.planning.models import PlanStatus
from app.tenancy.web import tenant_blueprint
from app.web.bulk import run_each, selected_ids
from app.web.forms import ConfirmForm

bp = tenant_blueprint("skp_massal", __name__, "/skp", template_folder="templates", guard=login_required)


@bp.route("/tim/setujui", methods=["POST"])
def agree_checked():
    form = ConfirmForm()
    results, status = None, 200
    if not form.validate_on_submit():
        status = 400
    else:
        ids = selected_ids(request.form.getlist("plan"))
        if not ids:
            form.form_errors.append(_("Centang dulu SKP yang akan disetujui."))
            status = 422
        else:
            versions = {i: request.form.get(f"version-{i}", type=int) for i in ids}
            results = run_each(bulk.agree_rows(current_user, ids, versions,
                                               lambda plan: url_for("skp.plan_view", plan_id=plan.id)),
                               _("Disetujui."))
    plans = planning.team_plans(current_user)
    return render_template("skp/plan_team.html", waiting=[p for p in plans if p.status is PlanStatus.SUBMITTED],
                           others=[p for p in plans if p.status is not PlanStatus.SUBMITTED],
                           results=results, bulk_form=form, status_labels=planning.STATUS_LABELS), status
