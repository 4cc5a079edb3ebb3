"""The planning blueprint and what its screens share: loading a plan for
the current user (404 / 403 early) and rendering the plan page."""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.errors import Forbidden
from app.notifications import register_link
from app.skp.planning import services as planning
from app.skp.planning.access import (
    can_agree_plan,
    can_edit_plan,
    can_view_plan,
    is_owner,
    penilai_of,
)
from app.skp.planning.forms import ActionForm, AttachmentsForm, review_form
from app.skp.planning.models import Plan
from app.tenancy.web import tenant_blueprint

bp = tenant_blueprint("skp", __name__, "/skp", template_folder="templates", guard=login_required)
register_link("plan", "skp.plan_view", "plan_id")



@bp.context_processor
def _labels():
    return {"status_labels": planning.STATUS_LABELS, "kind_labels": planning.KIND_LABELS,
            "aspect_labels": planning.ASPECT_LABELS, "direction_labels": planning.DIRECTION_LABELS}


def plan_or_404(plan_id: int) -> Plan:
    plan = planning.load_plan(plan_id)
    if plan is None:
        abort(404)
    return plan


def viewable_plan(plan_id: int) -> Plan:
    plan = plan_or_404(plan_id)
    if not can_view_plan(current_user, plan):
        abort(403)
    return plan


def require_editable(plan: Plan) -> None:
    """403 early, with the reason, unless the current user may change the plan now."""
    if not can_view_plan(current_user, plan):
        abort(403)
    if not can_edit_plan(current_user, plan):
        raise Forbidden(_("SKP ini tidak dapat Anda ubah: hanya pemiliknya, selama masih draf atau dikembalikan."))
    if planning.plans_locked(plan.period):
        raise Forbidden(_("Batas penyusunan SKP tahun ini sudah lewat; SKP terkunci."))


def current_version(plan_id: int):
    """For ``perform``: the plan's version now (a stale form is refreshed with it)."""
    def version() -> int | None:
        plan = planning.load_plan(plan_id)
        return plan.version if plan is not None else None
    return version


def render_plan(plan: Plan, status: int = 200, review=None, action=None, attachments=None):
    user = current_user
    locked = planning.plans_locked(plan.period)
    can_edit = can_edit_plan(user, plan) and not locked
    can_review = can_agree_plan(user, plan)
    if review is None and can_review:
        review = review_form(plan, formdata=None)
        review.version.data = plan.version
    if action is None:
        action = ActionForm(formdata=None)
        action.version.data = plan.version
    if attachments is None and can_edit:
        attachments = AttachmentsForm(formdata=None, obj=plan)
        attachments.version.data = plan.version
    owner = is_owner(user, plan)
    context = {
        "plan": plan,
        "penilai": penilai_of(plan),
        "is_owner": owner,
        "can_edit": can_edit,
        "can_review": can_review,
        "locked": locked,
        "review": review,
        "action": action,
        "attachments": attachments,
        "problems": planning.submission_problems(plan) if can_edit else [],
        "previous": planning.previous_plan(plan.employee_id, plan.period.year) if can_edit else None,
        "training_for": (plan.employee_id, plan.period.year - 1) if owner and plan.editable else None,
    }
    return render_template("skp/plan_view.html", **context), status
