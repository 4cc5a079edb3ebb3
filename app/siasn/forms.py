"""The SIASN settings form and the period filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.siasn.settings import STATUS_PENILAI
from app.web.forms import Form

_MAP_HELP = _l("Satu baris per kode: kode = nilai. Baris yang dikosongkan memakai nilai bawaan.")


class SettingsForm(Form):
    base_url = StringField(_l("Alamat API SIASN"), validators=[Optional(), Length(max=290)],
                           description=_l("Misalnya https://apimws.bkn.go.id:8243/apisiasn/1.0"))
    apim_token_url = StringField(_l("Alamat token API gateway"), validators=[Optional(), Length(max=290)])
    sso_token_url = StringField(_l("Alamat token SSO"), validators=[Optional(), Length(max=290)])
    consumer_key = PasswordField(_l("Consumer key"), validators=[Optional(), Length(max=200)],
                                 description=_l("Kosongkan untuk tidak mengubah."))
    consumer_secret = PasswordField(_l("Consumer secret"), validators=[Optional(), Length(max=200)],
                                    description=_l("Kosongkan untuk tidak mengubah."))
    client_id = StringField(_l("Client ID SSO"), validators=[Optional(), Length(max=100)])
    username = StringField(_l("Nama pengguna SSO"), validators=[Optional(), Length(max=100)])
    password = PasswordField(_l("Kata sandi SSO"), validators=[Optional(), Length(max=200)],
                             description=_l("Kosongkan untuk tidak mengubah."))
    clear_credentials = BooleanField(_l("Hapus kredensial yang tersimpan"))
    status_penilai = SelectField(_l("Status penilai"), choices=[(s, s) for s in STATUS_PENILAI])
    koefisien_id = StringField(_l("ID koefisien"), validators=[DataRequired(), Length(max=40)])
    periodik = TextAreaField(_l("ID periodik per periode"), validators=[Optional(), Length(max=2000)],
                             description=_MAP_HELP)
    kuadran = TextAreaField(_l("Kode kuadran per predikat"), validators=[Optional(), Length(max=2000)],
                            description=_MAP_HELP)
    ratings = TextAreaField(_l("Nilai hasil kerja dan perilaku per predikat (tanpa rating)"),
                            validators=[Optional(), Length(max=2000)],
                            description=_l("Dipakai bila hasil tidak memuat rating (aturan numerik): "
                                           "predikat = hasil,perilaku dengan 1 di bawah, 2 sesuai, 3 di atas ekspektasi."))
    golongan = TextAreaField(_l("ID golongan per pangkat/golongan"), validators=[Optional(), Length(max=4000)],
                             description=_MAP_HELP)
