"""SKP planning screens: my plans, writing a plan, the penilai's review, and
the admin's indicator sets and penilai reassignment.

Thin views: permissions are checked here to answer early (403 with a clear
message) and again in ``app.skp.planning``, which holds the rules.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from app.web.listing import paginate, search_term
from app.auth.roles import admin_required
from app.extensions import db
from app.notifications import register_link
from app.org.models import Employee, Position, Unit
from app.org.nip import normalise_nip
from app.periods.models import Period, PeriodKind
from app.skp.planning import services as planning
from app.skp.planning.access import (
    can_agree_plan,
    can_create_plan,
    can_edit_plan,
    can_view_plan,
    is_owner,
    penilai_of,
)
from app.skp.planning.forms import (
    ActionForm,
    AssignmentForm,
    AttachmentsForm,
    IndicatorForm,
    NewPlanForm,
    ReassignForm,
    ResultForm,
    expectations_of,
    review_form,
)
from app.skp.planning.models import IndicatorAssignment, Plan, PlanIndicator, PlanResult, PlanStatus
from app.skp.training.services import open_training_for
from app.tenancy.web import tenant_blueprint

bp = tenant_blueprint("skp", __name__, "/skp", template_folder="templates")
register_link("plan", "skp.plan_view", "plan_id")


@bp.before_request
@login_required
def _signed_in_only():
    """Every page here needs a signed-in account of this tenant."""


@bp.context_processor
def _labels():
    return {"status_labels": planning.STATUS_LABELS, "kind_labels": planning.KIND_LABELS,
            "aspect_labels": planning.ASPECT_LABELS, "direction_labels": planning.DIRECTION_LABELS}


def _stale_message() -> str:
    return _("SKP ini sudah diubah (oleh Anda di halaman lain atau orang lain) sejak formulir dibuka. "
             "Isian Anda masih di bawah; periksa SKP terbaru, lalu simpan lagi.")


def _forbidden(message):
    return render_template("errors/error.html", status=403, title=_("Akses ditolak"), message=str(message)), 403



def _plan_or_404(plan_id: int) -> Plan:
    plan = planning.load_plan(plan_id)
    if plan is None:
        abort(404)
    return plan


def _add_error(form, field: str | None, message) -> None:
    target = getattr(form, field, None) if field else None
    if target is not None and isinstance(target.errors, list):
        target.errors.append(str(message))
    else:
        form.form_errors.append(str(message))


def _run(form, action, success, target, plan_id: int | None = None):
    """Run a service; commit, flash ``success`` and redirect to ``target`` (each
    a string or a function called after the commit). On a broken rule or a
    stale form return the status (422, 409) for the caller to re-render the
    form with the input kept; when forbidden, a ready 403 response."""
    try:
        action()
        db.session.commit()
    except planning.PlanForbidden as exc:
        db.session.rollback()
        return _forbidden(exc.message)
    except planning.PlanError as exc:
        db.session.rollback()
        _add_error(form, exc.field, exc.message)
        return 422
    except (planning.StalePlan, StaleDataError):
        db.session.rollback()
        form.form_errors.append(_stale_message())
        if plan_id is not None and hasattr(form, "version"):
            current = db.session.get(Plan, plan_id)
            form.version.data = current.version if current is not None else form.version.data
        return 409
    flash(success() if callable(success) else success, "success")
    return redirect(target() if callable(target) else target)


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
        return _forbidden(_("Akun Anda tidak terhubung dengan data pegawai; SKP tidak dapat dibuat."))
    form = NewPlanForm()
    years = planning.creatable_years(employee.id)
    form.period_id.choices = [(p.id, str(p.year)) for p in years]
    status = 200
    if form.validate_on_submit():
        period = db.session.get(Period, form.period_id.data)
        if period is None or period.id not in {p.id for p in years}:
            form.period_id.errors.append(_("Pilih tahun yang masih dapat disusun SKP-nya."))
            status = 422
        else:
            created: list[Plan] = []

            def create():
                created.append(planning.create_plan(current_user, period, form.copy_last_year.data))

            outcome = _run(form, create, _("SKP dibuat. Tambahkan RHK dan IKI, lalu ajukan."),
                           lambda: url_for("skp.plan_view", plan_id=created[0].id))
            if not isinstance(outcome, int):
                return outcome
            status = outcome
    elif request.method == "POST":
        status = 422
    year = max((p.year for p in years), default=None)
    previous = planning.previous_plan(employee.id, year) if year else None
    training = open_training_for(employee.id, year - 1) if year else []
    return render_template("skp/plan_new.html", form=form, years=years, previous=previous,
                           training=training), status


def _render_plan(plan: Plan, status: int = 200, review=None, action=None, attachments=None):
    user = current_user
    can_edit = can_edit_plan(user, plan) and not planning.plans_locked(plan.period)
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
    context = {
        "plan": plan,
        "penilai": penilai_of(plan),
        "is_owner": is_owner(user, plan),
        "can_edit": can_edit,
        "can_review": can_review,
        "locked": planning.plans_locked(plan.period),
        "review": review,
        "action": action,
        "attachments": attachments,
        "problems": planning.submission_problems(plan) if can_edit else [],
        "previous": planning.previous_plan(plan.employee_id, plan.period.year) if can_edit else None,
        "training": open_training_for(plan.employee_id, plan.period.year - 1)
        if is_owner(user, plan) and plan.editable else [],
    }
    return render_template("skp/plan_view.html", **context), status


def _viewable_plan(plan_id: int) -> Plan:
    plan = _plan_or_404(plan_id)
    if not can_view_plan(current_user, plan):
        abort(403)
    return plan


@bp.route("/<int:plan_id>")
def plan_view(plan_id: int):
    return _render_plan(_viewable_plan(plan_id))


def _plan_action(plan_id: int, service, success: str):
    """A button on a plan (submit, copy): the plan page again on failure."""
    plan = _viewable_plan(plan_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return _render_plan(plan, 422, action=form)
    outcome = _run(form, lambda: service(plan, form.version_number), success,
                   url_for("skp.plan_view", plan_id=plan.id), plan.id)
    if isinstance(outcome, int):
        return _render_plan(_plan_or_404(plan_id), outcome, action=form)
    return outcome


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
    plan = _viewable_plan(plan_id)
    form = AttachmentsForm()
    if not form.validate_on_submit():
        return _render_plan(plan, 422, attachments=form)
    outcome = _run(form, lambda: planning.update_attachments(
        current_user, plan, form.version_number, form.resources.data, form.accountability.data,
        form.consequences.data), _("Lampiran SKP disimpan."), url_for("skp.plan_view", plan_id=plan.id), plan.id)
    if isinstance(outcome, int):
        return _render_plan(_plan_or_404(plan_id), outcome, attachments=form)
    return outcome


def _review(plan_id: int, agree: bool):
    plan = _viewable_plan(plan_id)
    form = review_form(plan)
    if not form.validate_on_submit():
        return _render_plan(plan, 422, review=form)
    if agree:
        def action():
            planning.agree(current_user, plan, form.version_number, expectations_of(form, plan))
        message = _("SKP disetujui.")
    else:
        def action():
            planning.return_plan(current_user, plan, form.version_number, form.notes.data,
                                 expectations_of(form, plan))
        message = _("SKP dikembalikan kepada pegawai dengan catatan.")
    outcome = _run(form, action, message, url_for("skp.team"), plan.id)
    if isinstance(outcome, int):
        return _render_plan(_plan_or_404(plan_id), outcome, review=form)
    return outcome


@bp.route("/<int:plan_id>/setujui", methods=["POST"])
def plan_agree(plan_id: int):
    return _review(plan_id, agree=True)


@bp.route("/<int:plan_id>/kembalikan", methods=["POST"])
def plan_return(plan_id: int):
    return _review(plan_id, agree=False)


# --- RHK --------------------------------------------------------------------------------

def _editable_or_403(plan: Plan):
    if not can_view_plan(current_user, plan):
        abort(403)
    if not can_edit_plan(current_user, plan):
        return _forbidden(_("SKP ini tidak dapat Anda ubah: hanya pemiliknya, selama masih draf atau dikembalikan."))
    if planning.plans_locked(plan.period):
        return _forbidden(_("Batas penyusunan SKP tahun ini sudah lewat; SKP terkunci."))
    return None


def _supports_choices(plan: Plan) -> list[tuple]:
    return [("", _("— tidak ada —"))] + [(r.id, r.description[:120]) for r in planning.supervisor_results(plan)]


def _result_data(form: ResultForm) -> planning.ResultData:
    return planning.ResultData(form.kind.data, form.description.data, form.supports_id.data)


@bp.route("/<int:plan_id>/rhk/baru", methods=["GET", "POST"])
def result_new(plan_id: int):
    plan = _plan_or_404(plan_id)
    if (refused := _editable_or_403(plan)) is not None:
        return refused
    form = ResultForm()
    form.supports_id.choices = _supports_choices(plan)
    status = 200
    if request.method == "GET":
        form.version.data = plan.version
    elif form.validate_on_submit():
        outcome = _run(form, lambda: planning.add_result(current_user, plan, form.version_number, _result_data(form)),
                       _("RHK ditambahkan."), url_for("skp.plan_view", plan_id=plan.id), plan.id)
        if not isinstance(outcome, int):
            return outcome
        status = outcome
    else:
        status = 422
    return render_template("skp/plan_result_form.html", form=form, plan=planning.load_plan(plan_id),
                           result=None), status


@bp.route("/rhk/<int:result_id>", methods=["GET", "POST"])
def result_edit(result_id: int):
    result = db.get_or_404(PlanResult, result_id)
    plan = result.plan
    if (refused := _editable_or_403(plan)) is not None:
        return refused
    form = ResultForm(obj=result if request.method == "GET" else None)
    form.supports_id.choices = _supports_choices(plan)
    status = 200
    if request.method == "GET":
        form.kind.data = result.kind.value
        form.version.data = plan.version
    elif form.validate_on_submit():
        outcome = _run(form, lambda: planning.update_result(current_user, result, form.version_number,
                                                            _result_data(form)),
                       _("RHK disimpan."), url_for("skp.plan_view", plan_id=plan.id), plan.id)
        if not isinstance(outcome, int):
            return outcome
        status = outcome
    else:
        status = 422
    result = db.session.get(PlanResult, result_id)
    return render_template("skp/plan_result_form.html", form=form, plan=result.plan, result=result), status


@bp.route("/rhk/<int:result_id>/hapus", methods=["POST"])
def result_delete(result_id: int):
    result = db.get_or_404(PlanResult, result_id)
    plan_id = result.plan_id
    if (refused := _editable_or_403(result.plan)) is not None:
        return refused
    form = ActionForm()
    if not form.validate_on_submit():
        return redirect(url_for("skp.plan_view", plan_id=plan_id))
    outcome = _run(form, lambda: planning.delete_result(current_user, result, form.version_number),
                   _("RHK dihapus."), url_for("skp.plan_view", plan_id=plan_id), plan_id)
    if isinstance(outcome, int):
        return _render_plan(_plan_or_404(plan_id), outcome, action=form)
    return outcome


# --- IKI --------------------------------------------------------------------------------

def _indicator_choices(plan: Plan) -> dict:
    rule_set = planning.rules()
    unit = plan.employee.position.unit if plan.employee.position else None
    own, others = planning.library_for(unit, rule_set)

    def label(i):
        target = f" — {_('target')} {i.target} {i.unit}" if i.target else ""
        return f"{i.code}: {i.name}{target}"

    groups = {_("IKI sendiri"): [("", _("— isi IKI sendiri di bawah —"))]}
    if own:
        groups[_("Sektor unit Anda dan umum") if others else _("Pustaka indikator")] = [(i.code, label(i)) for i in own]
    if others:
        groups[_("Sektor lain")] = [(i.code, label(i)) for i in others]
    return groups


def _indicator_data(form: IndicatorForm) -> planning.IndicatorData:
    return planning.IndicatorData(form.indicator_code.data or None, form.name.data or "", form.aspect.data or "",
                                  form.direction.data or "", form.unit.data or "", form.target_lower.data,
                                  form.target_upper.data)


def _indicator_page(form, plan_id: int, result_id: int, indicator_id: int | None, status: int):
    result = db.session.get(PlanResult, result_id)
    indicator = db.session.get(PlanIndicator, indicator_id) if indicator_id else None
    return render_template("skp/plan_indicator_form.html", form=form, plan=result.plan, result=result,
                           indicator=indicator), status


@bp.route("/rhk/<int:result_id>/iki/baru", methods=["GET", "POST"])
def indicator_new(result_id: int):
    result = db.get_or_404(PlanResult, result_id)
    plan = result.plan
    if (refused := _editable_or_403(plan)) is not None:
        return refused
    form = IndicatorForm()
    form.indicator_code.choices = _indicator_choices(plan)
    status = 200
    if request.method == "GET":
        form.version.data = plan.version
    elif form.validate_on_submit():
        outcome = _run(form, lambda: planning.add_indicator(current_user, result, form.version_number,
                                                            _indicator_data(form)),
                       _("IKI ditambahkan."), url_for("skp.plan_view", plan_id=plan.id), plan.id)
        if not isinstance(outcome, int):
            return outcome
        status = outcome
    else:
        status = 422
    return _indicator_page(form, plan.id, result_id, None, status)


@bp.route("/iki/<int:indicator_id>", methods=["GET", "POST"])
def indicator_edit(indicator_id: int):
    indicator = db.get_or_404(PlanIndicator, indicator_id)
    result = indicator.result
    plan = result.plan
    if (refused := _editable_or_403(plan)) is not None:
        return refused
    form = IndicatorForm(obj=indicator if request.method == "GET" else None)
    form.indicator_code.choices = _indicator_choices(plan)
    status = 200
    if request.method == "GET":
        form.indicator_code.data = indicator.indicator_code or ""
        form.target_upper.data = indicator.target_upper if indicator.target_upper != indicator.target_lower else None
        form.version.data = plan.version
    elif form.validate_on_submit():
        outcome = _run(form, lambda: planning.update_indicator(current_user, indicator, form.version_number,
                                                               _indicator_data(form)),
                       _("IKI disimpan."), url_for("skp.plan_view", plan_id=plan.id), plan.id)
        if not isinstance(outcome, int):
            return outcome
        status = outcome
    else:
        status = 422
    return _indicator_page(form, plan.id, result.id, indicator_id, status)


@bp.route("/iki/<int:indicator_id>/hapus", methods=["POST"])
def indicator_delete(indicator_id: int):
    indicator = db.get_or_404(PlanIndicator, indicator_id)
    plan = indicator.result.plan
    plan_id = plan.id
    if (refused := _editable_or_403(plan)) is not None:
        return refused
    form = ActionForm()
    if not form.validate_on_submit():
        return redirect(url_for("skp.plan_view", plan_id=plan_id))
    outcome = _run(form, lambda: planning.delete_indicator(current_user, indicator, form.version_number),
                   _("IKI dihapus."), url_for("skp.plan_view", plan_id=plan_id), plan_id)
    if isinstance(outcome, int):
        return _render_plan(_plan_or_404(plan_id), outcome, action=form)
    return outcome


# --- the penilai's team -----------------------------------------------------------------

@bp.route("/tim")
def team():
    plans = planning.team_plans(current_user)
    waiting = [p for p in plans if p.status is PlanStatus.SUBMITTED]
    others = [p for p in plans if p.status is not PlanStatus.SUBMITTED]
    return render_template("skp/plan_team.html", waiting=waiting, others=others)


# --- admin: all plans, reassigning the penilai, indicator sets ------------------------------

@bp.route("/admin/")
@admin_required
def admin_plans():
    years = db.session.scalars(select(Period).where(Period.kind == PeriodKind.YEAR)
                               .order_by(Period.year.desc())).all()
    year = request.args.get("tahun", type=int) or (years[0].year if years else None)
    status = request.args.get("status") or None
    query = (select(Plan).join(Period, Plan.period_id == Period.id).join(Employee, Plan.employee_id == Employee.id)
             .options(joinedload(Plan.employee), joinedload(Plan.period), joinedload(Plan.assigned_penilai))
             .where(Period.year == year).order_by(Employee.name))
    if status in {s.value for s in PlanStatus}:
        query = query.where(Plan.status == PlanStatus(status))
    term = search_term()
    if term:
        query = query.where(Employee.name.ilike(f"%{term.lower()}%") | Plan.unit_name.ilike(f"%{term.lower()}%"))
    return render_template("skp/plan_admin.html", page=paginate(query), years=years, year=year, status=status,
                           q=term)


@bp.route("/admin/<int:plan_id>/penilai", methods=["GET", "POST"])
@admin_required
def admin_reassign(plan_id: int):
    plan = _plan_or_404(plan_id)
    form = ReassignForm()
    status = 200
    if request.method == "GET":
        form.version.data = plan.version
        form.employee_nip.data = plan.assigned_penilai.nip if plan.assigned_penilai else ""
    elif form.validate_on_submit():
        nip = normalise_nip(form.employee_nip.data or "")
        penilai = None
        if nip:
            penilai = db.session.scalar(select(Employee).where(Employee.nip == nip))
            if penilai is None:
                form.employee_nip.errors.append(_("Tidak ada pegawai dengan NIP itu."))
        if not form.employee_nip.errors:
            outcome = _run(form, lambda: planning.reassign_penilai(current_user, plan, form.version_number, penilai,
                                                                   form.reason.data),
                           _("Pejabat penilai SKP ini diganti."), url_for("skp.plan_view", plan_id=plan.id), plan.id)
            if not isinstance(outcome, int):
                return outcome
            status = outcome
        else:
            status = 422
    else:
        status = 422
    plan = _plan_or_404(plan_id)
    org_penilai = None
    if plan.employee is not None:
        from app.org.hierarchy import supervisor_of

        org_penilai = supervisor_of(plan.employee)
    return render_template("skp/plan_reassign.html", form=form, plan=plan, penilai=penilai_of(plan),
                           org_penilai=org_penilai), status


@bp.route("/admin/indikator", methods=["GET", "POST"])
@admin_required
def admin_assignments():
    form = AssignmentForm()
    years = db.session.scalars(select(Period).where(Period.kind == PeriodKind.YEAR)
                               .order_by(Period.year.desc())).all()
    form.period_id.choices = [(p.id, str(p.year)) for p in years]
    units = db.session.execute(select(Unit.id, Unit.name, Unit.code).where(Unit.active).order_by(Unit.name)).all()
    form.unit_id.choices = [("", "—")] + [(u.id, f"{u.name} ({u.code})") for u in units]
    positions = db.session.execute(
        select(Position.id, Position.name, Unit.name.label("unit")).join(Unit, Position.unit_id == Unit.id)
        .where(Position.active).order_by(Unit.name, Position.name)).all()
    form.position_id.choices = [("", "—")] + [(p.id, f"{p.name} — {p.unit}") for p in positions]
    rule_set = planning.rules()
    form.indicator_codes.choices = [(i.code, f"{i.code}: {i.name} ({i.sector})") for i in rule_set.indicators]
    status = 200
    if form.validate_on_submit():
        period = db.session.get(Period, form.period_id.data)
        if period is None:
            form.period_id.errors.append(_("Pilih tahun."))
            status = 422
        else:
            done: list[int] = []

            def assign():
                _assignment, changed = planning.assign_indicators(
                    current_user, period, form.indicator_codes.data or [], form.unit_id.data, form.position_id.data)
                done.append(changed)

            outcome = _run(form, assign, lambda: _(
                "Indikator ditetapkan; %(n)d SKP yang masih dapat diubah ikut diperbarui.", n=done[0]),
                url_for("skp.admin_assignments"))
            if not isinstance(outcome, int):
                return outcome
            status = outcome
    elif request.method == "POST":
        status = 422
    unit_names = {u.id: u.name for u in units}
    position_names = {p.id: f"{p.name} — {p.unit}" for p in positions}
    existing = db.session.scalars(select(IndicatorAssignment).order_by(IndicatorAssignment.id.desc()).limit(100)).all()
    year_of = {p.id: p.year for p in years}
    return render_template("skp/plan_assign.html", form=form, assignments=existing, unit_names=unit_names,
                           position_names=position_names, year_of=year_of), status
