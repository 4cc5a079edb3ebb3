from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from app.web.forms import Form

# Session key of the username the next sign-in form shows, once (set when an invitation is accepted).
SIGN_IN_AS = "sign_in_as"


class LoginForm(Form):
    username = StringField(_l("Nama pengguna"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class PasswordChangeForm(Form):
    current_password = PasswordField(_l("Kata sandi sekarang"), validators=[DataRequired()])
    new_password = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("Ulangi kata sandi baru"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("Kedua kata sandi baru tidak sama."))],
    )


class SecondStepForm(Form):
    code = StringField(_l("Kode verifikasi atau kode pemulihan"), validators=[DataRequired(), Length(max=40)],
                       description=_l("Enam angka dari aplikasi autentikator, atau salah satu kode pemulihan Anda."))


class EnrolForm(Form):
    code = StringField(_l("Kode dari aplikasi autentikator"), validators=[DataRequired(), Length(max=20)])


class DisableTwoFactorForm(Form):
    password = PasswordField(_l("Kata sandi sekarang"), validators=[DataRequired(), Length(max=200)])


class TwoFactorRuleForm(Form):
    required = BooleanField(_l("Wajibkan verifikasi dua langkah untuk semua admin instansi ini"))
