"""Integrations: the SIASN export status of final results (and sending one),
and webhook endpoints with their deliveries — through the services behind
the admin instansi's screens (``app.siasn.sender``, ``app.webhooks.services``)."""

from __future__ import annotations

from typing import Any

from flask import abort, g, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.api import schemas as s
from app.api.auth import api_blueprint, requires
from app.api.paging import page
from app.api.writes import IDEMPOTENCY_KEY, writes
from app.auth.models import User
from app.errors import Forbidden
from app.extensions import db
from app.siasn import sender
from app.siasn.models import ExportStatus, SiasnExport
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.webhooks import services as webhooks
from app.webhooks.models import WebhookDelivery, WebhookEndpoint

bp = api_blueprint("api_integrations", __name__,
                   description="The SIASN export of final results, and webhooks.")


# --- SIASN --------------------------------------------------------------------------------

def _status(evaluation: Evaluation, export: SiasnExport | None) -> dict[str, Any]:
    row: dict[str, Any] = {"evaluation_id": evaluation.id, "employee_id": evaluation.plan.employee_id,
                           "period_id": evaluation.period_id, "status": ExportStatus.PENDING.value,
                           "remote_id": None, "attempts": 0, "last_error": None, "last_attempt_at": None,
                           "next_attempt_at": None, "sent_at": None}
    if export is not None:
        row.update(status=export.status.value, remote_id=export.remote_id, attempts=export.attempts,
                   last_error=export.last_error, last_attempt_at=export.last_attempt_at,
                   next_attempt_at=export.next_attempt_at, sent_at=export.sent_at)
    return row


def _final(evaluation_id: int) -> Evaluation:
    evaluation = db.get_or_404(Evaluation, evaluation_id)
    if evaluation.status is not EvaluationStatus.FINAL:
        abort(404)  # only final results have a SIASN status
    return evaluation


@bp.route("/siasn/exports")
@requires("siasn:export")
@bp.arguments(s.SiasnExportArgs, location="query")
@bp.response(200, s.SiasnExportPage)
def siasn_exports(args):
    """List the SIASN status of final results

    One item per final evaluation: `pending` (belum dikirim), `queued`,
    `sent` (with SIASN's id) or `failed` (with SIASN's answer)."""
    query = (sender.finals(args["period"]).options(joinedload(Evaluation.plan))
             .outerjoin(SiasnExport, SiasnExport.evaluation_id == Evaluation.id))
    condition = sender.failed_or_pending_filter(args["status"])
    if condition is not None:
        query = query.where(condition)
    result = page(query, Evaluation.id, args)
    ids = [evaluation.id for evaluation in result["items"]]
    exports = {e.evaluation_id: e for e in db.session.scalars(
        select(SiasnExport).where(SiasnExport.evaluation_id.in_(ids)))} if ids else {}
    result["items"] = [_status(evaluation, exports.get(evaluation.id)) for evaluation in result["items"]]
    return result


@bp.route("/siasn/exports/<int:evaluation_id>")
@requires("siasn:export")
@bp.response(200, s.SiasnExport)
def siasn_export(evaluation_id):
    """Get the SIASN status of a final result"""
    evaluation = _final(evaluation_id)
    return _status(evaluation, sender.export_for(evaluation))


def _issuing_admin() -> User:
    """The Dokumen Evaluasi sent with a result is issued by an admin instansi:
    the one who made the token."""
    token = g.api_token
    user = db.session.get(User, token.created_by_id) if token.created_by_id else None
    if user is None or not user.active or not user.is_admin:
        raise Forbidden(_("Pengiriman ke SIASN memerlukan token yang dibuat oleh admin instansi yang masih aktif "
                          "(dokumen evaluasi diterbitkan atas namanya). Buat token dari halaman Token API."))
    return user


