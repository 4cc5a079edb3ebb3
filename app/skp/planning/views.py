"""SKP planning screens of the pegawai and the pejabat penilai: my plans,
a new plan, the plan page with its buttons (submit, copy, attachments), the
penilai's review and team. RHK/IKI forms are in ``views_editing``, the
admin's screens in ``views_admin`` (all on the "skp" blueprint).

Thin views: access is checked here to answer early (403 with the reason)
and again in the services, which hold the rules.
"""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.errors import Forbidden
from app.extensions import db
from app.periods.models import Period
from app.skp.planning import services as planning
from app.skp.planning import views_admin as _admin  # noqa: F401  (its routes are on bp)
from app.skp.planning import views_editing as _editing  # noqa: F401  (its routes are on bp)
from app.skp.planning.access import can_create_plan
from app.skp.planning.forms import (
    ActionForm,
    AttachmentsForm,
    NewPlanForm,
    expectations_of,
    review_form,
)
from app.skp.planning.models import PlanStatus
from app.skp.planning.web import bp, current_version, plan_or_404, render_plan, viewable_plan
from app.web.forms import perform

__all__ = ["bp"]


# --- my plans -------------------------------------------------------------------------

@bp.route("/")
def plan_index():
    employee = current_user.employee
    plans = planning.plans_of(employee.id) if employee is not None else []
    years = planning.creatable_years(employee.id) if employee is not None else []
    return render_template("skp/plan_index.html", employee=employee, plans=plans, can_create=bool(years))


@bp.route("/baru", methods=["GET", "POST"])
def plan_new():
    employee = current_user.employee
    if not can_create_plan(current_user, employee):
        raise Forbidden(_("Akun Anda tidak terhubung dengan data pegawai; SKP tidak dapat dibuat."))
    form = NewPlanForm()
    years = planning.creatable_years(employee.id)
    form.period_id.choices = [(p.id, str(p.year)) for p in years]
    status = 422 if request.method == "POST" else 200
    if form.validate_on_submit():
        period = db.session.get(Period, form.period_id.data)
        if period is None or period.id not in {p.id for p in years}:
            form.period_id.errors.append(_("Pilih tahun yang masih dapat disusun SKP-nya."))
        else:
            done = perform(form, lambda: planning.create_plan(current_user, period, form.copy_last_year.data),
                           success=_("SKP dibuat. Tambahkan RHK dan IKI, lalu ajukan."),
                           redirect_to=lambda plan: url_for("skp.plan_view", plan_id=plan.id))
            if done.ok:
                return done.response
            status = done.status
    year = max((p.year for p in years), default=None)
    previous = planning.previous_plan(employee.id, year) if year else None
    return render_template("skp/plan_new.html", form=form, years=years, previous=previous,
                           training_for=(employee.id, year - 1) if year else None), status


@bp.route("/<int:plan_id>")
def plan_view(plan_id: int):
    return render_plan(viewable_plan(plan_id))


def _plan_action(plan_id: int, service, success: str):
    """A button on a plan (submit, copy): the plan page again on failure."""
    plan = viewable_plan(plan_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return render_plan(plan, 422, action=form)
    done = perform(form, lambda: service(plan, form.version_number), success=success,
                   redirect_to=url_for("skp.plan_view", plan_id=plan.id), current_version=current_version(plan.id))
    return done.response if done.ok else render_plan(plan_or_404(plan_id), done.status, action=form)


@bp.route("/<int:plan_id>/ajukan", methods=["POST"])
def plan_submit(plan_id: int):
    return _plan_action(plan_id, lambda plan, version: planning.submit(current_user, plan, version),
                        _("SKP diajukan kepada pejabat penilai."))


@bp.route("/<int:plan_id>/salin", methods=["POST"])
def plan_copy(plan_id: int):
    return _plan_action(plan_id, lambda plan, version: planning.copy_from_last_year(current_user, plan, version),
                        _("RHK dan IKI tahun sebelumnya disalin; periksa targetnya."))


@bp.route("/<int:plan_id>/lampiran", methods=["POST"])
def plan_attachments(plan_id: int):
    plan = viewable_plan(plan_id)
    form = AttachmentsForm()
    if not form.validate_on_submit():
        return render_plan(plan, 422, attachments=form)
    done = perform(form, lambda: planning.update_attachments(
        current_user, plan, form.version_number, form.resources.data, form.accountability.data,
        form.consequences.data), success=_("Lampiran SKP disimpan."),
        redirect_to=url_for("skp.plan_view", plan_id=plan.id), current_version=current_version(plan.id))
    return done.response if done.ok else render_plan(plan_or_404(plan_id), done.status, attachments=form)


def _review(plan_id: int, agree: bool):
    plan = viewable_plan(plan_id)
    form = review_form(plan)
    if not form.validate_on_submit():
        return render_plan(plan, 422, review=form)
    if agree:
        def action():
            planning.agree(current_user, plan, form.version_number, expectations_of(form, plan))
        message = _("SKP disetujui.")
    else:
        def action():
            planning.return_plan(current_user, plan, form.version_number, form.notes.data,
                                 expectations_of(form, plan))
        message = _("SKP dikembalikan kepada pegawai dengan catatan.")
    done = perform(form, action, success=message, redirect_to=url_for("skp.team"),
                   current_version=current_version(plan.id))
    return done.response if done.ok else render_plan(plan_or_404(plan_id), done.status, review=form)


@bp.route("/<int:plan_id>/setujui", methods=["POST"])
def plan_agree(plan_id: int):
    return _review(plan_id, agree=True)


@bp.route("/<int:plan_id>/kembalikan", methods=["POST"])
def plan_return(plan_id: int):
    return _review(plan_id, agree=False)


# --- the penilai's team -----------------------------------------------------------------

@bp.route("/tim")
def team():
    plans = planning.team_plans(current_user)
    waiting = [p for p in plans if p.status is PlanStatus.SUBMITTED]
    others = [p for p in plans if p.status is not PlanStatus.SUBMITTED]
    return render_template("skp/plan_team.html", waiting=waiting, others=others)
