"""Writing a plan's RHK and IKI (routes on the "skp" blueprint)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.skp.planning import services as planning
from app.skp.planning.forms import ActionForm, IndicatorForm, ResultForm
from app.skp.planning.library import Library, chosen_code, default_source, library_of
from app.skp.planning.models import Plan, PlanIndicator, PlanResult
from app.skp.planning.web import bp, current_version, plan_or_404, render_plan, require_editable
from app.tenancy import tenant_rules
from app.web.forms import Outcome, perform


def _save(form, plan: Plan, action, success: str):
    """Run an edit of the plan; the redirect to the plan page, or the status to re-render with."""
    return perform(form, action, success=success, redirect_to=url_for("skp.plan_view", plan_id=plan.id),
                   current_version=current_version(plan.id))


def _submit(form, plan: Plan, action, success: str) -> Outcome:
    """An edit page's request: a GET opens the form on the plan's version; a POST
    is validated (422 when not) and saved. ``ok`` carries the redirect."""
    if request.method != "POST":
        form.version.data = plan.version
        return Outcome(False)
    if not form.validate_on_submit():
        return Outcome(False, status=422)
    return _save(form, plan, action, success)


def _delete(form: ActionForm, plan_id: int, action, success: str):
    """A delete button: back to the plan page (with the error when refused)."""
    if not form.validate_on_submit():
        return redirect(url_for("skp.plan_view", plan_id=plan_id))
    done = _save(form, plan_or_404(plan_id), action, success)
    return done.response if done.ok else render_plan(plan_or_404(plan_id), done.status, action=form)


# --- RHK --------------------------------------------------------------------------------

def _supports_choices(plan: Plan) -> list[tuple]:
    return [("", _("— tidak ada —"))] + [(r.id, r.description[:120]) for r in planning.supervisor_results(plan)]


def _result_data(form: ResultForm) -> planning.ResultData:
    return planning.ResultData(form.kind.data, form.description.data, form.supports_id.data)


@bp.route("/<int:plan_id>/rhk/baru", methods=["GET", "POST"])
def result_new(plan_id: int):
    plan = plan_or_404(plan_id)
    require_editable(plan)
    form = ResultForm()
    form.supports_id.choices = _supports_choices(plan)
    done = _submit(form, plan, lambda: planning.add_result(current_user, plan, form.version_number,
                                                          _result_data(form)), _("RHK ditambahkan."))
    if done.ok:
        return done.response
    status = done.status
    return render_template("skp/plan_result_form.html", form=form, plan=planning.load_plan(plan_id),
                           result=None), status


@bp.route("/rhk/<int:result_id>", methods=["GET", "POST"])
def result_edit(result_id: int):
    result = db.get_or_404(PlanResult, result_id)
    plan = result.plan
    require_editable(plan)
    form = ResultForm(obj=result if request.method == "GET" else None)
    form.supports_id.choices = _supports_choices(plan)
    if request.method == "GET":
        form.kind.data = result.kind.value
    done = _submit(form, plan, lambda: planning.update_result(current_user, result, form.version_number,
                                                             _result_data(form)), _("RHK disimpan."))
    if done.ok:
        return done.response
    status = done.status
    result = db.get_or_404(PlanResult, result_id)
    return render_template("skp/plan_result_form.html", form=form, plan=result.plan, result=result), status


@bp.route("/rhk/<int:result_id>/hapus", methods=["POST"])
def result_delete(result_id: int):
    result = db.get_or_404(PlanResult, result_id)
    require_editable(result.plan)
    form = ActionForm()
    return _delete(form, result.plan_id, lambda: planning.delete_result(current_user, result, form.version_number),
                   _("RHK dihapus."))


# --- IKI --------------------------------------------------------------------------------

def _show_everything(library: Library, current_code: str | None) -> bool:
    """The whole library on request (``?semua=1``), or when the IKI already comes from outside the suggestions."""
    return request.args.get("semua") == "1" or not library.suggested or (
        bool(current_code) and current_code not in library.codes(everything=False))


def _indicator_choices(plan: Plan, form: IndicatorForm, current_code: str | None = None) -> Library:
    """Fill the library choice (suggestions first) and where the radio starts; the split library."""
    library = library_of(plan, tenant_rules().rule_set)
    everything = _show_everything(library, current_code or form.indicator_code.data)

    def label(i):
        target = f" — {_('target')} {i.target} {i.unit}" if i.target else ""
        return f"{i.code}: {i.name}{target}"

    groups = {None: [("", _("— pilih indikator —"))]}
    if library.for_position:
        groups[_("Ditetapkan untuk jabatan atau unit Anda")] = [(i.code, label(i)) for i in library.for_position]
    if library.for_unit:
        groups[_("Sektor unit Anda dan umum")] = [(i.code, label(i)) for i in library.for_unit]
    if library.others and everything:
        groups[_("Sektor lain")] = [(i.code, label(i)) for i in library.others]
    form.indicator_code.choices = groups
    if request.method != "POST":
        form.source.data = default_source(library, current_code, editing=current_code is not None)
    return library


def _indicator_data(form: IndicatorForm) -> planning.IndicatorData:
    return planning.IndicatorData(chosen_code(form.source.data, form.indicator_code.data),
                                  form.name.data or "", form.aspect.data or "",
                                  form.direction.data or "", form.unit.data or "", form.target_lower.data,
                                  form.target_upper.data)


def _indicator_page(form, result_id: int, indicator_id: int | None, status: int, library: Library):
    result = db.get_or_404(PlanResult, result_id)
    indicator = db.session.get(PlanIndicator, indicator_id) if indicator_id else None
    everything = _show_everything(library, indicator.indicator_code if indicator else form.indicator_code.data)
    return render_template("skp/plan_indicator_form.html", form=form, plan=result.plan, result=result,
                           indicator=indicator, library=library, everything=everything), status


@bp.route("/rhk/<int:result_id>/iki/baru", methods=["GET", "POST"])
def indicator_new(result_id: int):
    result = db.get_or_404(PlanResult, result_id)
    plan = result.plan
    require_editable(plan)
    form = IndicatorForm()
    library = _indicator_choices(plan, form)
    done = _submit(form, plan, lambda: planning.add_indicator(current_user, result, form.version_number,
                                                             _indicator_data(form)), _("IKI ditambahkan."))
    if done.ok:
        return done.response
    status = done.status
    return _indicator_page(form, result_id, None, status, library)


@bp.route("/iki/<int:indicator_id>", methods=["GET", "POST"])
def indicator_edit(indicator_id: int):
    indicator = db.get_or_404(PlanIndicator, indicator_id)
    result = indicator.result
    plan = result.plan
    require_editable(plan)
    form = IndicatorForm(obj=indicator if request.method == "GET" else None)
    if request.method == "GET":
        form.indicator_code.data = indicator.indicator_code or ""
        form.target_upper.data = indicator.target_upper if indicator.target_upper != indicator.target_lower else None
    library = _indicator_choices(plan, form, indicator.indicator_code or "")
    done = _submit(form, plan, lambda: planning.update_indicator(current_user, indicator, form.version_number,
                                                                _indicator_data(form)), _("IKI disimpan."))
    if done.ok:
        return done.response
    status = done.status
    return _indicator_page(form, result.id, indicator_id, status, library)


@bp.route("/iki/<int:indicator_id>/hapus", methods=["POST"])
def indicator_delete(indicator_id: int):
    indicator = db.get_or_404(PlanIndicator, indicator_id)
    plan = indicator.result.plan
    require_editable(plan)
    form = ActionForm()
    return _delete(form, plan.id, lambda: planning.delete_indicator(current_user, indicator, form.version_number),
                   _("IKI dihapus."))
