from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from app.web.forms import Form


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
