"""Forms of the objection screens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DecimalField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.web.forms import Form

FILE_HINT = _l("PDF, PNG, JPEG, XLSX, DOCX, CSV atau TXT.")


class LodgeObjectionForm(Form):
    reasons = TextAreaField(
        _l("Alasan keberatan"),
        validators=[DataRequired(message=_l("Tuliskan alasan keberatan.")), Length(min=10, max=5000)],
        description=_l("Jelaskan bagian penilaian yang Anda keberatan dan alasannya; lampirkan rujukan bila ada."))
    lampiran = FileField(_l("Lampiran (opsional)"), description=FILE_HINT)


class DecideObjectionForm(Form):
    outcome = RadioField(_l("Keputusan"), choices=[("upheld", _l("Hasil penilaian tetap")),
                                                   ("changed", _l("Hasil penilaian diubah"))],
                         validators=[DataRequired(message=_l("Pilih keputusan."))])
    new_predikat_code = SelectField(_l("Predikat baru"), validate_choice=False,
                                    description=_l("Diisi bila hasil penilaian diubah."))
    new_score = DecimalField(_l("Nilai baru (opsional)"), places=2,
                             validators=[Optional(), NumberRange(min=0, max=1000)])
    reasons = TextAreaField(_l("Alasan keputusan"),
                            validators=[DataRequired(message=_l("Tuliskan alasan keputusan.")), Length(min=10, max=5000)])
    lampiran = FileField(_l("Lampiran (opsional)"), description=FILE_HINT)


class ObjectionFileForm(Form):
    file = FileField(_l("Berkas"), description=FILE_HINT)
