"""Forms of the public pages and the admin's publik screens.

The survey's questions and answer labels follow the SKM questionnaire of
PermenPANRB 14/2017 (answers 1–4, worst to best, per element).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.publik.models import (
    AgeBand,
    ComplaintCategory,
    ComplaintStatus,
    EducationBand,
    Occupation,
    PublicationKind,
    RespondentSex,
)
from app.web.forms import Form, optional_int

ELEMENT_NAMES = {
    "U1": _l("Persyaratan"),
    "U2": _l("Sistem, mekanisme, dan prosedur"),
    "U3": _l("Waktu penyelesaian"),
    "U4": _l("Biaya/tarif"),
    "U5": _l("Produk spesifikasi jenis pelayanan"),
    "U6": _l("Kompetensi pelaksana"),
    "U7": _l("Perilaku pelaksana"),
    "U8": _l("Penanganan pengaduan, saran, dan masukan"),
    "U9": _l("Sarana dan prasarana"),
}

# (question, answer labels for 1, 2, 3, 4)
QUESTIONS = (
    (_l("Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"),
     (_l("Tidak sesuai"), _l("Kurang sesuai"), _l("Sesuai"), _l("Sangat sesuai"))),
    (_l("Bagaimana pendapat Anda tentang kemudahan prosedur pelayanan di unit ini?"),
     (_l("Tidak mudah"), _l("Kurang mudah"), _l("Mudah"), _l("Sangat mudah"))),
    (_l("Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?"),
     (_l("Tidak cepat"), _l("Kurang cepat"), _l("Cepat"), _l("Sangat cepat"))),
    (_l("Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?"),
     (_l("Sangat mahal"), _l("Cukup mahal"), _l("Murah"), _l("Gratis"))),
    (_l("Bagaimana pendapat Anda tentang kesesuaian produk pelayanan dengan standar pelayanan?"),
     (_l("Tidak sesuai"), _l("Kurang sesuai"), _l("Sesuai"), _l("Sangat sesuai"))),
    (_l("Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?"),
     (_l("Tidak kompeten"), _l("Kurang kompeten"), _l("Kompeten"), _l("Sangat kompeten"))),
    (_l("Bagaimana pendapat Anda tentang kesopanan dan keramahan petugas dalam pelayanan?"),
     (_l("Tidak sopan dan ramah"), _l("Kurang sopan dan ramah"), _l("Sopan dan ramah"),
      _l("Sangat sopan dan ramah"))),
    (_l("Bagaimana pendapat Anda tentang penanganan pengaduan pengguna layanan?"),
     (_l("Tidak ada"), _l("Ada tetapi tidak berfungsi"), _l("Berfungsi kurang maksimal"),
      _l("Dikelola dengan baik"))),
    (_l("Bagaimana pendapat Anda tentang kualitas sarana dan prasarana?"),
     (_l("Buruk"), _l("Cukup"), _l("Baik"), _l("Sangat baik"))),
)

AGE_LABELS = {AgeBand.UNDER_20: _l("Di bawah 20 tahun"), AgeBand.FROM_20: _l("20–29 tahun"),
              AgeBand.FROM_30: _l("30–39 tahun"), AgeBand.FROM_40: _l("40–49 tahun"),
              AgeBand.FROM_50: _l("50–59 tahun"), AgeBand.FROM_60: _l("60 tahun atau lebih")}
SEX_LABELS = {RespondentSex.L: _l("Laki-laki"), RespondentSex.P: _l("Perempuan")}
EDUCATION_LABELS = {EducationBand.SD: _l("SD atau di bawahnya"), EducationBand.SMP: _l("SMP"),
                    EducationBand.SMA: _l("SMA/SMK"), EducationBand.DIPLOMA: _l("Diploma (D1–D4)"),
                    EducationBand.S1: _l("S1"), EducationBand.S2_PLUS: _l("S2 atau S3")}
OCCUPATION_LABELS = {Occupation.PNS: _l("PNS/TNI/Polri"), Occupation.SWASTA: _l("Pegawai swasta"),
                     Occupation.WIRAUSAHA: _l("Wirausaha"), Occupation.PELAJAR: _l("Pelajar/mahasiswa"),
                     Occupation.IRT: _l("Mengurus rumah tangga"), Occupation.LAINNYA: _l("Lainnya")}
CATEGORY_LABELS = {ComplaintCategory.PELAYANAN: _l("Pelayanan lambat atau tidak sesuai"),
                   ComplaintCategory.PERILAKU: _l("Perilaku petugas"),
                   ComplaintCategory.BIAYA: _l("Biaya atau pungutan"),
                   ComplaintCategory.PROSEDUR: _l("Persyaratan atau prosedur"),
                   ComplaintCategory.SARANA: _l("Sarana dan prasarana"),
                   ComplaintCategory.LAINNYA: _l("Lainnya")}
STATUS_LABELS = {ComplaintStatus.DITERIMA: _l("Diterima"), ComplaintStatus.DITELAAH: _l("Sedang ditelaah"),
                 ComplaintStatus.DITUGASKAN: _l("Sedang ditangani"), ComplaintStatus.DIJAWAB: _l("Dijawab"),
                 ComplaintStatus.SELESAI: _l("Selesai")}
PUBLICATION_LABELS = {PublicationKind.IKM: _l("Indeks Kepuasan Masyarakat per unit"),
                      PublicationKind.PENGADUAN: _l("Statistik pengaduan"),
                      PublicationKind.PREDIKAT: _l("Sebaran predikat pegawai per unit"),
                      PublicationKind.LAPORAN: _l("Laporan kinerja untuk publik")}
QUARTER_LABELS = [(0, _l("Satu tahun")), (1, _l("Triwulan I")), (2, _l("Triwulan II")),
                  (3, _l("Triwulan III")), (4, _l("Triwulan IV"))]


def _blank(labels: dict) -> list[tuple[str, object]]:
    return [("", _l("— pilih —"))] + [(k.value, v) for k, v in labels.items()]


class HoneypotMixin:
    """A field people never see (hidden by publik.css, skipped by keyboard
    and screen readers). Bots fill every field; a filled one is dropped."""

    website = StringField(_l("Situs web (kosongkan)"), validators=[Optional()])

    @property
    def honeypot_filled(self) -> bool:
        return bool((self.website.data or "").strip())


def _element_field(number: int) -> RadioField:
    question, answers = QUESTIONS[number - 1]
    return RadioField(question, choices=[(i, label) for i, label in enumerate(answers, start=1)], coerce=int,
                      validators=[InputRequired(message=_l("Pilih salah satu jawaban."))])


class SurveyForm(HoneypotMixin, Form):
    u1 = _element_field(1)
    u2 = _element_field(2)
    u3 = _element_field(3)
    u4 = _element_field(4)
    u5 = _element_field(5)
    u6 = _element_field(6)
    u7 = _element_field(7)
    u8 = _element_field(8)
    u9 = _element_field(9)
    comment = TextAreaField(_l("Saran atau komentar (tidak wajib)"), validators=[Optional(), Length(max=1000)])
    age_band = SelectField(_l("Usia"), choices=_blank(AGE_LABELS), validators=[Optional()])
    sex = SelectField(_l("Jenis kelamin"), choices=_blank(SEX_LABELS), validators=[Optional()])
    education = SelectField(_l("Pendidikan terakhir"), choices=_blank(EDUCATION_LABELS), validators=[Optional()])
    occupation = SelectField(_l("Pekerjaan"), choices=_blank(OCCUPATION_LABELS), validators=[Optional()])

    @property
    def element_fields(self):
        return [getattr(self, f"u{i}") for i in range(1, 10)]

    @property
    def answers(self) -> tuple[int, ...]:
        return tuple(f.data for f in self.element_fields)


class ComplaintForm(HoneypotMixin, Form):
    category = SelectField(_l("Jenis pengaduan"), choices=_blank(CATEGORY_LABELS),
                           validators=[DataRequired(message=_l("Pilih jenis pengaduan."))])
    employee_id = SelectField(_l("Petugas yang diadukan (tidak wajib)"), coerce=optional_int,
                              validate_choice=False)
    description = TextAreaField(_l("Uraian pengaduan"), validators=[
        DataRequired(message=_l("Tuliskan uraian pengaduan.")),
        Length(min=20, max=4000, message=_l("Uraian 20–4000 karakter."))],
        description=_l("Apa yang terjadi, kapan, dan di layanan apa. Jangan menuliskan data pribadi."))
    contact = StringField(_l("Kontak (tidak wajib)"), validators=[Optional(), Length(max=200)],
                          description=_l("Email atau nomor telepon bila Anda ingin dihubungi. "
                                         "Hanya dilihat oleh petugas pengelola pengaduan."))


class TrackForm(Form):
    code = StringField(_l("Kode pelacakan"), validators=[DataRequired(message=_l("Masukkan kode pelacakan.")),
                                                         Length(max=30)])


# --- admin ----------------------------------------------------------------------------------

class TriageForm(Form):
    category = SelectField(_l("Jenis pengaduan"), choices=[(k.value, v) for k, v in CATEGORY_LABELS.items()])
    unit_id = SelectField(_l("Unit kerja"), coerce=optional_int, validate_choice=False,
                          validators=[DataRequired(message=_l("Pilih unit kerja."))])
    note = TextAreaField(_l("Catatan internal"), validators=[Optional(), Length(max=2000)])
    public_message = TextAreaField(_l("Pesan untuk pelapor (tampil di halaman pelacakan)"),
                                   validators=[Optional(), Length(max=2000)])


class AssignForm(Form):
    unit_id = SelectField(_l("Ditugaskan ke unit"), coerce=optional_int, validate_choice=False,
                          validators=[DataRequired(message=_l("Pilih unit kerja."))])
    employee_id = SelectField(_l("Petugas penanggung jawab (tidak wajib)"), coerce=optional_int,
                              validate_choice=False)
    note = TextAreaField(_l("Catatan internal"), validators=[Optional(), Length(max=2000)])


class RespondForm(Form):
    public_message = TextAreaField(_l("Jawaban untuk pelapor"), validators=[
        DataRequired(message=_l("Tuliskan jawaban.")), Length(max=4000)])
    note = TextAreaField(_l("Catatan internal"), validators=[Optional(), Length(max=2000)])


class FindingForm(Form):
    substantiated = SelectField(_l("Hasil pemeriksaan"), choices=[
        ("1", _l("Terbukti")), ("0", _l("Tidak terbukti"))])
    note = TextAreaField(_l("Catatan internal"), validators=[Optional(), Length(max=2000)])


class CloseForm(Form):
    public_message = TextAreaField(_l("Pesan penutup untuk pelapor (tidak wajib)"),
                                   validators=[Optional(), Length(max=4000)])
    note = TextAreaField(_l("Catatan internal"), validators=[Optional(), Length(max=2000)])


class PublishForm(Form):
    kind = SelectField(_l("Yang diterbitkan"), choices=[(k.value, v) for k, v in PUBLICATION_LABELS.items()])
    year = IntegerField(_l("Tahun"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])
    quarter = SelectField(_l("Periode"), choices=QUARTER_LABELS, coerce=int)


class PublikSettingsForm(Form):
    min_group_size = IntegerField(_l("Ukuran kelompok terkecil yang ditampilkan"), validators=[
        InputRequired(), NumberRange(min=2, max=50)],
        description=_l("Kelompok yang lebih kecil ditampilkan sebagai \"<n\" di halaman publik."))
    contact_retention_days = IntegerField(_l("Masa simpan kontak pelapor (hari)"), validators=[
        InputRequired(), NumberRange(min=30, max=3650)],
        description=_l("Kontak pelapor pada pengaduan yang sudah selesai lebih lama dari ini dihapus otomatis."))
