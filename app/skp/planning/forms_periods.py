"""Forms of the admin's period screens (app.skp.planning.views_periods)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.periods.services import MAX_YEAR, MIN_YEAR
from app.web.forms import Form


class OpenYearForm(Form):
    year = IntegerField(_l("Tahun"), validators=[DataRequired(message=_l("Isi tahun.")),
                                                 NumberRange(min=MIN_YEAR, max=MAX_YEAR)])
    plans_lock_on = DateField(_l("SKP terkunci mulai tanggal"), validators=[Optional()],
                              description=_l("Sejak tanggal ini pegawai tidak dapat lagi mengubah atau mengajukan SKP."))
    evaluation_due_on = DateField(_l("Batas penilaian"), validators=[Optional()])


class DatesForm(Form):
    plans_lock_on = DateField(_l("SKP terkunci mulai tanggal"), validators=[Optional()],
                              description=_l("Kosongkan bila belum ditetapkan."))
    evaluation_due_on = DateField(_l("Batas penilaian"), validators=[Optional()])


class LockForm(Form):
    """Lock plans now. The consultation fields feed the rule set's check
    (e.g. Sawahlunto: indicators discussed with employees before they apply)."""

    consultation_published_on = DateField(_l("Indikator diumumkan kepada pegawai pada"), validators=[Optional()])
    consultation_closes_on = DateField(_l("Masa konsultasi berakhir pada"), validators=[Optional()])
    comments_received = IntegerField(_l("Jumlah masukan pegawai"), validators=[Optional(), NumberRange(min=0)])
    responses_published = BooleanField(_l("Tanggapan atas masukan sudah diumumkan"))
    reason = TextAreaField(_l("Catatan (opsional)"), validators=[Optional(), Length(max=2000)])
