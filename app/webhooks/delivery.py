"""The delivery job: one signed POST, its answer logged, a retry scheduled.

Attempts back off (1 min, 5 min, 30 min, 2 h, 12 h after the previous one);
``next_attempt_at`` records when the next is due and ``flask webhooks
retry-due`` (run every minute by cron or a systemd timer) submits the due
ones. A receiver may see an event twice (a retry after a lost answer): the
payload's ``id`` stays the same, so it can ignore repeats.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import httpx
from flask import current_app
from sqlalchemy import select

from app import jobs
from app.errors import Invalid
from app.extensions import db
from app.tenancy import TenantRef, all_tenants, utc_now
from app.tenancy.models import Tenant
from app.webhooks import signing
from app.webhooks.addresses import check_url
from app.webhooks.models import DeliveryStatus, WebhookDelivery

log = logging.getLogger(__name__)

BACKOFF_SECONDS = (60, 5 * 60, 30 * 60, 2 * 60 * 60, 12 * 60 * 60)
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1
EXCERPT_CHARS = 200
USER_AGENT = "Kinerja-Webhooks/1"


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()


def deliver(delivery_id: int) -> None:
    """Job: make the next attempt of a pending delivery (runs as its tenant)."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return
    endpoint = delivery.endpoint
    now = utc_now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    code, excerpt, error = None, "", ""
    secret = endpoint.secret
    if not endpoint.active:
        error = "endpoint disabled"
    elif secret is None:  # stored under another SECRET_KEY: the admin registers the endpoint again
        error = "secret unreadable"
    else:
        try:
            check_url(endpoint.url)
            code, excerpt = _post(endpoint.url, secret, delivery, int(now.timestamp()))
        except Invalid:
            error = "address refused"
        except httpx.HTTPError as exc:
            error = type(exc).__name__
    delivery.response_code, delivery.response_excerpt, delivery.error = code, excerpt, error
    if code is not None and 200 <= code < 300:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.DELIVERED, None
    elif delivery.attempts < MAX_ATTEMPTS and endpoint.active:
        delivery.next_attempt_at = now + timedelta(seconds=BACKOFF_SECONDS[delivery.attempts - 1])
    else:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    log.info("Webhook delivery %s attempt %s: %s", delivery.id, delivery.attempts, code or error)
    db.session.commit()


def _post(url: str, secret: str, delivery: WebhookDelivery, timestamp: int) -> tuple[int, str]:
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Kinerja-Event": delivery.event,
        "X-Kinerja-Delivery": str(delivery.id),
        "X-Kinerja-Signature": signing.sign(secret, body, timestamp),
    }
    timeout = current_app.config.get("WEBHOOKS_TIMEOUT", 10)
    with httpx.Client(follow_redirects=False, timeout=timeout, trust_env=False) as client:
        response = client.post(url, content=body, headers=headers)
        return response.status_code, response.text[:EXCERPT_CHARS]


def retry_due() -> int:
    """Submit every pending delivery whose next attempt is due, in every tenant; how many."""
    now = utc_now()
    with all_tenants("webhook deliveries due for a retry"):
        rows = db.session.execute(
            select(WebhookDelivery.id, Tenant.id, Tenant.slug)
            .join(Tenant, Tenant.id == WebhookDelivery.tenant_id)
            .where(WebhookDelivery.status == DeliveryStatus.PENDING, WebhookDelivery.next_attempt_at <= now)
            .order_by(WebhookDelivery.next_attempt_at)).all()
    for delivery_id, tenant_id, slug in rows:
        jobs.submit(deliver, delivery_id, tenant=TenantRef(tenant_id, slug))
    return len(rows)
