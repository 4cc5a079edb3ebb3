"""The platform operator invites a region's first admin: a one-time link to
set the password of the tenant's admin account (created when missing), sent to
the address the operator gives (or shown once when e-mail is not configured).
Audited in the tenant's own trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from app import audit
from app.auth import invitations
from app.auth.models import User
from app.errors import Invalid
from app.extensions import db
from app.notifications import mail
from app.platform.views import bp
from app.tenancy import all_tenants, tenant_scope
from app.tenancy.models import Tenant
from app.web.forms import Form, form_status, perform


class FirstAdminForm(Form):
    tenant_id = SelectField(_l("Daerah"), coerce=int, validate_choice=True)
    username = StringField(_l("Nama pengguna admin"), default="admin",
                           validators=[DataRequired(), Length(min=3, max=80)])
    email = EmailField(_l("Alamat e-mail admin"), validators=[Optional(), Email(), Length(max=200)],
                       description=_l("Tautan undangan dikirim ke alamat ini."))


@dataclass(frozen=True)
class Sent:
    username: str
    url: str
    expires_at: datetime
    email: str | None  # where the link was e-mailed; None: shown to the operator instead


def first_admin_invitation(tenant: Tenant, username: str, email: str | None) -> Sent:
    """Invite the admin ``username`` of ``tenant`` (created as admin when missing, or an admin
    account never used: no password, never signed in); commits."""
    username = username.strip().lower()
    if mail.mail_enabled() and not email:
        raise Invalid(_l("Isi alamat e-mail admin: undangan dikirim lewat e-mail."), "email")
    with tenant_scope(tenant):
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(username=username, is_admin=True)
            db.session.add(user)
            db.session.flush()
            audit.record("user.create", user, None)
        elif not user.is_admin:
            raise Invalid(_l("Akun %(name)s bukan admin instansi.", name=username), "username")
        elif not user.active:
            raise Invalid(_l("Akun %(name)s nonaktif.", name=username), "username")
        elif user.password_hash is not None or user.last_login_at is not None:
            # The operator starts a region; it does not take over an admin who already
            # uses the account — their own admins reset it by invitation.
            raise Invalid(_l("Akun %(name)s sudah dipakai. Minta admin instansi daerah ini mengirim "
                             "undangan atur ulang kata sandi.", name=username), "username")
        issued = invitations.issue(user, invitations.FIRST_ADMIN, email=email or None)
        sent_to = issued.email if mail.mail_enabled() else None
        if sent_to:
            mail.queue(db.session(), mail.compose(sent_to, invitations.MAIL_KIND,
                                                  invitations.mail_text(issued), issued.url))
        # Read before the commit: afterwards the rows are this tenant's, out of the operator's sight.
        sent = Sent(user.username, issued.url, issued.invitation.expires_at, sent_to)
        db.session.commit()
    return sent


@bp.route("/undangan-admin", methods=["GET", "POST"])
def first_admin():
    with all_tenants("the operator lists regions to invite an admin of"):
        tenants = db.session.scalars(select(Tenant).where(Tenant.active).order_by(Tenant.name)).all()
    form = FirstAdminForm()
    form.tenant_id.choices = [(t.id, f"{t.name} (/{t.slug}/)") for t in tenants]
    if request.method == "GET":
        form.tenant_id.data = request.args.get("tenant", type=int)
    done = None
    if form.validate_on_submit():
        tenant = next(t for t in tenants if t.id == form.tenant_id.data)
        done = perform(form, lambda: first_admin_invitation(tenant, form.username.data, form.email.data))
        if done.ok:
            return render_template("platform/first_admin_sent.html", region=tenant, sent=done.value)
    return render_template("platform/first_admin.html", form=form), form_status(form, done)
