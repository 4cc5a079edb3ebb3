"""Admin instansi: units, positions, employees and accounts of the tenant."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.admin.forms import (
    ActingForm,
    EmployeeForm,
    PositionForm,
    UnitForm,
    UserForm,
    grade_select_choices,
    rank_select_choices,
)
from app.auth import accounts
from app.auth.models import User
from app.auth.roles import admin_required
from app.extensions import db
from app.org import people, services
from app.org.models import ActingAssignment, Employee, Position, Unit
from app.org.ranks import grade_label, rank_label
from app.org.search import employee_ids_named, nip_prefix, position_ids_named
from app.tenancy import tenant_today
from app.tenancy.web import tenant_blueprint
from app.web.forms import ConfirmForm, form_status, perform
from app.web.listing import filtered, paginate, search_term

bp = tenant_blueprint("admin", __name__, "/admin", guard=admin_required)


@bp.context_processor
def _catalogue_labels() -> dict:
    return {"rank_label": rank_label, "grade_label": grade_label}


def _unit_choices(exclude: int | None = None) -> list[tuple]:
    rows = db.session.execute(
        select(Unit.id, Unit.code, Unit.name).where(Unit.active).order_by(Unit.name)
    ).all()
    return [("", "—")] + [(r.id, f"{r.name} ({r.code})") for r in rows if r.id != exclude]


def _position_choices(exclude: int | None = None) -> list[tuple]:
    rows = db.session.execute(
        select(Position.id, Position.name, Unit.name.label("unit"))
        .join(Unit, Position.unit_id == Unit.id)
        .where(Position.active)
        .order_by(Unit.name, Position.name)
    ).all()
    return [("", "—")] + [(r.id, f"{r.name} — {r.unit}") for r in rows if r.id != exclude]


@bp.route("/")
def index():
    counts = {
        "units": db.session.scalar(select(db.func.count()).select_from(Unit).where(Unit.active)),
        "positions": db.session.scalar(select(db.func.count()).select_from(Position).where(Position.active)),
        "employees": db.session.scalar(select(db.func.count()).select_from(Employee).where(Employee.active)),
        "users": db.session.scalar(select(db.func.count()).select_from(User).where(User.active)),
    }
    return render_template("admin/index.html", counts=counts)


_REACTIVATABLE = {
    "unit": (Unit, "admin.units"),
    "jabatan": (Position, "admin.positions"),
    "pegawai": (Employee, "admin.employees"),
    "akun": (User, "admin.users"),
}


def _reactivate(kind: str, object_id: int):
    model, target = _REACTIVATABLE[kind]
    obj = db.get_or_404(model, object_id)
    if ConfirmForm().validate_on_submit():
        perform(None, lambda: services.reactivate(obj), success=_("Data diaktifkan kembali."))
    return redirect(url_for(target))


@bp.route("/unit/<int:unit_id>/aktifkan", methods=["POST"])
def unit_reactivate(unit_id: int):
    return _reactivate("unit", unit_id)


@bp.route("/jabatan/<int:position_id>/aktifkan", methods=["POST"])
def position_reactivate(position_id: int):
    return _reactivate("jabatan", position_id)


@bp.route("/pegawai/<int:employee_id>/aktifkan", methods=["POST"])
def employee_reactivate(employee_id: int):
    return _reactivate("pegawai", employee_id)


@bp.route("/akun/<int:user_id>/aktifkan", methods=["POST"])
def user_reactivate(user_id: int):
    return _reactivate("akun", user_id)


# --- units --------------------------------------------------------------------

@bp.route("/unit")
def units():
    query = filtered(select(Unit).options(joinedload(Unit.parent)).order_by(Unit.active.desc(), Unit.name),
                     Unit.name, Unit.code)
    return render_template("admin/units.html", page=paginate(query), q=search_term())


@bp.route("/unit/baru", methods=["GET", "POST"])
@bp.route("/unit/<int:unit_id>", methods=["GET", "POST"])
def unit_form(unit_id: int | None = None):
    unit = db.get_or_404(Unit, unit_id) if unit_id else None
    form = UnitForm(obj=unit)
    form.parent_id.choices = _unit_choices(exclude=unit_id)
    if form.validate_on_submit():
        def save():
            if unit is not None:
                services.check_version(unit, form.version_number)
            return services.save_unit(services.UnitData(
                form.code.data, form.name.data, form.kind.data, form.parent_id.data, form.letterhead.data), unit)
        done = perform(form, save, success=_("Unit disimpan."), redirect_to=url_for("admin.units"),
                       current_version=lambda: unit.version if unit is not None else None)
        if done.ok:
            return done.response
    elif unit is not None and request.method == "GET":
        form.version.data = unit.version
    return render_template("admin/unit_form.html", form=form, unit=unit), form_status(form)


@bp.route("/unit/<int:unit_id>/nonaktifkan", methods=["POST"])
def unit_deactivate(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    if ConfirmForm().validate_on_submit():
        perform(None, lambda: services.deactivate_unit(unit),
                success=_("Unit %(name)s dinonaktifkan.", name=unit.name))
    return redirect(url_for("admin.units"))


# --- positions ----------------------------------------------------------------

@bp.route("/jabatan")
def positions():
    query = filtered(
        select(Position).options(joinedload(Position.unit), joinedload(Position.reports_to))
        .join(Unit, Position.unit_id == Unit.id)
        .order_by(Position.active.desc(), Unit.name, Position.name),
        Position.name, Position.code, Unit.name,
    )
    return render_template("admin/positions.html", page=paginate(query), q=search_term())


@bp.route("/jabatan/baru", methods=["GET", "POST"])
@bp.route("/jabatan/<int:position_id>", methods=["GET", "POST"])
def position_form(position_id: int | None = None):
    position = db.get_or_404(Position, position_id) if position_id else None
    form = PositionForm(obj=position)
    form.unit_id.choices = _unit_choices()
    form.reports_to_id.choices = _position_choices(exclude=position_id)
    form.grade.choices = grade_select_choices()
    if form.validate_on_submit():
        def save():
            if position is not None:
                services.check_version(position, form.version_number)
            return services.save_position(services.PositionData(
                form.code.data, form.name.data, form.kind.data, form.unit_id.data, form.reports_to_id.data,
                form.grade.data or None), position)
        done = perform(form, save, success=_("Jabatan disimpan."), redirect_to=url_for("admin.positions"),
                       current_version=lambda: position.version if position is not None else None)
        if done.ok:
            return done.response
    elif position is not None and request.method == "GET":
        form.version.data = position.version
    acting = []
    holders = []
    if position is not None:
        acting = db.session.scalars(
            select(ActingAssignment).options(joinedload(ActingAssignment.employee))
            .where(ActingAssignment.position_id == position.id).order_by(ActingAssignment.starts_on.desc())
        ).all()
        holders = db.session.scalars(
            select(Employee).where(Employee.position_id == position.id, Employee.active).order_by(Employee.name).limit(50)
        ).all()
    return render_template("admin/position_form.html", form=form, position=position, acting=acting,
                           holders=holders, acting_form=ActingForm(), today=tenant_today()), form_status(form)


@bp.route("/jabatan/<int:position_id>/plt", methods=["POST"])
def position_acting(position_id: int):
    position = db.get_or_404(Position, position_id)
    form = ActingForm()
    if form.validate_on_submit():
        perform(None, lambda: services.assign_acting(position, form.employee_nip.data, form.kind.data,
                                                     form.starts_on.data, form.ends_on.data, form.decree.data),
                success=_("Penunjukan Plt/Plh disimpan."))
    else:
        flash(_("Periksa isian penunjukan Plt/Plh: tanggal berformat YYYY-MM-DD dan NIP wajib diisi."), "error")
    return redirect(url_for("admin.position_form", position_id=position.id))


@bp.route("/jabatan/<int:position_id>/nonaktifkan", methods=["POST"])
def position_deactivate(position_id: int):
    position = db.get_or_404(Position, position_id)
    if ConfirmForm().validate_on_submit():
        perform(None, lambda: services.deactivate_position(position),
                success=_("Jabatan %(name)s dinonaktifkan.", name=position.name))
    return redirect(url_for("admin.positions"))


# --- employees ----------------------------------------------------------------

@bp.route("/pegawai")
def employees():
    term = search_term()
    query = select(Employee).options(joinedload(Employee.position).joinedload(Position.unit)) \
        .order_by(Employee.active.desc(), Employee.name)
    if term and (by_nip := nip_prefix(term)) is not None:
        query = query.where(by_nip)
    elif term:
        # Name or position name, each matched once on its own index (app/org/search.py); the list
        # then walks the tenant's employees in its order, testing each id against the two sets,
        # and stops at the page's end. (A UNION of the matches, joined by id, is faster for a rare
        # term but six times slower for a common one: every match is then joined and sorted.)
        query = query.where(or_(Employee.id.in_(employee_ids_named(term)),
                                Employee.position_id.in_(position_ids_named(term))))
    return render_template("admin/employees.html", page=paginate(query), q=term)


@bp.route("/pegawai/baru", methods=["GET", "POST"])
@bp.route("/pegawai/<int:employee_id>", methods=["GET", "POST"])
def employee_form(employee_id: int | None = None):
    employee = db.get_or_404(Employee, employee_id) if employee_id else None
    form = EmployeeForm(obj=employee)
    form.position_id.choices = _position_choices()
    form.rank_code.choices = rank_select_choices()
    if form.validate_on_submit():
        def save():
            if employee is not None:
                services.check_version(employee, form.version_number)
            saved = services.save_employee(services.EmployeeData(
                form.nip.data, form.name.data, form.sex.data, form.employee_type.data,
                form.position_id.data, form.email.data, siasn_id=form.siasn_id.data or ""), employee)
            people.change_rank(saved, form.rank_code.data, form.rank_tmt.data)
            return saved
        done = perform(form, save, success=_("Data pegawai disimpan."), redirect_to=url_for("admin.employees"),
                       current_version=lambda: employee.version if employee is not None else None)
        if done.ok:
            return done.response
    elif employee is not None and request.method == "GET":
        form.version.data = employee.version
    history = people.rank_history(employee) if employee is not None else []
    recorders = {r.id: r.username for r in db.session.execute(select(User.id, User.username).where(
        User.id.in_({row.recorded_by_id for row in history if row.recorded_by_id})))} if history else {}
    return render_template("admin/employee_form.html", form=form, employee=employee, rank_history=history,
                           recorders=recorders), form_status(form)


@bp.route("/pegawai/<int:employee_id>/nonaktifkan", methods=["POST"])
def employee_deactivate(employee_id: int):
    employee = db.get_or_404(Employee, employee_id)
    if ConfirmForm().validate_on_submit():
        perform(None, lambda: accounts.deactivate_employee(employee),
                success=_("Pegawai %(name)s dinonaktifkan; akunnya tidak bisa masuk lagi.", name=employee.name))
    return redirect(url_for("admin.employees"))


# --- user accounts ------------------------------------------------------------

@bp.route("/akun")
def users():
    query = filtered(
        select(User).options(joinedload(User.employee)).outerjoin(Employee, User.employee_id == Employee.id)
        .order_by(User.active.desc(), User.username),
        User.username, Employee.name,
    )
    return render_template("admin/users.html", page=paginate(query), q=search_term())


@bp.route("/akun/baru", methods=["GET", "POST"])
@bp.route("/akun/<int:user_id>", methods=["GET", "POST"])
def user_form(user_id: int | None = None):
    user = db.get_or_404(User, user_id) if user_id else None
    form = UserForm(obj=user)
    if request.method == "GET" and user is not None:
        form.version.data = user.version
        form.employee_nip.data = user.employee.nip if user.employee else ""
    if form.validate_on_submit():
        def save():
            if user is not None:
                services.check_version(user, form.version_number)
            return accounts.save_user(accounts.UserData(
                form.username.data, form.employee_nip.data, form.is_admin.data, form.password.data), user)
        done = perform(form, save, success=_("Akun disimpan."), redirect_to=url_for("admin.users"),
                       current_version=lambda: user.version if user is not None else None)
        if done.ok:
            return done.response
    return render_template("admin/user_form.html", form=form, user=user), form_status(form)


@bp.route("/akun/<int:user_id>/nonaktifkan", methods=["POST"])
def user_deactivate(user_id: int):
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        perform(None, lambda: accounts.deactivate_account(user),
                success=_("Akun %(name)s dinonaktifkan dan semua sesinya diakhiri.", name=user.username))
    return redirect(url_for("admin.users"))
