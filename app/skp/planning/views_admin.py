"""The admin's planning screens: every plan of a year, reassigning a plan's
pejabat penilai, and indicator sets per unit or position (routes on the
"skp" blueprint)."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.auth.roles import admin_required
from app.extensions import db
from app.org.hierarchy import supervisor_of
from app.org.models import Employee, Position, Unit
from app.org.nip import normalise_nip
from app.org.search import employee_ids_named
from app.periods.models import Period, PeriodKind
from app.skp.planning import services as planning
from app.skp.planning.access import penilai_of
from app.skp.planning.forms import AssignmentForm, ReassignForm
from app.skp.planning.models import Plan, PlanStatus
from app.skp.planning.web import bp, current_version, plan_or_404
from app.tenancy import tenant_rules
from app.web.forms import form_status, perform
from app.web.listing import contains_pattern, paginate, search_term


def _years() -> list[Period]:
    return list(db.session.scalars(select(Period).where(Period.kind == PeriodKind.YEAR)
                                   .order_by(Period.year.desc())))


@bp.route("/admin/")
@admin_required
def admin_plans():
    years = _years()
    year = request.args.get("tahun", type=int) or (years[0].year if years else None)
    status = request.args.get("status") or None
    query = (select(Plan).join(Period, Plan.period_id == Period.id).join(Employee, Plan.employee_id == Employee.id)
             .options(joinedload(Plan.employee), joinedload(Plan.period), joinedload(Plan.assigned_penilai))
             .where(Period.year == year).order_by(Employee.name))
    if status in {s.value for s in PlanStatus}:
        query = query.where(Plan.status == PlanStatus(status))
    term = search_term()
    if term:
        query = query.where(or_(Employee.id.in_(employee_ids_named(term)),
                                Plan.unit_name.ilike(contains_pattern(term), escape="\\")))
    return render_template("skp/plan_admin.html", page=paginate(query), years=years, year=year, status=status,
                           q=term)


@bp.route("/admin/<int:plan_id>/penilai", methods=["GET", "POST"])
@admin_required
def admin_reassign(plan_id: int):
    plan = plan_or_404(plan_id)
    form = ReassignForm()
    done = None
    if request.method == "GET":
        form.version.data = plan.version
        form.employee_nip.data = plan.assigned_penilai.nip if plan.assigned_penilai else ""
    elif form.validate_on_submit():
        nip = normalise_nip(form.employee_nip.data or "")
        penilai = db.session.scalar(select(Employee).where(Employee.nip == nip)) if nip else None
        if nip and penilai is None:
            form.employee_nip.errors.append(_("Tidak ada pegawai dengan NIP itu."))
        else:
            done = perform(form, lambda: planning.reassign_penilai(current_user, plan, form.version_number, penilai,
                                                                   form.reason.data),
                           success=_("Pejabat penilai SKP ini diganti."),
                           redirect_to=url_for("skp.plan_view", plan_id=plan.id),
                           current_version=current_version(plan.id))
            if done.ok:
                return done.response
    plan = plan_or_404(plan_id)
    org_penilai = supervisor_of(plan.employee) if plan.employee is not None else None
    return render_template("skp/plan_reassign.html", form=form, plan=plan, penilai=penilai_of(plan),
                           org_penilai=org_penilai), form_status(form, done)


@bp.route("/admin/indikator", methods=["GET", "POST"])
@admin_required
def admin_assignments():
    form = AssignmentForm()
    years = _years()
    form.period_id.choices = [(p.id, str(p.year)) for p in years]
    units = db.session.execute(select(Unit.id, Unit.name, Unit.code).where(Unit.active).order_by(Unit.name)).all()
    form.unit_id.choices = [("", "—")] + [(u.id, f"{u.name} ({u.code})") for u in units]
    positions = db.session.execute(
        select(Position.id, Position.name, Unit.name.label("unit")).join(Unit, Position.unit_id == Unit.id)
        .where(Position.active).order_by(Unit.name, Position.name)).all()
    form.position_id.choices = [("", "—")] + [(p.id, f"{p.name} — {p.unit}") for p in positions]
    rule_set = tenant_rules().rule_set
    form.indicator_codes.choices = [(i.code, f"{i.code}: {i.name} ({i.sector})") for i in rule_set.indicators]
    done = None
    if form.validate_on_submit():
        period = db.session.get(Period, form.period_id.data)
        if period is None:
            form.period_id.errors.append(_("Pilih tahun."))
        else:
            done = perform(form, lambda: planning.assign_indicators(
                current_user, period, form.indicator_codes.data or [], form.unit_id.data, form.position_id.data),
                success=lambda outcome: _(
                    "Indikator ditetapkan; %(n)d SKP yang masih dapat diubah ikut diperbarui.", n=outcome[1]),
                redirect_to=url_for("skp.admin_assignments"))
            if done.ok:
                return done.response
    unit_names = {u.id: u.name for u in units}
    position_names = {p.id: f"{p.name} — {p.unit}" for p in positions}
    return render_template("skp/plan_assign.html", form=form, assignments=planning.assignments(limit=100),
                           unit_names=unit_names, position_names=position_names,
                           year_of={p.id: p.year for p in years}), form_status(form, done)
