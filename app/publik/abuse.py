"""Abuse controls for the public forms, keeping no more data than needed.

* Rate limit per client: the client is the HMAC of its address
  (``app.auth.throttle.client_key``, the same key sign-in throttling uses);
  each submission is a row in ``public_submission`` counted over a sliding
  window, so the limit holds across gunicorn workers and hosts sharing the
  database. Rows older than the window are deleted as new ones arrive.
* Duplicate detection: a key derived from the client key, the unit and the
  answers; the same key within the window is a duplicate. The key is erased
  from stored responses once the window has passed.
* The honeypot is a form field humans never see (``forms.HoneypotMixin``).

Limits are generous because many citizens share an address (a service
counter's wifi, mobile carriers' NAT): they stop floods, not people.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update

from app.auth.throttle import client_key
from app.extensions import db
from app.publik.models import Complaint, PublicSubmission, SurveyResponse
from app.tenancy import utc_now

# action → (config key, default submissions per window)
LIMITS = {
    "survey": ("PUBLIK_SURVEYS_PER_WINDOW", 30),
    "complaint": ("PUBLIK_COMPLAINTS_PER_WINDOW", 5),
    "track": ("PUBLIK_TRACK_FAILURES_PER_WINDOW", 20),
}
WINDOW_KEY, WINDOW_DEFAULT = "PUBLIK_RATE_WINDOW", 3600  # seconds
DUPLICATE_WINDOW_KEY, DUPLICATE_WINDOW_DEFAULT = "PUBLIK_DUPLICATE_WINDOW", 24 * 3600


def _window() -> timedelta:
    return timedelta(seconds=current_app.config.get(WINDOW_KEY, WINDOW_DEFAULT))


def _duplicate_window() -> timedelta:
    return timedelta(seconds=current_app.config.get(DUPLICATE_WINDOW_KEY, DUPLICATE_WINDOW_DEFAULT))


def is_rate_limited(action: str) -> bool:
    """Has this client used up its submissions of ``action`` in the window?"""
    config_key, default = LIMITS[action]
    limit = current_app.config.get(config_key, default)
    since = utc_now() - _window()
    used = db.session.scalar(
        select(func.count()).select_from(PublicSubmission).where(
            PublicSubmission.client_key == client_key(),
            PublicSubmission.action == action,
            PublicSubmission.at >= since,
        )
    )
    return used >= limit


def record_submission(action: str) -> None:
    """Count one submission (the caller commits)."""
    db.session.add(PublicSubmission(client_key=client_key(), action=action))
    now = utc_now()
    db.session.execute(delete(PublicSubmission).where(PublicSubmission.at < now - _window()))
    # Duplicate keys link submissions of one client; keep them only while useful.
    stale = now - _duplicate_window()
    db.session.execute(update(SurveyResponse).where(
        SurveyResponse.duplicate_key.is_not(None), SurveyResponse.submitted_at < stale,
    ).values(duplicate_key=None).execution_options(synchronize_session=False))
    db.session.execute(update(Complaint).where(
        Complaint.duplicate_key.is_not(None), Complaint.received_at < stale,
    ).values(duplicate_key=None).execution_options(synchronize_session=False))


def duplicate_key(*parts: object) -> str:
    """A key for "this client sent exactly this" — client_key is already an
    HMAC with the app's secret, so this cannot be reversed to an address."""
    material = "\x1f".join([client_key(), *(str(p) for p in parts)])
    return hashlib.sha256(material.encode()).hexdigest()


def is_duplicate_survey(key: str) -> bool:
    since = utc_now() - _duplicate_window()
    return db.session.scalar(
        select(func.count()).select_from(SurveyResponse).where(
            SurveyResponse.duplicate_key == key, SurveyResponse.submitted_at >= since)
    ) > 0


def is_duplicate_complaint(key: str) -> Complaint | None:
    since = utc_now() - _duplicate_window()
    return db.session.scalar(
        select(Complaint).where(Complaint.duplicate_key == key, Complaint.received_at >= since).limit(1)
    )
