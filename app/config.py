"""Configuration classes.

Nothing here reads the environment at import time: ``Config.from_env()`` is
called by ``create_app`` so tests can build an app with explicit settings.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the operator gave."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _flag(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


class Config:
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE_DIR / 'kinerja.db'}"
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    # PostgreSQL role the application acts as at run time; it owns no table,
    # so row-level security applies to it (see app/tenancy/rls.py).
    DATABASE_APP_ROLE = "kinerja_app"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "kinerja_session"
    PERMANENT_SESSION_LIFETIME = 8 * 3600  # one working day
    # Server-side limits (app/auth/sessions.py): a session ends after this long
    # without a request, and in any case this long after sign-in.
    SESSION_IDLE_TIMEOUT = 60 * 60
    SESSION_MAX_AGE = 8 * 3600

    WTF_CSRF_TIME_LIMIT = 8 * 3600
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    LANGUAGES = ("id", "en")

    # Failed sign-ins (app/auth/throttle.py, docs/operations.md): after
    # LOGIN_MAX_FAILURES failures of one account from one client, that client
    # waits LOGIN_DELAY_BASE seconds before its next try, doubling with every
    # further failure up to LOGIN_DELAY_MAX; other clients are not affected.
    # LOGIN_MAX_FAILURES_PER_CLIENT failures from one client within LOGIN_WINDOW
    # seconds stop it in that realm (one tenant, or the platform) only.
    LOGIN_MAX_FAILURES = 5
    LOGIN_DELAY_BASE = 30
    LOGIN_DELAY_MAX = 15 * 60
    LOGIN_MAX_FAILURES_PER_CLIENT = 30
    LOGIN_WINDOW = 60 * 60
    # Two-step sign-in (TOTP) is mandatory for platform operators unless this
    # is off; a tenant makes it mandatory for its admins itself. The issuer is
    # the name authenticator apps show; the password step is good this long.
    PLATFORM_TWO_FACTOR_REQUIRED = True
    TWO_FACTOR_ISSUER = "Kinerja"
    TWO_FACTOR_PENDING_SECONDS = 5 * 60

    # The address citizens and e-mail recipients reach the app at, e.g.
    # "https://kinerja.example.go.id": every link that leaves the app (QR codes,
    # posters, e-mail) is built from it, never from the request's Host header.
    # TRUSTED_HOSTS lists the host names requests may carry (others get 400);
    # unset, it is the host of PUBLIC_BASE_URL (app/security.py).
    PUBLIC_BASE_URL: str | None = None
    TRUSTED_HOSTS: list[str] | None = None
    # A link to set a password works this many days (app/auth/invitations.py);
    # a deadline is reminded from this many days before it (app/reminders/).
    INVITATION_DAYS: int = 7
    REMINDER_LEAD_DAYS: int = 3

    # Argon2id parameters, at or above OWASP ASVS 5.0 (t=2, m=19 MiB, p=1).
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_COST = 19 * 1024
    ARGON2_PARALLELISM = 1

    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    IMPORT_MAX_ROWS = 20000
    IMPORT_JOB_TIMEOUT = 30 * 60  # seconds; a check or apply job older than this has died
    # Evidence (bukti dukung) uploads: where files are kept (app/storage.py;
    # None means instance/uploads) and the largest file accepted.
    UPLOAD_ROOT: str | None = None
    EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    # Import jobs run in a background thread and report progress; tests may run
    # them inline.
    JOBS_INLINE = False
    # With REDIS_URL set, jobs go to this RQ queue and `flask worker` runs them
    # (app/jobs.py); a job running longer than JOBS_TIMEOUT seconds is stopped.
    JOBS_QUEUE = "kinerja"
    JOBS_TIMEOUT = 30 * 60
    # Webhooks (app/webhooks): endpoints must be https and must not resolve to a
    # private or loopback address unless this is on (tests, demo, development).
    WEBHOOKS_ALLOW_PRIVATE: bool | None = None  # None: on in testing, demo and development
    WEBHOOKS_TIMEOUT = 10

    # Number of reverse proxies in front of the app whose X-Forwarded-* headers
    # are trusted (0: none). Rate limits and QR-code links need the real client
    # address and host.
    PROXY_HOPS = 0

    PAGE_SIZE = 25
    # List pages count at most this many rows past the page shown ("lebih dari 1.000 data"):
    # a full count reads every row of the list (app/web/listing.py).
    LIST_COUNT_LIMIT = 1000

    # E-mail for notifications: off unless MAIL_SERVER is set (app/notifications.py).
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS on a plain connection
    MAIL_USE_SSL = False  # implicit TLS (usually port 465)
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "kinerja@localhost"
    MAIL_TIMEOUT = 10
    DEMO_MODE = False
    DEMO_PASSWORD = "Demo-Kinerja-2026"  # noqa: S105 - used only when DEMO_MODE is on

    @classmethod
    def from_env(cls) -> dict[str, Any]:
        """Settings the operator gives through the environment."""
        values: dict[str, Any] = {}
        if url := os.environ.get("DATABASE_URL"):
            values["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
        if key := os.environ.get("SECRET_KEY"):
            values["SECRET_KEY"] = key
        if role := os.environ.get("DATABASE_APP_ROLE"):
            values["DATABASE_APP_ROLE"] = role
        if os.environ.get("KINERJA_DEMO") == "1":
            values["DEMO_MODE"] = True
        if upload_root := os.environ.get("UPLOAD_ROOT"):
            values["UPLOAD_ROOT"] = upload_root
        if hops := os.environ.get("PROXY_HOPS"):
            values["PROXY_HOPS"] = int(hops)
        if base_url := os.environ.get("PUBLIC_BASE_URL"):
            values["PUBLIC_BASE_URL"] = base_url
        if hosts := os.environ.get("TRUSTED_HOSTS"):
            values["TRUSTED_HOSTS"] = [h.strip() for h in hosts.split(",") if h.strip()]
        if "PLATFORM_TWO_FACTOR_REQUIRED" in os.environ:
            values["PLATFORM_TWO_FACTOR_REQUIRED"] = _flag(os.environ["PLATFORM_TWO_FACTOR_REQUIRED"])
        elif values.get("DEMO_MODE"):
            # The demo's documented operator signs in with its password alone (opt-in there).
            values["PLATFORM_TWO_FACTOR_REQUIRED"] = False
        if redis_url := os.environ.get("REDIS_URL"):
            values["REDIS_URL"] = redis_url
        for name in ("INVITATION_DAYS", "REMINDER_LEAD_DAYS", "LIST_COUNT_LIMIT"):
            if days := os.environ.get(name):
                values[name] = int(days)
        for name in ("MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER"):
            if mail_value := os.environ.get(name):
                values[name] = mail_value
        if mail_port := os.environ.get("MAIL_PORT"):
            values["MAIL_PORT"] = int(mail_port)
        for name in ("MAIL_USE_TLS", "MAIL_USE_SSL"):
            if name in os.environ:
                values[name] = os.environ[name].lower() in ("1", "true", "yes", "on")
        if "REGIONS_STRICT" in os.environ:  # unset: degraded in production, strict elsewhere
            values["REGIONS_STRICT"] = os.environ["REGIONS_STRICT"].lower() in ("1", "true", "yes", "on")
        return values


class DevelopmentConfig(Config):
    DEBUG = False


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    JOBS_INLINE = True
    # Tests sign operators in with a password only; tests/test_two_factor.py turns it on.
    PLATFORM_TWO_FACTOR_REQUIRED = False
    # Let unexpected exceptions reach the test instead of the 500 page.
    PROPAGATE_UNEXPECTED = True


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def ensure_secret_key(app_config: dict[str, Any]) -> None:
    """Refuse to run production without a key; elsewhere keep one in instance/."""
    if app_config.get("SECRET_KEY"):
        return
    if app_config.get("ENV_NAME") == "production":
        raise RuntimeError("SECRET_KEY must be set in production.")
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app_config["SECRET_KEY"] = key_file.read_text().strip()
