"""Forms of the admin's period screens (app.skp.planning.views_periods)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, TextAreaField
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
    """Lock plans now. The region's rules are checked first, with the criteria
    consultation recorded for the year (e.g. Sawahlunto: indicators discussed
    with employees before they apply)."""

    reason = TextAreaField(_l("Catatan (opsional)"), validators=[Optional(), Length(max=2000)])
