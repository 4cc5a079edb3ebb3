"""Language: Bahasa Indonesia by default, English available.

UI strings are written in Indonesian in the code and templates (the default
language never falls back to another); ``app/translations/en`` holds English.
The choice is: ``?lang=`` (remembered in the session), the user's setting,
the tenant's locale, then Indonesian.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, current_app, g, has_request_context, request, session
from flask_login import current_user

from app.extensions import babel
from app.tenancy.context import current_tenant_id
from app.tenancy.current import tenant_zone


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    asked = request.args.get("lang")
    if asked in languages:
        session["lang"] = asked
        return asked
    if session.get("lang") in languages:
        return session["lang"]
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in languages:
        return user_locale
    tenant = getattr(g, "tenant", None)
    if tenant is not None and tenant.locale in languages:
        return tenant.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Times are shown in the tenant's zone (stored as UTC)."""
    if current_tenant_id() is None:
        return current_app.config["BABEL_DEFAULT_TIMEZONE"]
    return str(tenant_zone())


def language_url(code: str) -> str:
    """This page in another language, keeping its query (search, page)."""
    args = request.args.to_dict()
    args["lang"] = code
    return f"{request.path}?{urlencode(args)}"


def init_i18n(app: Flask) -> None:
    from flask_babel import get_locale

    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["language_url"] = language_url
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(app.root_path + "/translations"),
    )
