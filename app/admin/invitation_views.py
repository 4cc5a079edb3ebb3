"""The admin instansi invites people to set their passwords: every employee of
a unit without an account at once, or one account's holder ("reset kata
sandi lewat undangan"). Links are e-mailed when mail is configured; where it
is not (the demo, a test install) the page shows each link once, for the
admin to hand over."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import BooleanField, SelectField

from app.admin.views import bp
from app.auth import invitations
from app.auth.models import User
from app.errors import Invalid
from app.extensions import db
from app.notifications import mail
from app.org.models import Unit
from app.web.forms import ConfirmForm, Form, form_status, perform


class InviteUnitForm(Form):
    unit_id = SelectField(_l("Unit kerja"), coerce=int, validate_choice=True)
    include_sub_units = BooleanField(_l("Termasuk semua sub-unit di bawahnya"))


def send(issued: invitations.Issued) -> bool:
    """Queue the invitation e-mail (sent after the commit); False when it cannot go."""
    if not (mail.mail_enabled() and issued.email):
        return False
    mail.queue(db.session(), mail.compose(issued.email, invitations.MAIL_KIND, invitations.mail_text(issued),
                                          issued.url))
    return True


def _unit_choices() -> list[tuple[int, str]]:
    units = db.session.execute(select(Unit.id, Unit.code, Unit.name).where(Unit.active).order_by(Unit.name))
    return [(unit_id, f"{name} ({code})") for unit_id, code, name in units]


@bp.route("/akun/undang-unit", methods=["GET", "POST"])
def invite_unit():
    form = InviteUnitForm()
    form.unit_id.choices = _unit_choices()
    done = None
    if form.validate_on_submit():
        def run():
            unit = db.session.get(Unit, form.unit_id.data)
            if unit is None or not unit.active:
                raise Invalid(_l("Pilih unit kerja yang aktif."), "unit_id")
            result = invitations.accounts_for_unit(unit, bool(form.include_sub_units.data))
            return result, [(issued, send(issued)) for issued in result.invited]
        done = perform(form, run)
        if done.ok:
            result, rows = done.value
            return render_template("admin/invitations_sent.html", rows=rows, result=result,
                                   mail_on=mail.mail_enabled())
    return render_template("admin/invite_unit.html", form=form), form_status(form, done)


@bp.route("/akun/<int:user_id>/undang", methods=["POST"])
def user_invite(user_id: int):
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("admin.user_form", user_id=user.id))

    def run():
        if mail.mail_enabled() and not (user.employee and (user.employee.email or "").strip()):
            raise Invalid(_l("Akun ini tidak dapat diundang: pegawainya belum punya alamat e-mail."))
        issued = invitations.issue(user, invitations.RESET)
        return issued, send(issued)

    done = perform(None, run)
    if not done.ok:
        return redirect(url_for("admin.user_form", user_id=user.id))
    issued, sent = done.value
    return render_template("admin/invitations_sent.html", rows=[(issued, sent)], result=None,
                           mail_on=mail.mail_enabled(), single=True, user=user)


__all__ = ["invite_unit", "user_invite"]
