"""The admin instansi's API tokens: list, create (the secret shown once), revoke."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import IntegerField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.api import tokens
from app.api.models import ApiToken
from app.auth.roles import admin_required
from app.extensions import db
from app.tenancy import utc_now
from app.tenancy.web import tenant_blueprint
from app.web.forms import ConfirmForm, Form, perform
from app.web.secret_once import register_secret_once

bp = tenant_blueprint("api_tokens", __name__, "/admin/token-api", guard=admin_required,
                      template_folder="templates")


class TokenForm(Form):
    name = StringField(_l("Nama token"), validators=[DataRequired(), Length(max=100)],
                       description=_l("Untuk apa token ini, misalnya \"SIMPEG\" atau \"mesin absensi\"."))
    scopes = SelectMultipleField(_l("Cakupan"), widget=widgets.ListWidget(prefix_label=False),
                                 option_widget=widgets.CheckboxInput(),
                                 validators=[DataRequired(message=_l("Pilih sekurang-kurangnya satu cakupan."))])
    expires_in_days = IntegerField(_l("Berlaku (hari)"), validators=[Optional(), NumberRange(1, tokens.MAX_EXPIRY_DAYS)],
                                   description=_l("Kosongkan agar berlaku sampai dicabut."))


def _form() -> TokenForm:
    form = TokenForm()
    form.scopes.choices = [(code, f"{code} — {label}") for code, label in tokens.SCOPES.items()]
    return form


register_secret_once(
    bp, make_form=_form,
    render=lambda form, created: render_template("api/tokens.html", form=form, tokens=tokens.tokens(),
                                                 created=created, scopes=tokens.SCOPES, now=utc_now()),
    create=lambda form: tokens.create_token(form.name.data, form.scopes.data, form.expires_in_days.data,
                                            created_by_id=current_user.id))


@bp.route("/<int:token_id>/cabut", methods=["POST"])
def revoke(token_id: int):
    token = db.get_or_404(ApiToken, token_id)
    if ConfirmForm().validate_on_submit():
        perform(None, lambda: tokens.revoke_token(token),
                success=_("Token %(name)s dicabut; sistem yang memakainya tidak bisa masuk lagi.", name=token.name))
    return redirect(url_for("api_tokens.index"))
