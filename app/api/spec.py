"""The API's flask-smorest ``Api``: configuration, the OpenAPI document, the
problem shape of its errors, the language of its answers, its blueprints."""

from __future__ import annotations

from http import HTTPStatus

from flask import Flask, current_app, g, has_request_context, request
from flask_smorest import Api as SmorestApi
from flask_smorest.utils import prepare_response

from app.api.schemas import Problem

API_PATH = "/api/"
PROBLEM_JSON = "application/problem+json"


class Api(SmorestApi):
    """flask-smorest, answering errors the application's way.

    flask-smorest would install its own handler for every HTTP error of the
    whole application; the application already renders every error (a page,
    or a problem under ``/api/``), so this one installs none and documents
    the problem shape instead."""

    ERROR_SCHEMA = Problem

    def _register_error_handlers(self) -> None:
        """The API blueprints register theirs (``app.api.problems``)."""

    def _register_responses(self) -> None:
        for status in (400, 401, 403, 404, 409, 412, 422, 428, 429):
            response = {"description": HTTPStatus(status).phrase, "schema": self.ERROR_SCHEMA}
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(HTTPStatus(status).name, response, lazy=True)
        response = {"description": "An RFC 9457 problem", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


API_CONFIG = {
    "API_TITLE": "Kinerja API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_RATE_LIMIT": 600,  # requests per token per window
    "API_RATE_WINDOW": 60,  # seconds
}

DESCRIPTION = (
    "Kinerja's JSON API. Authenticate with `Authorization: Bearer <token>` (a token from the admin "
    "instansi's page or `flask tokens create`); the token decides the tenant and its scopes the "
    "operations. Errors are `application/problem+json` (RFC 9457) in Indonesian or English "
    "(`Accept-Language`). Lists are paged with `?limit=&cursor=`. See docs/api.md."
)


def _locale_for_api(original):
    """API requests speak the language of ``Accept-Language`` (then the
    tenant's); pages keep the application's choice (``app.i18n``)."""

    def select():
        if not has_request_context() or not request.path.startswith(API_PATH):
            return original()
        languages = current_app.config["LANGUAGES"]
        if request.accept_languages:
            best = request.accept_languages.best_match(languages)
            if best:
                return best
        tenant = getattr(g, "tenant", None)
        if tenant is not None and tenant.locale in languages:
            return tenant.locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]

    return select


def init_api(app: Flask) -> Api:
    from app.api import docs
    from app.api.resources import cycle, figures, integrations, org, realisation

    for key, value in API_CONFIG.items():
        app.config.setdefault(key, value)
    babel_config = app.extensions["babel"]
    babel_config.locale_selector = _locale_for_api(babel_config.locale_selector)

    api = Api(app, spec_kwargs={"info": {"description": DESCRIPTION}})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer",
                                                       "description": "knj_… token"})
    for bp in (org.bp, cycle.bp, realisation.bp, integrations.bp, figures.bp):
        api.register_blueprint(bp)
    app.register_blueprint(docs.bp)
    return api
