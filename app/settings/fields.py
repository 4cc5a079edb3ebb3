"""The settings editor's fields, read at runtime from a rule set's settings schema.

Nothing here is written per region: ``describe`` walks the marshmallow schema
the rule set names (``app.regions.settings``) and turns each field into an
``EditorField`` — its kind (whole number, number, yes/no, choice, text, list,
weights), its range and choices (from the field's validators), its
description (``metadata["description"]``) and the rule set's own value.
``parse`` reads the submitted form back into overrides, with a message in
Bahasa Indonesia on the field for every value it cannot use; ``shown``
writes a value for people (labels, never codes).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from app.regions.settings import _schema_for, effective_settings
from app.regions.types import RuleSet

# Short labels of the settings every rule set accepts; a region's own settings
# are labelled by their description (or ``metadata["label"]``).
COMMON_LABELS = {
    "objection_window_days": _l("Masa keberatan (hari)"),
    "annual_aggregation": _l("Cara menghitung hasil tahunan"),
    "distribution_mode": _l("Kurva distribusi predikat"),
    "distribution_rounding": _l("Pembulatan kuota unit kecil"),
    "weights": _l("Bobot komponen penilaian"),
    "rater_weights": _l("Bobot penilai 360°"),
    "required_training_hours": _l("Jam pelajaran pengembangan kompetensi wajib (JP/tahun)"),
    "early_finalisation": _l("Finalisasi sebelum periode berakhir"),
    "pending_evidence": _l("Bukti dukung yang belum diperiksa"),
    "unit_head_sets_organisation_predikat": _l("Kepala unit menetapkan predikat organisasi"),
    "evaluation_meeting_required": _l("Rapat evaluasi kinerja wajib sebelum finalisasi"),
    "criteria_consultation": _l("Konsultasi kriteria dengan pegawai"),
}

# Descriptions of the common settings for people: the schema's own name codes
# (off/warn/block) that are labelled here instead.
COMMON_DESCRIPTIONS = {
    "distribution_mode": _l("Apa yang terjadi bila sebaran predikat suatu unit melanggar kurva distribusi."),
    "weights": _l("Bobot tiap komponen nilai dalam persen."),
    "rater_weights": _l("Bobot tiap penilai perilaku dalam persen."),
    "pending_evidence": _l("Apa yang terjadi pada finalisasi bila masih ada bukti dukung yang belum diperiksa "
                           "pejabat penilai."),
}

# What the choices of the common settings mean.
VALUE_LABELS = {
    "annual_aggregation": {"mean": _l("rata-rata hasil periodik"), "last": _l("hasil periode terakhir"),
                           "lowest": _l("hasil periodik terendah")},
    "distribution_mode": {"off": _l("tidak diperiksa"), "warn": _l("peringatan saja"),
                          "block": _l("finalisasi ditolak bila melanggar")},
    "distribution_rounding": {"lenient": _l("longgar (maksimum dibulatkan ke atas)"),
                              "strict": _l("ketat (maksimum dibulatkan ke bawah)")},
    "pending_evidence": {"block": _l("finalisasi ditolak"), "warn": _l("peringatan saja")},
}

RATER_LABELS = {"atasan": _l("Atasan"), "rekan": _l("Rekan kerja"), "bawahan": _l("Bawahan"),
                "masyarakat": _l("Masyarakat (IKM)")}

INTEGER, NUMBER, BOOLEAN, CHOICE, TEXT, LIST, WEIGHTS = (
    "integer", "number", "boolean", "choice", "text", "list", "weights")

# Longest text a person may type into one setting.
MAX_TEXT = 200


@dataclass(frozen=True)
class EditorField:
    """One setting as the editor shows it."""

    name: str
    label: str
    description: str
    kind: str
    default: Any  # the rule set's own value (no override)
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[tuple[str, str], ...] = ()
    keys: tuple[tuple[str, str], ...] = ()  # weights: (key, label)
    item_choices: tuple[str, ...] = field(default=())  # a list's allowed items, when its schema names them

    def input_name(self, key: str | None = None) -> str:
        """The form input's name (one per weight)."""
        return f"s__{self.name}" if key is None else f"s__{self.name}__{key}"


