"""Forms of the evaluation meeting pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length

from app.web.forms import Form, lenient_optional_int


class MeetingForm(Form):
    unit_id = SelectField(_l("Unit kerja"), coerce=lenient_optional_int, validate_choice=False,
                          description=_l("Semua pegawai aktif unit ini dan unit di bawahnya diundang."))
    period_id = SelectField(_l("Periode penilaian"), coerce=lenient_optional_int, validate_choice=False)
    held_on = DateField(_l("Tanggal rapat"), validators=[DataRequired(message=_l("Isi tanggal rapat (YYYY-MM-DD)."))])
    starts_at = TimeField(_l("Jam mulai"), validators=[DataRequired(message=_l("Isi jam rapat (JJ:MM)."))])
    place = StringField(_l("Tempat"), validators=[DataRequired(message=_l("Isi tempat rapat.")), Length(max=200)])
    agenda = TextAreaField(_l("Agenda"), validators=[DataRequired(message=_l("Isi agenda rapat.")),
                                                     Length(max=10000)])


class MinutesForm(Form):
    minutes = TextAreaField(_l("Notulen"), validators=[DataRequired(message=_l("Tuliskan notulen rapat.")),
                                                       Length(max=10000)])


class CancelForm(Form):
    reason = TextAreaField(_l("Alasan pembatalan"),
                           validators=[DataRequired(message=_l("Tuliskan alasan pembatalan.")), Length(max=10000)])


class ParticipantForm(Form):
    employee_id = SelectField(_l("Tambah peserta"), coerce=lenient_optional_int, validate_choice=False)


class ActionForm(Form):
    description = TextAreaField(_l("Keputusan / tindak lanjut"),
                                validators=[DataRequired(message=_l("Tuliskan keputusan / tindak lanjut.")),
                                            Length(max=10000)])
    owner_id = SelectField(_l("Penanggung jawab"), coerce=lenient_optional_int, validate_choice=False)
    due_on = DateField(_l("Batas waktu"), validators=[DataRequired(message=_l("Isi batas waktu (YYYY-MM-DD)."))])


class CloseActionForm(Form):
    note = TextAreaField(_l("Catatan penyelesaian"),
                         validators=[DataRequired(message=_l("Tuliskan catatan penyelesaian.")), Length(max=10000)])
