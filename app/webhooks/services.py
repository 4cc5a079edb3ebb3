"""Webhook endpoints (register, disable, delete) and ``emit``, the one way to
announce an event to them.

``emit(event, data)`` is called by the service where the event happens, in
its transaction: it records one delivery per active endpoint of the current
tenant that subscribed to the event, and starts each delivery job once the
transaction commits (``jobs.submit_after_commit``). ``data`` holds ids and
codes, not personal data: an integrator reads the rest through the API.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from app import audit, jobs
from app.errors import Invalid
from app.extensions import db
from app.tenancy import current_tenant, utc_now
from app.webhooks import signing
from app.webhooks.addresses import check_url
from app.webhooks.delivery import deliver
from app.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

EVENTS: dict[str, Any] = {
    "plan.agreed": _l("SKP disepakati"),
    "evaluation.finalised": _l("Penilaian ditetapkan final"),
    "objection.decided": _l("Keberatan diputus"),
    "complaint.received": _l("Pengaduan masyarakat diterima"),
    "import.finished": _l("Impor data selesai"),
    "siasn.sent": _l("Hasil penilaian terkirim ke SIASN"),
}
FIRST_SAFETY_RETRY_SECONDS = 60  # a delivery whose first job was lost is picked up by retry-due


# --- endpoints ------------------------------------------------------------------------

def check_events(events: list[str] | tuple[str, ...]) -> list[str]:
    chosen = [event for event in EVENTS if event in set(events or ())]
    if not chosen or len(chosen) != len(set(events)):
        raise Invalid(_l("Pilih sekurang-kurangnya satu peristiwa yang dikenal."), "events")
    return chosen


def endpoints() -> list[WebhookEndpoint]:
    return list(db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.created_at.desc(),
                                                                   WebhookEndpoint.id.desc())))


def create_endpoint(url: str, events: list[str], description: str = "",
                    created_by_id: int | None = None) -> tuple[WebhookEndpoint, str]:
    """The new endpoint and its secret (shown once)."""
    secret = signing.new_secret()
    endpoint = WebhookEndpoint(url=check_url(url), events=check_events(events), description=(description or "")[:200],
                               secret=secret, active=True, created_by_id=created_by_id)
    db.session.add(endpoint)
    db.session.flush()
    audit.record("webhook.create", endpoint, None)
    return endpoint, secret


def set_active(endpoint: WebhookEndpoint, active: bool) -> None:
    before = audit.snapshot(endpoint)
    endpoint.active = active
    audit.record("webhook.enable" if active else "webhook.disable", endpoint, before)


def delete_endpoint(endpoint: WebhookEndpoint) -> None:
    before = audit.snapshot(endpoint)
    audit.record("webhook.delete", endpoint, before, after=None)
    db.session.execute(delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id))
    db.session.delete(endpoint)


def deliveries(endpoint: WebhookEndpoint, limit: int = 100) -> list[WebhookDelivery]:
    return list(db.session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()).limit(limit)))


# --- events ---------------------------------------------------------------------------

def emit(event: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """Announce ``event`` to the current tenant's endpoints that subscribed to it."""
    if event not in EVENTS:
        raise ValueError(f"Unknown webhook event {event!r}")
    tenant = current_tenant()
    if tenant is None:
        raise RuntimeError("emit() needs a tenant")
    targets = [e for e in db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.active))
               if event in (e.events or [])]
    if not targets:
        return []
    now = utc_now()
    payload = {"id": str(uuid.uuid4()), "event": event, "created_at": now.isoformat(timespec="seconds") + "Z",
               "tenant": tenant.slug, "data": data}
    return [_queue(endpoint, payload) for endpoint in targets]


def resend(delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery's event again, as a new delivery with the same event id."""
    again = _queue(delivery.endpoint, delivery.payload)
    audit.record("webhook.resend", delivery.endpoint, None, after={"event": delivery.event,
                                                                   "event_id": delivery.event_id})
    return again


def _queue(endpoint: WebhookEndpoint, payload: dict[str, Any]) -> WebhookDelivery:
    delivery = WebhookDelivery(endpoint=endpoint, endpoint_id=endpoint.id, event_id=payload["id"],
                               event=payload["event"], payload=payload, status=DeliveryStatus.PENDING,
                               next_attempt_at=utc_now() + timedelta(seconds=FIRST_SAFETY_RETRY_SECONDS))
    db.session.add(delivery)
    db.session.flush()
    jobs.submit_after_commit(deliver, delivery.id)
    return delivery
