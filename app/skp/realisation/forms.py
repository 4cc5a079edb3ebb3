"""Forms of the realisation screens: a realisation value and its evidence."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.web.forms import Form, VersionedForm

# A thousands group starts with 1-9: "1.250" is 1250, but "0.500" is a decimal (0.5).
_GROUPED = r"[1-9]\d{0,2}(\.\d{3})+"
_NUMBER = re.compile(rf"[+-]?({_GROUPED}|\d+)(,\d+)?|[+-]?\d*\.\d+|[+-]?\d+")


def parse_number(text: str | None) -> float | None:
    """A number as people type it here: ``12``, ``12,5`` (Indonesian), ``12.5``,
    ``1.250,75``. None for anything else."""
    text = (text or "").strip().replace(" ", "")
    if not text or not _NUMBER.fullmatch(text):
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(rf"[+-]?{_GROUPED}", text):
        text = text.replace(".", "")  # 1.250 is one thousand two hundred fifty
    try:
        return float(text)
    except ValueError:
        return None


class RealisationForm(VersionedForm):
    """The value and note of one IKI in one sub-period; ``version`` of the realisation it was opened on."""

    value = StringField(_l("Realisasi"), validators=[DataRequired(message=_l("Isi nilai realisasi.")), Length(max=30)],
                        description=_l("Realisasi dalam periode ini saja (bukan jumlah sejak awal tahun), dalam "
                                       "satuan target. Desimal boleh memakai koma, mis. 12,5."))
    note = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=2000)])

    def validate_value(self, field) -> None:
        number = parse_number(field.data)
        if number is None:
            raise ValidationError(_l("Realisasi harus berupa angka, mis. 12 atau 12,5."))
        if number < 0:
            raise ValidationError(_l("Realisasi tidak boleh negatif."))

    @property
    def number(self) -> float:
        return parse_number(self.value.data)  # type: ignore[return-value]


class EvidenceFileForm(Form):
    file = FileField(_l("Berkas bukti dukung"),
                     description=_l("PDF, PNG, JPEG, XLSX, DOCX, CSV atau TXT."))


class EvidenceLinkForm(Form):
    url = StringField(_l("Alamat tautan"), validators=[Length(max=1000)],
                      description=_l("Alamat lengkap yang diawali https://"))
    title = StringField(_l("Keterangan tautan (opsional)"), validators=[Optional(), Length(max=200)])


class EvidenceReviewForm(Form):
    decision = RadioField(_l("Hasil pemeriksaan"), choices=[("accept", _l("Terima")), ("reject", _l("Tolak"))],
                          validators=[DataRequired(message=_l("Pilih terima atau tolak."))])
    note = TextAreaField(_l("Catatan untuk pegawai"), validators=[Optional(), Length(max=2000)])