@bp.route("/siasn/exports/<int:evaluation_id>/send", methods=["POST"])
@bp.doc(parameters=[IDEMPOTENCY_KEY])
@requires("siasn:export")
@writes
@bp.response(202, s.SiasnExport)
def siasn_send(evaluation_id):
    """Send a final result to SIASN

    Queues it (`queued`); the job sends the SIASN body with the Dokumen
    Evaluasi and records the answer. Needs SIASN's address and credentials
    in the settings, a result ready for SIASN (422 says what is missing), and
    a token made by an admin instansi (403 otherwise)."""
    evaluation = _final(evaluation_id)
    export = sender.queue_one(_issuing_admin(), evaluation)
    return _status(evaluation, export), 202


# --- webhooks -----------------------------------------------------------------------------

@bp.route("/webhooks")
@requires("webhooks:manage")
@bp.arguments(s.PageArgs, location="query")
@bp.response(200, s.WebhookEndpointPage)
def webhook_endpoints(args):
    """List webhook endpoints"""
    return page(select(WebhookEndpoint), WebhookEndpoint.id, args)


@bp.route("/webhooks", methods=["POST"])
@bp.doc(parameters=[IDEMPOTENCY_KEY])
@requires("webhooks:manage")
@writes
@bp.arguments(s.WebhookEndpointIn)
@bp.response(201, s.WebhookEndpointCreated, headers={"Location": {"schema": {"type": "string"}}})
def webhook_create(body):
    """Register a webhook endpoint

    The answer carries the signing `secret`, once: it is never shown again.
    Events: plan.agreed, evaluation.finalised, objection.decided,
    complaint.received, import.finished, siasn.sent."""
    endpoint, secret = webhooks.create_endpoint(body["url"], body["events"], body["description"],
                                                created_by_id=g.api_token.created_by_id)
    answer = {name: getattr(endpoint, name) for name in s.WebhookEndpoint().fields} | {"secret": secret}
    return answer, 201, {"Location": url_for("api_integrations.webhook_endpoint", endpoint_id=endpoint.id)}


@bp.route("/webhooks/<int:endpoint_id>")
@requires("webhooks:manage")
@bp.response(200, s.WebhookEndpoint)
def webhook_endpoint(endpoint_id):
    """Get a webhook endpoint"""
    return db.get_or_404(WebhookEndpoint, endpoint_id)


def _set_active(endpoint_id: int, active: bool) -> WebhookEndpoint:
    endpoint = db.get_or_404(WebhookEndpoint, endpoint_id)
    if endpoint.active != active:
        webhooks.set_active(endpoint, active)
    return endpoint


@bp.route("/webhooks/<int:endpoint_id>/disable", methods=["POST"])
@requires("webhooks:manage")
@writes
@bp.response(200, s.WebhookEndpoint)
def webhook_disable(endpoint_id):
    """Disable a webhook endpoint (no more deliveries; pending ones fail)"""
    return _set_active(endpoint_id, False)


@bp.route("/webhooks/<int:endpoint_id>/enable", methods=["POST"])
@requires("webhooks:manage")
@writes
@bp.response(200, s.WebhookEndpoint)
def webhook_enable(endpoint_id):
    """Enable a webhook endpoint again"""
    return _set_active(endpoint_id, True)


@bp.route("/webhooks/<int:endpoint_id>/deliveries")
@requires("webhooks:manage")
@bp.arguments(s.PageArgs, location="query")
@bp.response(200, s.WebhookDeliveryPage)
def webhook_deliveries(args, endpoint_id):
    """List an endpoint's deliveries (oldest first), with each last answer"""
    endpoint = db.get_or_404(WebhookEndpoint, endpoint_id)
    return page(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id), WebhookDelivery.id, args)


@bp.route("/webhooks/deliveries/<int:delivery_id>/resend", methods=["POST"])
@bp.doc(parameters=[IDEMPOTENCY_KEY])
@requires("webhooks:manage")
@writes
@bp.response(202, s.WebhookDelivery)
def webhook_resend(delivery_id):
    """Send a delivery's event again (a new delivery with the same event id)"""
    delivery = db.get_or_404(WebhookDelivery, delivery_id)
    return webhooks.resend(delivery), 202
