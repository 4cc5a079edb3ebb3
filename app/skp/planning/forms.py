"""Forms of the SKP planning screens. Choices are filled per request."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FloatField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.skp.planning.labels import ASPECT_LABELS, DIRECTION_LABELS, KIND_LABELS
from app.web.forms import Form, VersionedForm, optional_int


class NewPlanForm(Form):
    period_id = SelectField(_l("Tahun"), coerce=optional_int, validate_choice=False,
                            validators=[DataRequired(message=_l("Pilih tahun."))])
    copy_last_year = BooleanField(_l("Mulai dari SKP tahun sebelumnya (RHK dan IKI disalin; target dapat diubah)"))


class ResultForm(VersionedForm):
    kind = SelectField(_l("Jenis RHK"), choices=list(KIND_LABELS.items()))
    description = TextAreaField(_l("Rencana hasil kerja (RHK)"), validators=[DataRequired(), Length(max=2000)])
    supports_id = SelectField(_l("RHK atasan yang diintervensi"), coerce=optional_int, validate_choice=False,
                              description=_l("Dipilih dari SKP pejabat penilai tahun yang sama (yang sudah diajukan atau disetujui)."))


class IndicatorForm(VersionedForm):
    source = RadioField(_l("Asal IKI"), choices=[("pustaka", _l("Pilih dari pustaka indikator")),
                                               ("sendiri", _l("Tulis IKI sendiri"))], validate_choice=False)
    indicator_code = SelectField(_l("Dari pustaka indikator daerah"), validate_choice=False,
                                 description=_l("Indikator yang ditetapkan untuk jabatan dan unit Anda tampil lebih dulu."))
    name = StringField(_l("Nama IKI (IKI sendiri)"), validators=[Optional(), Length(max=500)])
    aspect = SelectField(_l("Aspek"), choices=[("", "—")] + list(ASPECT_LABELS.items()), validate_choice=False)
    direction = SelectField(_l("Arah penilaian"), choices=list(DIRECTION_LABELS.items()), validate_choice=False)
    unit = StringField(_l("Satuan"), validators=[Optional(), Length(max=60)])
    target_lower = FloatField(_l("Target (atau batas bawah rentang)"), validators=[Optional()],
                              description=_l("Kosongkan untuk memakai target bawaan pustaka."))
    target_upper = FloatField(_l("Batas atas rentang (opsional)"), validators=[Optional()],
                              description=_l("Isi hanya bila target berupa rentang, misalnya 90–100."))


class AttachmentsForm(VersionedForm):
    resources = TextAreaField(_l("Dukungan sumber daya"), validators=[Optional(), Length(max=4000)])
    accountability = TextAreaField(_l("Skema pertanggungjawaban"), validators=[Optional(), Length(max=4000)])
    consequences = TextAreaField(_l("Konsekuensi"), validators=[Optional(), Length(max=4000)])


class ActionForm(VersionedForm):
    """A button (submit, copy, delete) with its CSRF token and the plan's version."""


class ReviewForm(VersionedForm):
    """The penilai's review; an expectation field per behaviour is added by ``review_form``."""

    notes = TextAreaField(_l("Catatan untuk pegawai (wajib bila dikembalikan)"),
                          validators=[Optional(), Length(max=4000)])


def review_form(plan, **kwargs) -> ReviewForm:
    """A ReviewForm with ``expectation_<behaviour id>`` for each behaviour of the plan."""

    class PlanReviewForm(ReviewForm):
        pass

    for behaviour in plan.behaviours:
        setattr(PlanReviewForm, f"expectation_{behaviour.id}", TextAreaField(
            behaviour.name, default=behaviour.expectation, validators=[Optional(), Length(max=2000)]))
    return PlanReviewForm(**kwargs)


def expectations_of(form: ReviewForm, plan) -> dict[int, str | None]:
    return {b.id: getattr(form, f"expectation_{b.id}").data for b in plan.behaviours}


class ReassignForm(VersionedForm):
    employee_nip = StringField(_l("NIP pejabat penilai baru"), validators=[Optional(), Length(max=25)],
                               description=_l("Kosongkan untuk kembali ke pejabat penilai menurut struktur organisasi."))
    reason = TextAreaField(_l("Alasan"), validators=[DataRequired(message=_l("Alasan penggantian wajib diisi.")),
                                                     Length(max=2000)])


class AssignmentForm(Form):
    period_id = SelectField(_l("Tahun"), coerce=optional_int, validate_choice=False,
                            validators=[DataRequired(message=_l("Pilih tahun."))])
    unit_id = SelectField(_l("Unit kerja (beserta sub-unitnya)"), coerce=optional_int, validate_choice=False)
    position_id = SelectField(_l("atau jabatan"), coerce=optional_int, validate_choice=False)
    indicator_codes = SelectMultipleField(_l("Indikator"), validate_choice=False)
