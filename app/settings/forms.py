"""The settings editor's form, built at runtime from the rule set's schema
(``app.settings.fields.describe``): one input per setting, one per weight."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from app.settings.fields import BOOLEAN, CHOICE, INTEGER, LIST, NUMBER, WEIGHTS, EditorField, shown
from app.web.forms import Form

FOLLOW = _l("— kosong: ikuti aturan daerah —")


def _hint(f: EditorField, in_force) -> str:
    parts = [_("Berlaku sekarang: %(now)s. Bawaan aturan daerah: %(default)s.",
               now=shown(f, in_force.get(f.name)), default=shown(f, f.default))]
    if f.minimum is not None or f.maximum is not None:
        low = "…" if f.minimum is None else f"{f.minimum:g}"
        high = "…" if f.maximum is None else f"{f.maximum:g}"
        parts.append(_("Rentang %(low)s–%(high)s.", low=low, high=high))
    if f.kind == WEIGHTS:
        parts.append(_("Jumlah semua bobot 100."))
    if f.kind == LIST:
        parts.append(_("Pisahkan dengan koma."))
        if f.item_choices:
            parts.append(_("Pilihan: %(items)s.", items=", ".join(f.item_choices)))
    if f.description:
        parts.append(f.description)
    return " ".join(parts)


class EditorForm(Form):
    # Choices are checked by the editor (``app.settings.editor``, ``app.settings.fields.parse``):
    # an unknown value gets a message on its field, an absent one keeps the rule set's value.
    start = SelectField(_l("Mulai berlaku"), validate_choice=False)
    note = TextAreaField(_l("Catatan (alasan perubahan)"), validators=[Length(max=500)])


class SaveForm(Form):
    token = HiddenField()


def editor_form(editor_fields: list[EditorField], in_force: dict, start_choices: list[tuple[str, str]],
                **kwargs) -> EditorForm:
    """A form class with one input per setting (weights: one per key), instantiated."""

    class SettingsForm(EditorForm):
        pass

    for f in editor_fields:
        hint = _hint(f, in_force)
        if f.kind == WEIGHTS:
            for n, (key, label) in enumerate(f.keys):
                setattr(SettingsForm, f.input_name(key), StringField(
                    f"{f.label} — {label}", description=hint if n == 0 else "",
                    render_kw={"inputmode": "decimal", "autocomplete": "off"}))
        elif f.kind == BOOLEAN:
            setattr(SettingsForm, f.input_name(), SelectField(
                f.label, description=hint, choices=[("", FOLLOW), ("1", _l("Ya")), ("0", _l("Tidak"))],
                validate_choice=False))
        elif f.kind == CHOICE:
            setattr(SettingsForm, f.input_name(), SelectField(
                f.label, description=hint, choices=[("", FOLLOW), *f.choices], validate_choice=False))
        else:
            render_kw = {"autocomplete": "off"}
            if f.kind in (INTEGER, NUMBER):
                render_kw["inputmode"] = "numeric" if f.kind == INTEGER else "decimal"
            setattr(SettingsForm, f.input_name(), StringField(f.label, description=hint, render_kw=render_kw))
    form = SettingsForm(**kwargs)
    form.start.choices = start_choices
    return form
