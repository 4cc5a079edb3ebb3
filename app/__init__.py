"""Kinerja: performance management for Indonesia's regional civil servants.

``create_app`` is the table of contents of the application: read it top to
bottom to see what is wired in and in which order.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask


def create_app(config_name: str | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    from app import config as config_module

    config_name = config_name or os.environ.get("KINERJA_ENV", "development")
    app = Flask(__name__, instance_path=str(config_module.INSTANCE_DIR))

    # 1. Configuration: class defaults, then the environment, then the caller.
    app.config.from_object(config_module.CONFIGS[config_name])
    app.config["ENV_NAME"] = config_name
    if config_name != "testing":
        app.config.update(config_module.Config.from_env())
    app.config.update(overrides or {})
    config_module.ensure_secret_key(app.config)

    # 1b. The HTTP edge: trusted proxies, uploads kept in memory.
    from app.security import init_http_edge

    init_http_edge(app)

    # 2. Database, tenancy (ORM scoping + PostgreSQL row-level security); every
    #    model is imported first so the metadata (and Alembic) sees them all.
    from app import models  # noqa: F401
    from app.database import init_database

    init_database(app)

    # 3. Region plugins: discovered and validated before any request is served.
    from app.regions.manager import init_regions

    init_regions(app)

    # 4. Web plumbing: logging, sign-in, CSRF, language, security headers, errors,
    #    static files and compression.
    from app.auth.web import init_auth
    from app.extensions import csrf
    from app.i18n import init_i18n
    from app.security import init_security
    from app.tenancy.web import init_tenancy
    from app.web.errors import init_errors
    from app.web.filters import init_filters
    from app.web.logs import init_logging
    from app.web.numbers import init_bounded_input
    from app.web.serving import init_serving

    init_logging(app)  # one short line per failed request, never a query string
    init_bounded_input(app)  # before any route: <int:...> ids and query integers are bounded
    init_tenancy(app)
    csrf.init_app(app)
    init_auth(app)
    init_i18n(app)
    init_security(app)
    init_errors(app)
    init_serving(app)  # fingerprinted static files with long cache lifetimes, Brotli/gzip
    init_filters(app)

    # 5. Seams: where a lower layer asks and a higher one answers (docs/architecture.md).
    from app import providers
    from app.consultation.services import for_plan_lock
    from app.publik.figures import provide_figures
    from app.skp.evaluation import wiring as evaluation_wiring
    from app.skp.training import subscriptions as training_subscriptions

    provide_figures()  # a unit's IKM and the complaints about an employee, for evaluation
    providers.provide(criteria_consultation=for_plan_lock)  # plan lock reads the recorded consultation
    evaluation_wiring.connect()  # realisation learns which periods a final evaluation closed
    training_subscriptions.connect()  # a final evaluation's recommendations become training records

    # 6. Pages, one blueprint per domain area.
    from app.views import register_blueprints

    register_blueprints(app)

    # 7. Command line: flask tenants …, flask demo …
    from app.cli import register_commands

    register_commands(app)
    return app
