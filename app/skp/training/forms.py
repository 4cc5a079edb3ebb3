"""Forms of the training screens and the catalogue."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.web.forms import Form, optional_int


class TrainingStatusForm(Form):
    status = SelectField(_l("Status baru"), validate_choice=False)
    course_id = SelectField(_l("Pelatihan dari katalog"), coerce=optional_int, validate_choice=False)
    note = StringField(_l("Catatan (opsional)"), validators=[Optional(), Length(max=500)])


class CourseForm(Form):
    code = StringField(_l("Kode"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Nama pelatihan"), validators=[DataRequired(), Length(max=200)])
    provider = StringField(_l("Penyelenggara"), validators=[Optional(), Length(max=200)])
    hours = DecimalField(_l("Jumlah JP"), places=1, validators=[InputRequired(message=_l("Isi jumlah JP.")),
                                                                 NumberRange(min=0, max=1000)])
    topics = StringField(_l("Topik (kode rekomendasi, pisahkan dengan koma)"), validators=[Optional(), Length(max=500)])
