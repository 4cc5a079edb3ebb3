"""Forms of the consultation screens. The settings fields are generated from
the region's settings schema (its scalar fields, labelled by their description)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import fields as mfields
from marshmallow import validate as mvalidate
from wtforms import (
    DateField,
    FloatField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.consultation.models import Decision, Subject
from app.regions.settings import TenantSettingsSchema
from app.regions.types import RuleSet
from app.web.forms import Form

SETTING_PREFIX = "setting__"


def optional_int(value):
    return int(value) if value not in (None, "", "None") else None


def _bool_or_none(value):
    return {"1": True, "0": False, True: True, False: False}.get(value)


def _str_or_none(value):
    return None if value in (None, "", "None") else str(value)


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


def setting_fields(rule_set: RuleSet) -> dict[str, Any]:
    """A form field per scalar setting of the region's schema (dicts such as weights are left out)."""
    schema = (rule_set.settings_schema or TenantSettingsSchema)()
    made: dict[str, Any] = {}
    for name, field in schema.fields.items():
        label = field.metadata.get("description") or name
        choices = next((v.choices for v in field.validators if isinstance(v, mvalidate.OneOf)), None)
        if isinstance(field, mfields.Boolean):
            made[name] = SelectField(label, choices=[("", "—"), ("1", _l("ya")), ("0", _l("tidak"))],
                                     coerce=_bool_or_none, validate_choice=False)
        elif choices is not None:  # an unknown choice is refused by the schema (services.validate)
            made[name] = SelectField(label, choices=[("", "—"), *[(c, c) for c in choices]],
                                     coerce=_str_or_none, validate_choice=False)
        elif isinstance(field, mfields.Integer):
            made[name] = IntegerField(label, validators=[Optional()])
        elif isinstance(field, mfields.Float):
            made[name] = FloatField(label, validators=[Optional()])
    return made


def with_settings(form_class: type[Form], rule_set: RuleSet) -> type[Form]:
    """``form_class`` plus the region's settings fields (named ``setting__<name>``)."""
    extra = {f"{SETTING_PREFIX}{name}": field for name, field in setting_fields(rule_set).items()}
    return type(form_class.__name__, (form_class,), extra)


def fill_settings(form: Form, values: dict[str, Any]) -> None:
    for name, value in values.items():
        field = getattr(form, f"{SETTING_PREFIX}{name}", None)
        if field is None or value is None:
            continue
        if isinstance(field, SelectField) and isinstance(value, bool):
            field.data = value
        else:
            field.data = value


def settings_from(form: Form, base: dict[str, Any]) -> dict[str, Any]:
    """``base`` overrides with every setting the form fills in."""
    overrides = dict(base)
    for field in form:
        if not field.name.startswith(SETTING_PREFIX):
            continue
        value = field.data
        if value in (None, ""):
            continue
        overrides[field.name[len(SETTING_PREFIX):]] = value
    return overrides
