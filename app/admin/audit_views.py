"""The admin instansi reads the tenant's audit trail: filtered, paged, newest first.

An admin page over ``app.audit`` (which sits below org and auth and stores
ids): here the ids in the entries are shown by the names of the units,
positions and employees they refer to. Blueprint ``audit``, /admin/audit.

A page costs a fixed number of queries whatever its length: the object types
present (for the filter), the entries, their count, and one name lookup per
kind of referenced object (units, positions, employees) for the whole page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.admin.forms import POSITION_KIND_LABELS, SEX_LABELS, UNIT_KIND_LABELS
from app.audit.forms import TrailFilterForm
from app.audit.labels import MACHINE_FIELDS, field_label, sentence
from app.audit.models import AuditEntry
from app.auth.roles import admin_required
from app.extensions import db
from app.org.models import Employee, Position, Unit
from app.skp.evaluation.forms import EXPECTATION_LABELS, ORGANISATION_PREDIKAT_LABELS
from app.skp.training.services import reason_text as training_reason_text
from app.skp.training.services import topic_name
from app.tenancy import tenant_rules
from app.tenancy.current import start_of_local_day
from app.tenancy.web import tenant_blueprint
from app.web.filters import status_label, tanggal, waktu
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
    (None, "direction"): {"higher": _l("makin tinggi makin baik"), "lower": _l("makin rendah makin baik")},
    (None, "hasil_kerja_rating"): EXPECTATION_LABELS,
    (None, "perilaku_rating"): EXPECTATION_LABELS,
    (None, "rating"): EXPECTATION_LABELS,
    (None, "organisation_predikat"): ORGANISATION_PREDIKAT_LABELS,
}
# Fields holding a code of the tenant's rule set, shown by its name: field → vocabulary.
RULE_CODE_FIELDS = {
    "predikat_code": "predikat", "new_predikat_code": "predikat", "original_predikat_code": "predikat",
    "organisation_predikat": "predikat", "behaviour_code": "behaviour", "recommendation_code": "training",
    "topics": "training",
}
# Dicts keyed by a rule-set code: field → vocabulary of its keys.
RULE_CODE_KEYS = {"behaviour_scores": "behaviour", "scores": "behaviour", "components": "component",
                  "weights": "component"}



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
    names.update(_rule_names())
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


def _rule_names() -> dict:
    """The tenant's rule-set vocabularies (code → name) and its settings' descriptions."""
    rules = tenant_rules().rule_set
    scheme = rules.scheme
    predikat = {p.code: p.label for p in getattr(scheme, "predikat", ())}
    predikat.update({b.code: b.label for b in getattr(scheme, "bands", ())})
    schema = rules.settings_schema() if rules.settings_schema else None
    return {
        ("rules", "predikat"): predikat,
        ("rules", "behaviour"): {b.code: b.name for b in rules.behaviours},
        ("rules", "component"): {c.code: c.name for c in rules.components},
        ("rules", "training"): {t.code: t.name for t in rules.training},
        ("rules", "settings"): {name: (field.metadata.get("description") or "").rstrip(".")
                                for name, field in (schema.fields.items() if schema else ())},
    }


def _enum_of(object_type: str, key: str) -> type | None:
    """The enum class of an audited model's column, found by the entry's object type."""
    return _enum_columns().get((object_type, key))


@cache
def _enum_columns() -> dict[tuple[str, str], type]:
    found = {}
    for mapper in db.Model.registry.mappers:
        table = getattr(mapper.class_, "__table__", None)
        for column in table.c if table is not None else ():
            if getattr(column.type, "enum_class", None) is not None:
                found[(audit_type_of(mapper.class_), column.key)] = column.type.enum_class
    return found


def audit_type_of(model: type) -> str:
    return getattr(model, "__audit_type__", None) or {"user_account": "user"}.get(model.__table__.name,
                                                                                  model.__table__.name)


def _present(entry: AuditEntry, names: dict[tuple[type, int], str]) -> Row:
    before, after = entry.before or {}, entry.after or {}
    changes = []
    for key in sorted(set(before) | set(after)):
        if entry.before is not None and entry.after is not None and before.get(key) == after.get(key):
            continue
        field = field_label(key)
        if key in MACHINE_FIELDS:  # a stored calculation: said in words, never dumped
            changes.append(str(MACHINE_FIELDS[key]))
            continue
        old = _value(entry.object_type, key, before.get(key), names, before)
        new = _value(entry.object_type, key, after.get(key), names, after)
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


def _iso_moment(value: str) -> date | datetime | None:
    """A date or naive-UTC timestamp the audit snapshot stored as ISO text, or None."""
    if not _ISO.fullmatch(value):
        return None
    try:
        return datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
    except ValueError:
        return None


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?")


def _value(object_type: str, key: str, value: Any, names: dict, state: dict | None = None) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if key in REFERENCES and isinstance(value, int):
        return names.get((REFERENCES[key], value)) or _("data #%(id)d (sudah dihapus)", id=value)
    rules = names.get(("rules", RULE_CODE_FIELDS.get(key, ""))) or {}
    labels = VALUE_LABELS.get((object_type, key)) or VALUE_LABELS.get((None, key))
    if isinstance(value, str):
        if value in rules:
            return str(rules[value])
        if labels is not None and (label := next((lb for code, lb in labels.items() if str(code) == value), None)):
            return str(label)
        if (enum_class := _enum_of(object_type, key)) is not None and value in {m.value for m in enum_class}:
            return status_label(enum_class(value))
        if key == "recommendation_code":  # a hook's own recommendation: named by its reason's head
            reason = (state or {}).get("reason")
            return reason.split(":", 1)[0] if isinstance(reason, str) and reason else topic_name(value)
        if key == "reason" and object_type == "training_record":
            return training_reason_text(value)
        if (moment := _iso_moment(value)) is not None:  # stored as ISO text: shown as people write it
            return waktu(moment) if isinstance(moment, datetime) else tanggal(moment)
    if isinstance(value, dict):  # nested settings or inputs: labelled, never JSON
        keys = names.get(("rules", RULE_CODE_KEYS.get(key, ""))) or {}
        settings = (names.get(("rules", "settings")) or {}) if key == "settings" else {}
        return "; ".join(f"{keys.get(k) or settings.get(k) or field_label(k)}: {_value(object_type, k, v, names)}"
                         for k, v in sorted(value.items()))
    if isinstance(value, list):
        return ", ".join(_value(object_type, key, item, names) for item in value)
    return str(value)