def _range(validators: Any) -> tuple[float | None, float | None]:
    for v in validators or ():
        if isinstance(v, validate.Range):
            return v.min, v.max
    return None, None


def _one_of(validators: Any) -> tuple[str, ...]:
    for v in validators or ():
        if isinstance(v, validate.OneOf):
            return tuple(str(c) for c in v.choices)
    return ()


def _label(name: str, f: fields.Field) -> str:
    if name in COMMON_LABELS:
        return str(COMMON_LABELS[name])
    return str(f.metadata.get("label") or f.metadata.get("description") or _("Pengaturan daerah"))


def _choice_label(name: str, value: str) -> str:
    return str(VALUE_LABELS.get(name, {}).get(value, value))


def _dict_keys(name: str, f: fields.Dict, rule_set: RuleSet) -> tuple[tuple[str, str], ...]:
    if name == "weights":
        return tuple((c.code, c.name) for c in rule_set.components)
    if name == "rater_weights":
        return tuple((r.value, str(RATER_LABELS.get(r.value, r.value))) for r, _w in rule_set.rater_weights)
    known = _one_of(getattr(f.key_field, "validators", ()))
    return tuple((k, k) for k in known)


def describe(rule_set: RuleSet) -> list[EditorField]:
    """Every setting of the rule set's schema the editor can offer, in schema order.
    A dict of weights with no keys (e.g. 360° weights in a region without 360°)
    is left out: there is nothing to weigh."""
    schema: Schema = _schema_for(rule_set)
    defaults = effective_settings(rule_set, {})
    out = []
    for name, f in schema.fields.items():
        common = {"name": name, "label": _label(name, f), "default": defaults.get(name),
                  "description": str(COMMON_DESCRIPTIONS.get(name) or f.metadata.get("description", ""))}
        minimum, maximum = _range(f.validators)
        if isinstance(f, fields.Boolean):
            out.append(EditorField(kind=BOOLEAN, **common))
        elif isinstance(f, fields.Integer):
            out.append(EditorField(kind=INTEGER, minimum=minimum, maximum=maximum, **common))
        elif isinstance(f, fields.Float | fields.Decimal | fields.Number):
            out.append(EditorField(kind=NUMBER, minimum=minimum, maximum=maximum, **common))
        elif isinstance(f, fields.String):
            options = _one_of(f.validators)
            if options:
                out.append(EditorField(kind=CHOICE, choices=tuple((o, _choice_label(name, o)) for o in options),
                                       **common))
            else:
                out.append(EditorField(kind=TEXT, **common))
        elif isinstance(f, fields.Dict):
            keys = _dict_keys(name, f, rule_set)
            if keys:
                low, high = _range(getattr(f.value_field, "validators", ()))
                out.append(EditorField(kind=WEIGHTS, keys=keys, minimum=low, maximum=high, **common))
        elif isinstance(f, fields.List) and isinstance(f.inner, fields.String):
            out.append(EditorField(kind=LIST, item_choices=_one_of(f.inner.validators), **common))
    return out


# --- reading the form ---------------------------------------------------------------------

def _number(raw: str, f: EditorField, integer: bool) -> tuple[Any, str | None]:
    text = raw.strip().replace(",", ".") if not integer else raw.strip()
    try:
        value: float = int(text) if integer else float(text)
    except ValueError:
        return None, (_("Isi dengan bilangan bulat.") if integer else _("Isi dengan angka."))
    if isinstance(value, float) and not math.isfinite(value):
        return None, _("Isi dengan angka.")
    if (f.minimum is not None and value < f.minimum) or (f.maximum is not None and value > f.maximum):
        return None, _("Isi antara %(min)s dan %(max)s.", min=_plain(f.minimum), max=_plain(f.maximum))
    return value, None


def _plain(value: Any) -> str:
    if value is None:
        return "…"
    return f"{value:g}" if isinstance(value, float) else str(value)


