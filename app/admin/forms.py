"""Admin instansi forms. Choices are filled per request from the tenant's data."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from app.org.models import PositionKind, UnitKind
from app.org.nip import EmployeeType, Sex
from app.org.ranks import GRADES, rank_choices
from app.web.forms import Form, VersionedForm, optional_int

UNIT_KIND_LABELS = {
    UnitKind.SEKRETARIAT: _l("Sekretariat"), UnitKind.DINAS: _l("Dinas"), UnitKind.BADAN: _l("Badan"),
    UnitKind.KANTOR: _l("Kantor"), UnitKind.BIDANG: _l("Bidang/Bagian"), UnitKind.KECAMATAN: _l("Kecamatan"),
    UnitKind.KELURAHAN: _l("Kelurahan"), UnitKind.PUSKESMAS: _l("Puskesmas"), UnitKind.RSUD: _l("RSUD"),
    UnitKind.SEKOLAH: _l("Sekolah"), UnitKind.LAINNYA: _l("Lainnya"),
}
POSITION_KIND_LABELS = {
    PositionKind.JPT: _l("JPT (pimpinan tinggi)"), PositionKind.ADMINISTRATOR: _l("Administrator"),
    PositionKind.PENGAWAS: _l("Pengawas"), PositionKind.PELAKSANA: _l("Pelaksana"),
    PositionKind.FUNGSIONAL: _l("Fungsional"),
}
SEX_LABELS = {Sex.L: _l("Laki-laki"), Sex.P: _l("Perempuan")}


def rank_select_choices() -> dict:
    """Pangkat/golongan grouped by employee type (the server checks the pair)."""
    return {None: [("", "—")], **{str(t.value): rank_choices(t) for t in EmployeeType}}


def grade_select_choices() -> dict:
    """Jenjang grouped by ladder; structural posts below JPT have none ("—")."""
    groups: dict = {None: [("", "—")]}
    for kind in (PositionKind.FUNGSIONAL, PositionKind.JPT):
        for grade in GRADES[kind]:
            groups.setdefault(str(grade.group), []).append((grade.code, str(grade.label)))
    return groups


class UnitForm(VersionedForm):
    code = StringField(_l("Kode"), validators=[DataRequired(), Length(max=30), Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Kode hanya huruf, angka, titik, garis bawah atau tanda hubung."))])
    name = StringField(_l("Nama unit"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Jenis"), choices=list(UNIT_KIND_LABELS.items()))
    parent_id = SelectField(_l("Unit induk"), coerce=optional_int, validate_choice=False)
    letterhead = StringField(_l("Kop dokumen (nama instansi pada dokumen)"), validators=[Optional(), Length(max=200)],
                             description=_l("Misalnya DINAS KESEHATAN KOTA SAWAHLUNTO. Kosongkan untuk memakai kop "
                                            "unit induk, atau nama unit teratas."))


class PositionForm(VersionedForm):
    code = StringField(_l("Kode"), validators=[DataRequired(), Length(max=30), Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Kode hanya huruf, angka, titik, garis bawah atau tanda hubung."))])
    name = StringField(_l("Nama jabatan"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Jenis jabatan"), choices=list(POSITION_KIND_LABELS.items()))
    unit_id = SelectField(_l("Unit kerja"), coerce=optional_int, validate_choice=False, validators=[DataRequired(message=_l("Pilih unit kerja."))])
    reports_to_id = SelectField(_l("Atasan langsung (jabatan)"), coerce=optional_int, validate_choice=False)
    grade = SelectField(_l("Jenjang"), validate_choice=False,
                        description=_l("Untuk jabatan fungsional dan JPT; jabatan administrator, pengawas dan "
                                       "pelaksana tidak berjenjang."))


class EmployeeForm(VersionedForm):
    nip = StringField(_l("NIP"), validators=[DataRequired(), Length(max=25)])
    name = StringField(_l("Nama lengkap"), validators=[DataRequired(), Length(max=200)])
    sex = SelectField(_l("Jenis kelamin"), choices=list(SEX_LABELS.items()))
    employee_type = SelectField(_l("Jenis ASN"), choices=[(t.value, t.value) for t in EmployeeType])
    position_id = SelectField(_l("Jabatan"), coerce=optional_int, validate_choice=False)
    email = EmailField(_l("Email"), validators=[Optional(), Email(), Length(max=200)])
    rank_code = SelectField(_l("Pangkat/golongan"), validate_choice=False,
                            description=_l("PNS: golongan ruang I/a–IV/e; PPPK: golongan I–XVII."))
    rank_tmt = DateField(_l("TMT pangkat/golongan"), validators=[Optional()])
    siasn_id = StringField(_l("ID SIASN (PNS ID)"), validators=[Optional(), Length(max=64)],
                           description=_l("ID pegawai di SIASN BKN, dipakai untuk kirim hasil kinerja ke SIASN."))


class UserForm(VersionedForm):
    username = StringField(_l("Nama pengguna"), validators=[DataRequired(), Length(min=3, max=80), Regexp(r"^[a-z0-9._-]+$", message=_l("Nama pengguna hanya huruf kecil, angka, titik, garis bawah atau tanda hubung."))])
    employee_nip = StringField(_l("NIP pegawai (opsional)"), validators=[Optional(), Length(max=25)])
    is_admin = BooleanField(_l("Admin instansi"))
    password = PasswordField(_l("Kata sandi baru"), validators=[Optional(), Length(max=200)],
                             description=_l("Kosongkan untuk tidak mengubah. Akun baru tanpa kata sandi belum bisa masuk."))


class ActingForm(Form):
    employee_nip = StringField(_l("NIP pegawai yang ditunjuk"), validators=[DataRequired(), Length(max=25)])
    kind = SelectField(_l("Jenis"), choices=[("plt", _l("Plt (jabatan kosong)")), ("plh", _l("Plh (pejabat berhalangan)"))])
    starts_on = StringField(_l("Mulai (YYYY-MM-DD)"), validators=[DataRequired(), Regexp(r"^\d{4}-\d{2}-\d{2}$")])
    ends_on = StringField(_l("Selesai (YYYY-MM-DD, opsional)"), validators=[Optional(), Regexp(r"^\d{4}-\d{2}-\d{2}$")])
    decree = StringField(_l("Nomor surat perintah"), validators=[Optional(), Length(max=100)])


class DocumentPlaceForm(Form):
    document_place = StringField(_l("Tempat penandatanganan"), validators=[Optional(), Length(max=100)],
                                 description=_l("Dicetak di atas tanda tangan, misalnya Sawahlunto. Kosongkan untuk "
                                                "memakai nama daerah."))


class LogoForm(Form):
    file = FileField(_l("Logo (PNG atau JPEG)"))
