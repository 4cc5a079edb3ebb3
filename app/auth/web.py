"""Flask-Login wiring: who is signed in, and where to send those who are not."""

from __future__ import annotations

from flask import Flask, flash, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth import two_factor
from app.auth.sessions import user_for_token
from app.extensions import login_manager

# Pages an account that must enrol in two-step sign-in can still reach.
ENROLMENT_OPEN = frozenset({
    "static", "auth.login", "auth.logout", "auth.second_step", "auth.two_factor",
    "platform_auth.login", "platform_auth.logout", "platform_auth.second_step", "platform_auth.two_factor",
})


def init_auth(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = None  # server-side sessions do this job
    login_manager.user_loader(user_for_token)

    @login_manager.unauthorized_handler
    def _to_login():
        flash(_l("Silakan masuk terlebih dahulu."), "info")
        tenant = getattr(g, "tenant", None)
        if tenant is not None:
            return redirect(url_for("auth.login", tenant_slug=tenant.slug, next=request.full_path))
        return redirect(url_for("platform_auth.login", next=request.full_path))

    @app.before_request
    def _enrol_first():
        """An account that must use two-step sign-in and has not enrolled sees only the enrolment page."""
        if request.endpoint is None or request.endpoint in ENROLMENT_OPEN or not current_user.is_authenticated:
            return None
        tenant = getattr(g, "tenant", None)
        if not two_factor.must_enrol(current_user, tenant):
            return None
        flash(_l("Verifikasi dua langkah wajib untuk akun Anda. Aktifkan sekarang untuk melanjutkan."), "info")
        if tenant is not None:
            return redirect(url_for("auth.two_factor", tenant_slug=tenant.slug))
        return redirect(url_for("platform_auth.two_factor"))
