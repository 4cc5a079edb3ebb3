"""Sign-in, sign-out and password change, for tenants and for the platform."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth import two_factor_views  # noqa: F401 - registers the two-step sign-in pages
from app.auth.blueprints import bp, platform_bp
from app.auth.forms import SIGN_IN_AS, LoginForm, PasswordChangeForm
from app.auth.services import SignInThrottled, authenticate
from app.auth.services import change_password as change_user_password
from app.auth.sessions import end_session, start_session
from app.auth.two_factor_views import begin_second_step, throttled_message
from app.extensions import db
from app.web.forms import perform

__all__ = ["bp", "platform_bp"]


def _safe_next(target: str | None, fallback: str) -> str:
    """Only redirect to a path on this site (no open redirect)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return fallback


def _login(realm: str, home: str, template_vars: dict):
    form = LoginForm(next=request.args.get("next", ""), username=session.pop(SIGN_IN_AS, None))
    if form.validate_on_submit():
        try:
            user = authenticate(realm, form.username.data, form.password.data)
        except SignInThrottled as throttled:
            form.password.errors.append(throttled_message(throttled.retry_after))
            response = render_template("auth/login.html", form=form, **template_vars), 429
            return response + ({"Retry-After": str(throttled.retry_after)},)
        if user is None:
            form.password.errors.append(_("Nama pengguna atau kata sandi salah."))
            return render_template("auth/login.html", form=form, **template_vars), 200
        target = _safe_next(form.next.data, home)
        if user.two_factor_enabled:
            db.session.commit()  # a rehashed password is kept; nobody is signed in yet
            return begin_second_step(realm, user, target)
        start_session(user)
        return redirect(target)
    return render_template("auth/login.html", form=form, **template_vars)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return _login(g.tenant.slug, url_for("home.index"), {"realm_name": g.tenant.name})


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        end_session(current_user)
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        done = perform(form, lambda: change_user_password(current_user, form.current_password.data,
                                                          form.new_password.data),
                       success=_("Kata sandi diganti. Sesi lain akun ini telah diakhiri."),
                       redirect_to=url_for("home.index"))
        if done.ok:
            return done.response
    return render_template("auth/password.html", form=form)


@platform_bp.route("/login", methods=["GET", "POST"], endpoint="login")
def platform_login():
    if current_user.is_authenticated and current_user.is_platform_operator:
        return redirect(url_for("platform.index"))
    return _login("platform", url_for("platform.index"), {"realm_name": _("Operator Platform")})


@platform_bp.route("/logout", methods=["POST"], endpoint="logout")
def platform_logout():
    if current_user.is_authenticated:
        end_session(current_user)
    return redirect(url_for("platform_auth.login"))
