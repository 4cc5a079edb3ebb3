from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
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
