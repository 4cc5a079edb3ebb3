"""Forms of the evaluation pages. The rating form is built per evaluation:
its fields follow the rule set (matrix ratings or scores, input components)
and the plan's behaviours."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FloatField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.skp.evaluation.entries import RatingData
from app.web.forms import Form, VersionedForm

EXPECTATION_LABELS = {
    "di_atas": _l("Di atas ekspektasi"),
    "sesuai": _l("Sesuai ekspektasi"),
    "di_bawah": _l("Di bawah ekspektasi"),
}
ORGANISATION_PREDIKAT_LABELS = {
    "istimewa": _l("Istimewa"),
    "baik": _l("Baik"),
    "butuh_perbaikan": _l("Butuh Perbaikan"),
    "kurang": _l("Kurang"),
    "sangat_kurang": _l("Sangat Kurang"),
}


class RatingForm(VersionedForm):
    """Fields common to every scheme; the per-evaluation ones are added by ``rating_form``."""

    has_innovation = BooleanField(_l("Ada inovasi (gagasan atau metode baru yang bermanfaat bagi organisasi)"))
    note = TextAreaField(_l("Catatan penilai"), validators=[Optional(), Length(max=2000)])

    behaviour_fields: list[tuple[str, str, str]] = []
    component_fields: list[tuple[str, str, str]] = []


def rating_form(matrix: bool, behaviours: Sequence[tuple[str, str]], components: Sequence[tuple[str, str]],
                maximum: float, max_additional: float) -> type[RatingForm]:
    """A form class for one evaluation: (field name, code, label) lists say what each field is."""

    class Form(RatingForm):
        pass

    rating_choices = [("", _l("— pilih —"))] + list(EXPECTATION_LABELS.items())
    if matrix:
        Form.hasil_kerja_rating = SelectField(
            _l("Hasil kerja"), choices=[("", _l("— usulan dari nilai IKI —"))] + list(EXPECTATION_LABELS.items()),
            validators=[Optional()])
        Form.perilaku_rating = SelectField(_l("Perilaku kerja"), choices=rating_choices, validators=[Optional()])
    else:
        Form.additional_points = FloatField(
            _l("Nilai tugas tambahan (paling banyak %(max)g)", max=max_additional),
            validators=[Optional(), NumberRange(min=0, max=max_additional)])
    Form.behaviour_fields = []
    if not matrix:
        for index, (code, name) in enumerate(behaviours):
            field_name = f"behaviour_{index}"
            setattr(Form, field_name, FloatField(name, validators=[Optional(), NumberRange(min=0, max=maximum)]))
            Form.behaviour_fields.append((field_name, code, name))
    Form.component_fields = []
    for index, (code, name) in enumerate(components):
        field_name = f"component_{index}"
        setattr(Form, field_name, FloatField(name, validators=[Optional(), NumberRange(min=0, max=maximum)]))
        Form.component_fields.append((field_name, code, name))
    return Form


def fill_rating_form(form: RatingForm, entries: RatingData, version: int) -> None:
    """Show the stored entries on the rating form."""
    if hasattr(form, "hasil_kerja_rating"):
        form.hasil_kerja_rating.data = entries.hasil_kerja_rating or ""
        form.perilaku_rating.data = entries.perilaku_rating or ""
    if hasattr(form, "additional_points"):
        form.additional_points.data = entries.additional_points or None
    for name, code, _label in form.behaviour_fields:
        form[name].data = entries.behaviour_scores.get(code)
    for name, code, _label in form.component_fields:
        form[name].data = entries.components.get(code)
    form.has_innovation.data = entries.has_innovation
    form.note.data = entries.note or ""
    form.version.data = version


def rating_data(form: RatingForm) -> RatingData:
    """What the penilai entered."""
    matrix = hasattr(form, "hasil_kerja_rating")
    return RatingData(
        hasil_kerja_rating=(form.hasil_kerja_rating.data or None) if matrix else None,
        perilaku_rating=(form.perilaku_rating.data or None) if matrix else None,
        behaviour_scores={code: form[name].data for name, code, _label in form.behaviour_fields},
        components={code: form[name].data for name, code, _label in form.component_fields},
        has_innovation=bool(form.has_innovation.data),
        additional_points=(form.additional_points.data or 0.0) if hasattr(form, "additional_points") else 0.0,
        note=form.note.data,
    )


class PeerRatingForm(Form):
    behaviour_fields: list[tuple[str, str, str]] = []


def peer_form(behaviours: Sequence[tuple[str, str]], maximum: float) -> type[PeerRatingForm]:
    class Form(PeerRatingForm):
        pass

    Form.behaviour_fields = []
    for index, (code, name) in enumerate(behaviours):
        field_name = f"behaviour_{index}"
        setattr(Form, field_name, FloatField(name, validators=[
            InputRequired(message=_l("Isi nilai perilaku ini.")), NumberRange(min=0, max=maximum)]))
        Form.behaviour_fields.append((field_name, code, name))
    return Form


class FinaliseForm(VersionedForm):
    """The finalise button: the evaluation's version rides along."""


class OrganisationPredikatForm(Form):
    organisation_predikat = SelectField(_l("Predikat organisasi unit"), validate_choice=True)


class ReapplyForm(Form):
    reason = TextAreaField(_l("Alasan"), validators=[Optional(), Length(max=1000)])
