"""Two-step sign-in pages: the code after the password, enrolment with a QR
code and recovery codes, switching it off, and the tenant's rule for admins."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, g, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.auth import two_factor
from app.auth.blueprints import bp, platform_bp
from app.auth.forms import DisableTwoFactorForm, EnrolForm, SecondStepForm, TwoFactorRuleForm
from app.auth.models import User
from app.auth.roles import admin_required, operator_required
from app.auth.services import SignInThrottled, confirm_second_factor
from app.auth.sessions import start_session
from app.extensions import db
from app.tenancy import current_tenant_id, utc_now
from app.web.forms import form_status, perform

PENDING = "auth_second_step"  # the password step passed: who, where, until when, then where to
# Session key of the secret being enrolled (shown on the page anyway), until a code confirms it.
ENROLMENT_KEY = "auth_totp_enrolment"


def throttled_message(seconds: int) -> str:
    minutes = (seconds + 59) // 60
    if seconds < 120:
        return ngettext("Terlalu banyak percobaan masuk yang gagal. Tunggu %(num)d detik lalu coba lagi.",
                        "Terlalu banyak percobaan masuk yang gagal. Tunggu %(num)d detik lalu coba lagi.",
                        seconds)
    return ngettext("Terlalu banyak percobaan masuk yang gagal. Tunggu %(num)d menit lalu coba lagi.",
                    "Terlalu banyak percobaan masuk yang gagal. Tunggu %(num)d menit lalu coba lagi.", minutes)


def _realm() -> str:
    tenant = getattr(g, "tenant", None)
    return tenant.slug if tenant is not None else "platform"


def _endpoint(name: str) -> str:
    return f"auth.{name}" if getattr(g, "tenant", None) is not None else f"platform_auth.{name}"


def begin_second_step(realm: str, user: User, target: str):
    """The password was right and the account uses two-step sign-in: ask for the code."""
    session.clear()
    session[PENDING] = {"user": user.id, "realm": realm, "next": target,
                        "until": (utc_now() + timedelta(seconds=current_app.config["TWO_FACTOR_PENDING_SECONDS"]))
                        .isoformat()}
    return redirect(url_for(_endpoint("second_step")))


def _pending_user() -> tuple[User | None, str]:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or pending.get("realm") != _realm():
        return None, ""
    if str(pending.get("until", "")) < utc_now().isoformat():
        session.pop(PENDING, None)
        return None, ""
    user = db.session.get(User, pending.get("user"))
    if user is None or not user.active or not user.two_factor_enabled:
        return None, ""
    if user.tenant_id != current_tenant_id() or (_realm() == "platform" and not user.is_platform_operator):
        return None, ""
    return user, str(pending.get("next") or "")


def _second_step():
    user, target = _pending_user()
    if user is None:
        flash(_("Silakan masuk terlebih dahulu."), "info")
        return redirect(url_for(_endpoint("login")))
    form = SecondStepForm()
    if form.validate_on_submit():
        try:
            ok = confirm_second_factor(_realm(), user, form.code.data)
        except SignInThrottled as throttled:
            form.code.errors.append(throttled_message(throttled.retry_after))
            return (render_template("auth/second_step.html", form=form), 429,
                    {"Retry-After": str(throttled.retry_after)})
        if ok:
            start_session(user)  # commits the spent code with the new session
            return redirect(target or url_for(_endpoint("login")))
        db.session.commit()
        form.code.errors.append(str(two_factor.INVALID_CODE))
    return render_template("auth/second_step.html", form=form)


@bp.route("/login/kode", methods=["GET", "POST"])
def second_step():
    return _second_step()


@platform_bp.route("/login/kode", methods=["GET", "POST"], endpoint="second_step")
def platform_second_step():
    return _second_step()


# --- enrolment -------------------------------------------------------------------------------

def _enrol():
    user = current_user
    if not two_factor.may_use(user):
        abort(403)
    tenant = getattr(g, "tenant", None)
    if user.two_factor_enabled:
        return render_template("auth/two_factor.html", enabled=True, disable_form=DisableTwoFactorForm(),
                               required=two_factor.required_for(user, tenant),
                               unused=two_factor.unused_recovery_codes(user))
    secret = session.get(ENROLMENT_KEY)
    if not isinstance(secret, str) or len(secret) != 32:
        secret = session[ENROLMENT_KEY] = two_factor.new_secret()
    form = EnrolForm()
    if form.validate_on_submit():
        done = perform(form, lambda: two_factor.enable(user, secret, form.code.data))
        if done.ok:
            session.pop(ENROLMENT_KEY, None)
            # Shown once, in this answer only (not cached, never in a URL).
            return render_template("auth/recovery_codes.html", codes=done.value)
    label = f"{user.username}@{tenant.slug}" if tenant is not None else f"{user.username}@platform"
    return render_template("auth/two_factor.html", enabled=False, form=form,
                           required=two_factor.required_for(user, tenant),
                           secret=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
                           qr=two_factor.qr_data_uri(two_factor.provisioning_uri(secret, label))), form_status(form)


def _disable():
    user = current_user
    if not two_factor.may_use(user) or not user.two_factor_enabled:
        abort(404)
    form = DisableTwoFactorForm()
    if form.validate_on_submit():
        done = perform(form, lambda: two_factor.disable(user, getattr(g, "tenant", None), form.password.data),
                       success=_("Verifikasi dua langkah dimatikan."), redirect_to=url_for(_endpoint("two_factor")))
        if done.ok:
            return done.response
    return render_template("auth/two_factor.html", enabled=True, disable_form=form,
                           required=two_factor.required_for(user, getattr(g, "tenant", None)),
                           unused=two_factor.unused_recovery_codes(user)), form_status(form)


@bp.route("/akun/dua-langkah", methods=["GET", "POST"], endpoint="two_factor")
@login_required
def two_factor_page():
    return _enrol()


@bp.route("/akun/dua-langkah/matikan", methods=["POST"], endpoint="two_factor_disable")
@login_required
def two_factor_disable():
    return _disable()


@platform_bp.route("/akun/dua-langkah", methods=["GET", "POST"], endpoint="two_factor")
@operator_required
def platform_two_factor():
    return _enrol()


@platform_bp.route("/akun/dua-langkah/matikan", methods=["POST"], endpoint="two_factor_disable")
@operator_required
def platform_two_factor_disable():
    return _disable()


# --- the tenant's rule ------------------------------------------------------------------------

@bp.route("/admin/keamanan-masuk", methods=["GET", "POST"], endpoint="two_factor_rule")
@admin_required
def two_factor_rule():
    form = TwoFactorRuleForm(required=g.tenant.two_factor_required_for_admins)
    if form.validate_on_submit():
        done = perform(form, lambda: two_factor.set_required_for_admins(g.tenant, current_user, form.required.data),
                       success=_("Aturan verifikasi dua langkah disimpan."),
                       redirect_to=url_for("auth.two_factor_rule"))
        if done.ok:
            return done.response
    return render_template("auth/two_factor_rule.html", form=form), form_status(form)
