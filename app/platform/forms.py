from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.tenancy.models import TenantLevel
from app.web.forms import Form

LEVEL_LABELS = {
    TenantLevel.PROVINSI: _l("Provinsi"), TenantLevel.KOTA: _l("Kota"),
    TenantLevel.KABUPATEN: _l("Kabupaten"), TenantLevel.LAINNYA: _l("Lainnya"),
}


class TenantForm(Form):
    slug = StringField(_l("Slug (alamat)"), validators=[DataRequired(), Length(max=40)],
                       description=_l("Contoh: sawahlunto → /sawahlunto/"))
    name = StringField(_l("Nama pemerintah daerah"), validators=[DataRequired(), Length(max=200)])
    level = SelectField(_l("Tingkat"), choices=list(LEVEL_LABELS.items()))
    province = StringField(_l("Provinsi"), validators=[DataRequired(), Length(max=100)])
    rule_set = SelectField(_l("Aturan daerah"))
    locale = SelectField(_l("Bahasa bawaan"), choices=[("id", "Bahasa Indonesia"), ("en", "English")])
    timezone = SelectField(_l("Zona waktu"), choices=[
        ("Asia/Jakarta", "WIB (Asia/Jakarta)"), ("Asia/Makassar", "WITA (Asia/Makassar)"),
        ("Asia/Jayapura", "WIT (Asia/Jayapura)")])
    admin_username = StringField(_l("Nama pengguna admin pertama"), default="admin",
                                 validators=[DataRequired(), Length(min=3, max=80)])
    admin_password = PasswordField(_l("Kata sandi admin pertama"), validators=[DataRequired(), Length(max=200)])


class TenantEditForm(Form):
    """A region's metadata as the operator edits it (the slug stays: it is every address)."""

    name = StringField(_l("Nama pemerintah daerah"), validators=[DataRequired(), Length(max=200)])
    level = SelectField(_l("Tingkat"), choices=list(LEVEL_LABELS.items()))
    province = StringField(_l("Provinsi"), validators=[DataRequired(), Length(max=100)])
    rule_set = SelectField(_l("Aturan daerah"),
                           description=_l("Hanya dapat diganti selama daerah ini belum memiliki penilaian kinerja."))
    locale = SelectField(_l("Bahasa bawaan"), choices=[("id", "Bahasa Indonesia"), ("en", "English")])
    timezone = SelectField(_l("Zona waktu"), choices=[
        ("Asia/Jakarta", "WIB (Asia/Jakarta)"), ("Asia/Makassar", "WITA (Asia/Makassar)"),
        ("Asia/Jayapura", "WIT (Asia/Jayapura)")])


class TenantStatusForm(Form):
    """Deactivating or reactivating a region: the reason is recorded."""

    reason = TextAreaField(_l("Alasan"), validators=[DataRequired(), Length(max=500)])
