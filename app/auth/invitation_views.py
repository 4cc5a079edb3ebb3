"""The page an invitation link opens: set a password, then sign in.

An unknown, used, expired or revoked link, or another tenant's, answers the
application's ordinary 404 page; unknown links count against the client as
failed sign-ins do (``app.auth.invitations``).
"""

from __future__ import annotations

from flask import abort, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from app.auth import invitations
from app.auth.blueprints import bp
from app.auth.forms import SIGN_IN_AS
from app.auth.two_factor_views import throttled_message
from app.extensions import db
from app.web.forms import Form, form_status, perform


class InvitationForm(Form):
    password = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        _l("Ulangi kata sandi baru"), render_kw={"autocomplete": "new-password"},
        validators=[DataRequired(), EqualTo("password", message=_l("Kedua kata sandi baru tidak sama."))])


@bp.route("/undangan/<token>", methods=["GET", "POST"])
def invitation_accept(token: str):
    wait = invitations.retry_after()
    if wait:
        response = render_template("auth/invitation_throttled.html", message=throttled_message(wait))
        return response, 429, {"Retry-After": str(wait)}
    invitation = invitations.find(token)
    if invitation is None:
        invitations.count_failure()
        abort(404)
    form, done = InvitationForm(), None
    if form.validate_on_submit():
        done = perform(form, lambda: invitations.accept(invitation, form.password.data),
                       success=_("Kata sandi disimpan. Silakan masuk dengan nama pengguna dan kata sandi "
                                 "baru Anda."),
                       redirect_to=lambda user: url_for("auth.login"))
        if done.ok:
            # The sign-in form shows the username once (kept in the session: it may be a NIP,
            # which stays out of addresses and logs).
            session[SIGN_IN_AS] = invitation.user.username
            return done.response
    db.session.commit()  # nothing changed: end the read transaction
    return (render_template("auth/invitation_accept.html", form=form, username=invitation.user.username),
            form_status(form, done))


__all__ = ["invitation_accept"]
