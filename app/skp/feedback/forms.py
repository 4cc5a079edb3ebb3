"""Forms of the dialog kinerja: a thread message and a recorded session."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.web.forms import Form, lenient_optional_int


class MessageForm(Form):
    body = TextAreaField(_l("Pesan"), validators=[DataRequired(message=_l("Tulis pesan terlebih dahulu.")),
                                                   Length(max=5000)])
    result_id = HiddenField()
    indicator_id = HiddenField()


class SessionForm(Form):
    held_on = DateField(_l("Tanggal sesi"), validators=[DataRequired(message=_l("Isi tanggal sesi (YYYY-MM-DD)."))])
    face_to_face = BooleanField(_l("Tatap muka"), default=True)
    period_id = SelectField(_l("Periode"), coerce=lenient_optional_int, validate_choice=False)
    notes = TextAreaField(_l("Catatan sesi"), validators=[DataRequired(message=_l("Tuliskan catatan sesi.")),
                                                          Length(max=5000)])
    agreed_actions = TextAreaField(_l("Tindak lanjut yang disepakati"), validators=[Optional(), Length(max=5000)])
