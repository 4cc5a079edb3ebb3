"""The admin instansi reads the tenant's audit trail: filtered, paged, newest first.

An admin page over ``app.audit`` (which sits below org and auth and stores
ids): here the ids in the entries are shown by the names of the units,
positions and employees they refer to. Blueprint ``audit``, /admin/audit.

A page costs a fixed number of queries whatever its length: the object types
present (for the filter), the entries, their count, and one name lookup per
kind of referenced object (units, positions, employees) for the whole page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import abort, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from app.admin.forms import POSITION_KIND_LABELS, SEX_LABELS, UNIT_KIND_LABELS
from app.audit.forms import TrailFilterForm
from app.audit.labels import field_label, sentence
from app.audit.models import AuditEntry
from app.auth.roles import admin_required
from app.extensions import db
from app.org.models import Employee, Position, Unit
from app.tenancy.current import start_of_local_day
from app.tenancy.web import tenant_blueprint
from app.web.listing import paginate

bp = tenant_blueprint("audit", __name__, "/admin/audit", guard=admin_required)

# Snapshot fields holding another object's id, shown by that object's name.
REFERENCES = {
    "parent_id": Unit, "unit_id": Unit,
    "position_id": Position, "reports_to_id": Position,
    "employee_id": Employee,
}
_NAME_KEYS = ("name", "username", "code", "slug")
# Objects named by their own name; any other object (an SKP, an IKI, an
# evaluation …) is named by the employee whose history it is.
_OWN_NAME_TYPES = frozenset({"tenant", "unit", "position", "employee", "user", "import_batch", "period",
                             "training_course"})
# Stored codes shown by their labels: (object type or None for any, field) → labels.
VALUE_LABELS: dict[tuple[str | None, str], dict] = {
    (None, "sex"): SEX_LABELS,
    ("unit", "kind"): UNIT_KIND_LABELS,
    ("position", "kind"): POSITION_KIND_LABELS,
}



@bp.route("/")
def index():
    return _trail(employee=None)


@bp.route("/pegawai/<int:employee_id>")
def employee_trail(employee_id: int):
    # Another tenant's employee is invisible: the same 404 as a missing one.
    employee = db.session.get(Employee, employee_id)
    if employee is None:
        abort(404)
    return _trail(employee=employee)


def _trail(employee: Employee | None):
    present_types = db.session.scalars(select(AuditEntry.object_type).distinct()).all()
    form = TrailFilterForm(formdata=request.args, present_types=present_types)
    form.validate()
    query = select(AuditEntry).order_by(AuditEntry.seq.desc())
    if employee is not None:
        query = query.where(AuditEntry.employee_id == employee.id)
    if object_type := form.valid("object_type"):
        query = query.where(AuditEntry.object_type == object_type)
        if object_id := form.valid("object_id"):
            query = query.where(AuditEntry.object_id == object_id)
    if actor := form.valid("actor"):
        query = query.where(AuditEntry.actor_label == actor.strip().lower())
    if date_from := form.valid("date_from"):
        query = query.where(AuditEntry.occurred_at >= start_of_local_day(date_from))
    if date_to := form.valid("date_to"):
        query = query.where(AuditEntry.occurred_at < start_of_local_day(date_to + timedelta(days=1)))
    page = paginate(query)
    names = _referenced_names(page.items)
    filters = {name: request.args[name] for name in ("object_type", "object_id", "actor", "date_from", "date_to")
               if request.args.get(name)}
    return render_template("audit/index.html", form=form, page=page, employee=employee, filters=filters,
                           page_args={**(request.view_args or {}), **filters},
                           rows=[_present(entry, names) for entry in page.items])


# --- presenting entries --------------------------------------------------------------

@dataclass
class Row:
    entry: AuditEntry
    sentence: str  # "admin mengubah data pegawai Budi"
    changes: list[str]  # "Jabatan dari Staf (#3) menjadi Kepala Seksi (#4)"


def _referenced_names(entries: list[AuditEntry]) -> dict[tuple[type, int], str]:
    # One query per referenced model, run even when empty: the same count on every page.
    wanted: dict[type, set[int]] = {model: set() for model in REFERENCES.values()}
    for entry in entries:
        for state in (entry.before, entry.after):
            for key, model in REFERENCES.items():
                if state and isinstance(state.get(key), int):
                    wanted[model].add(state[key])
        if entry.employee_id is not None:
            wanted[Employee].add(entry.employee_id)
    names = {}
    for model, ids in wanted.items():
        for object_id, name in db.session.execute(select(model.id, model.name).where(model.id.in_(ids))):
            names[(model, object_id)] = name
    return names


def _present(entry: AuditEntry, names: dict[tuple[type, int], str]) -> Row:
    before, after = entry.before or {}, entry.after or {}
    changes = []
    for key in sorted(set(before) | set(after)):
        if entry.before is not None and entry.after is not None and before.get(key) == after.get(key):
            continue
        field = field_label(key)
        old = _value(entry.object_type, key, before.get(key), names)
        new = _value(entry.object_type, key, after.get(key), names)
        if entry.before is None:
            changes.append(_("%(field)s: %(value)s", field=field, value=new))
        elif entry.after is None:
            changes.append(_("%(field)s: %(value)s (dihapus)", field=field, value=old))
        else:
            changes.append(_("%(field)s dari %(old)s menjadi %(new)s", field=field, old=old, new=new))
    return Row(entry, sentence(entry.action, entry.object_type, entry.actor_label, _name(entry, names)), changes)


def _name(entry: AuditEntry, names: dict[tuple[type, int], str]) -> str:
    state = entry.after or entry.before or {}
    own = next((str(state[key]) for key in _NAME_KEYS if state.get(key)), "")
    if entry.object_type in _OWN_NAME_TYPES and own:
        return own
    if entry.employee_id is not None:
        employee = names.get((Employee, entry.employee_id))
        if employee:
            return employee
    return own


def _value(object_type: str, key: str, value: Any, names: dict[tuple[type, int], str]) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if key in REFERENCES and isinstance(value, int):
        return names.get((REFERENCES[key], value)) or _("data #%(id)d (sudah dihapus)", id=value)
    labels = VALUE_LABELS.get((object_type, key)) or VALUE_LABELS.get((None, key))
    if labels is not None and isinstance(value, str):
        return str(next((label for code, label in labels.items() if str(code) == value), value))
    if isinstance(value, dict):  # nested settings or inputs: labelled, never JSON
        return "; ".join(f"{field_label(k)}: {_value(object_type, k, v, names)}" for k, v in sorted(value.items()))
    if isinstance(value, list):
        return ", ".join(_value(object_type, key, item, names) for item in value)
    return str(value)
