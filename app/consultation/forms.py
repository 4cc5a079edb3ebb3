"""Forms of the consultation screens. The settings fields are those of the
settings editor (``app.settings.fields``): every setting of the region's
schema it can edit, weights included, described, filled and read as there."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.consultation.models import Decision, Subject
from app.regions.types import RuleSet
from app.settings.fields import (
    BOOLEAN,
    CHOICE,
    INTEGER,
    NUMBER,
    WEIGHTS,
    EditorField,
    describe,
    form_values,
    parse,
)
from app.web.forms import Form, add_error, optional_int

SETTING_PREFIX = "setting__"


class OpenForm(Form):
    title = StringField(_l("Judul"), validators=[DataRequired(message=_l("Isi judul konsultasi.")), Length(max=200)])
    explanation = TextAreaField(_l("Penjelasan usulan"), validators=[Optional(), Length(max=5000)])
    subject = SelectField(_l("Yang diusulkan"), choices=[
        (Subject.INDICATOR_SET.value, _l("Set indikator")), (Subject.SETTINGS.value, _l("Pengaturan daerah"))])
    period_id = SelectField(_l("Tahun"), coerce=optional_int, validate_choice=False,
                            validators=[DataRequired(message=_l("Pilih tahun."))])
    unit_id = SelectField(_l("Untuk unit kerja (beserta sub-unitnya)"), coerce=optional_int, validate_choice=False,
                          description=_l("Kosongkan untuk seluruh instansi."))
    opens_on = DateField(_l("Dibuka pada"), validators=[DataRequired(message=_l("Isi tanggal dibuka."))])
    closes_on = DateField(_l("Ditutup pada"), validators=[DataRequired(message=_l("Isi tanggal ditutup."))])
    codes = SelectMultipleField(_l("Set indikator yang diusulkan"), validate_choice=False,
                                description=_l("Untuk usulan set indikator."))


class AnswerForm(Form):
    agrees = RadioField(_l("Tanggapan Anda"), choices=[("1", _l("Setuju")), ("0", _l("Tidak setuju"))],
                        validators=[DataRequired(message=_l("Pilih setuju atau tidak setuju."))])
    comment = TextAreaField(_l("Masukan (opsional)"), validators=[Optional(), Length(max=2000)])


class RespondForm(Form):
    answer_id = HiddenField()
    response = TextAreaField(_l("Tanggapan admin"), validators=[DataRequired(message=_l("Isi tanggapan.")),
                                                                 Length(max=5000)])


class DecideForm(Form):
    decision = SelectField(_l("Keputusan"), choices=[
        (Decision.ADOPTED.value, _l("Terapkan usulan")), (Decision.AMENDED.value, _l("Ubah usulan lalu terapkan")),
        (Decision.DROPPED.value, _l("Batalkan usulan"))])
    note = TextAreaField(_l("Catatan keputusan"), validators=[Optional(), Length(max=5000)])
    codes = SelectMultipleField(_l("Set indikator (bila diubah)"), validate_choice=False)


def _input_name(f: EditorField, key: str | None = None) -> str:
    """The form's input for setting ``f`` (for one weight: ``key``'s)."""
    return f"{SETTING_PREFIX}{f.name}" if key is None else f"{SETTING_PREFIX}{f.name}__{key}"


def _inputs(f: EditorField) -> list[tuple[str, str]]:
    """(this form's input name, the settings editor's input name) of each input of ``f``."""
    keys: list[str | None] = [key for key, _label in f.keys] if f.kind == WEIGHTS else [None]
    return [(_input_name(f, key), f.input_name(key)) for key in keys]


def setting_fields(editor_fields: list[EditorField]) -> dict[str, Any]:
    """A form field per input of every setting the settings editor offers
    (``app.settings.fields.describe``): one per setting, one per weight."""
    made: dict[str, Any] = {}
    for f in editor_fields:
        description = f.description if f.description != f.label else ""
        if f.kind == WEIGHTS:
            for n, (key, label) in enumerate(f.keys):
                made[_input_name(f, key)] = StringField(
                    f"{f.label} — {label}", description=description if n == 0 else "",
                    render_kw={"inputmode": "decimal", "autocomplete": "off"})
        elif f.kind == BOOLEAN:
            made[_input_name(f)] = SelectField(f.label, description=description, validate_choice=False,
                                               choices=[("", "—"), ("1", _l("ya")), ("0", _l("tidak"))])
        elif f.kind == CHOICE:  # an unknown choice is refused by ``parse``
            made[_input_name(f)] = SelectField(f.label, description=description, validate_choice=False,
                                               choices=[("", "—"), *f.choices])
        else:
            render_kw = {"autocomplete": "off"}
            if f.kind in (INTEGER, NUMBER):
                render_kw["inputmode"] = "numeric" if f.kind == INTEGER else "decimal"
            made[_input_name(f)] = StringField(f.label, description=description, render_kw=render_kw)
    return made


def with_settings(form_class: type[Form], rule_set: RuleSet) -> type[Form]:
    """``form_class`` plus the region's settings fields (named ``setting__<name>``,
    ``setting__<name>__<key>`` for a weight)."""
    editor_fields = describe(rule_set)
    extra = {"editor_fields": editor_fields, **setting_fields(editor_fields)}
    return type(form_class.__name__, (form_class,), extra)


def fill_settings(form: Form, values: dict[str, Any]) -> None:
    """Fill the settings inputs with ``values`` (as the settings editor writes them)."""
    written = form_values(form.editor_fields, values)
    for f in form.editor_fields:
        for name, editor_name in _inputs(f):
            if editor_name in written and name in form:
                form[name].data = written[editor_name]


def settings_from(form: Form, base: dict[str, Any]) -> dict[str, Any] | None:
    """``base`` overrides with every setting the form fills in, read as the
    settings editor reads them (``app.settings.fields.parse``); None after
    putting a message on each input that cannot be used."""
    data = {editor_name: form[name].data for f in form.editor_fields for name, editor_name in _inputs(f)
            if name in form}
    overrides, problems = parse(form.editor_fields, data)
    by_editor_name = {editor_name: name for f in form.editor_fields for name, editor_name in _inputs(f)}
    for editor_name, message in problems.items():
        add_error(form, _("Pengaturan tidak valid: %(detail)s", detail=message), by_editor_name.get(editor_name))
    if problems:
        return None
    return {**base, **overrides}
