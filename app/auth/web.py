"""Flask-Login wiring: who is signed in, and where to send those who are not."""

from __future__ import annotations

from flask import Flask, flash, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from app.auth.sessions import user_for_token
from app.extensions import login_manager


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