def parse(editor_fields: list[EditorField], data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The overrides a submitted form asks for, and a message per input that
    cannot be used. An empty input keeps the rule set's value (no override)."""
    overrides: dict[str, Any] = {}
    problems: dict[str, str] = {}

    def raw_of(name: str) -> str:
        value = data.get(name)
        return value.strip() if isinstance(value, str) else ""

    for f in editor_fields:
        if f.kind == WEIGHTS:
            raws = {key: raw_of(f.input_name(key)) for key, _label in f.keys}
            if not any(raws.values()):
                continue
            weights, bad = {}, False
            for key, raw in raws.items():
                if not raw:
                    problems[f.input_name(key)] = _("Isi semua bobot, atau kosongkan semuanya.")
                    bad = True
                    continue
                value, message = _number(raw, f, integer=False)
                if message:
                    problems[f.input_name(key)] = message
                    bad = True
                else:
                    weights[key] = value
            if bad:
                continue
            total = sum(weights.values())
            if abs(total - 100) > 1e-6:
                problems[f.input_name(f.keys[0][0])] = _(
                    "Jumlah bobot harus 100 (sekarang %(total)s).", total=_plain(float(total)))
                continue
            overrides[f.name] = weights
            continue
        raw = raw_of(f.input_name())
        if not raw:
            continue
        if len(raw) > MAX_TEXT:
            problems[f.input_name()] = _("Paling banyak %(n)d karakter.", n=MAX_TEXT)
        elif f.kind in (INTEGER, NUMBER):
            value, message = _number(raw, f, integer=f.kind == INTEGER)
            if message:
                problems[f.input_name()] = message
            else:
                overrides[f.name] = value
        elif f.kind == BOOLEAN:
            if raw not in ("1", "0"):
                problems[f.input_name()] = _("Pilih ya atau tidak.")
            else:
                overrides[f.name] = raw == "1"
        elif f.kind == CHOICE:
            if raw not in {c for c, _label in f.choices}:
                problems[f.input_name()] = _("Pilihan tidak dikenal.")
            else:
                overrides[f.name] = raw
        elif f.kind == LIST:
            items = [item.strip() for item in raw.split(",") if item.strip()]
            unknown = [item for item in items if f.item_choices and item not in f.item_choices]
            if unknown:
                problems[f.input_name()] = _("Tidak dikenal: %(items)s. Pilihan: %(choices)s.",
                                             items=", ".join(unknown), choices=", ".join(f.item_choices))
            else:
                overrides[f.name] = items
        else:
            overrides[f.name] = raw
    return overrides, problems


def form_values(editor_fields: list[EditorField], overrides: Mapping[str, Any]) -> dict[str, str]:
    """The form's inputs filled with ``overrides`` (what the editor opens with)."""
    values: dict[str, str] = {}
    for f in editor_fields:
        value = overrides.get(f.name)
        if value is None:
            continue
        if f.kind == WEIGHTS and isinstance(value, Mapping):
            for key, _label in f.keys:
                if key in value:
                    values[f.input_name(key)] = _plain(float(value[key]))
        elif f.kind == BOOLEAN:
            values[f.input_name()] = "1" if value else "0"
        elif f.kind == LIST and isinstance(value, list | tuple):
            values[f.input_name()] = ", ".join(str(v) for v in value)
        elif isinstance(value, float):
            values[f.input_name()] = _plain(value)
        else:
            values[f.input_name()] = str(value)
    return values


# --- showing values -------------------------------------------------------------------------

def shown(f: EditorField | None, value: Any) -> str:
    """A setting's value as a person reads it."""
    if value is None:
        return "—"
    if f is not None and f.kind == WEIGHTS and isinstance(value, Mapping):
        labels = dict(f.keys)
        return ", ".join(f"{labels.get(k, k)} {_plain(float(v))}%" for k, v in value.items())
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if f is not None and f.kind == CHOICE:
        return dict(f.choices).get(str(value), str(value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, float):
        return _plain(value)
    return str(value)


def labelled_diff(editor_fields: list[EditorField],
                  changes: list[tuple[str, Any, Any]]) -> list[tuple[str, str, str]]:
    """(label, before, after) of each change, for people."""
    by_name = {f.name: f for f in editor_fields}
    out = []
    for name, before, after in changes:
        f = by_name.get(name)
        out.append((f.label if f is not None else _("Pengaturan lain"), shown(f, before), shown(f, after)))
    return out
