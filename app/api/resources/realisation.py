"""Realisations written by other systems (attendance machines, e-office):
the value of one IKI in one sub-period, with evidence links.

Written through the service the pegawai's form uses
(``app.skp.realisation.services`` and ``.evidence``), for the plan's owner
(``app.api.acting``): the same rules (the plan is agreed, the sub-period's
evaluation is not final, no negative value), the same audit entries — named
after the token — and the same notification to the penilai about new
evidence. ``If-Match`` guards a change as on the form."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api import schemas as s
from app.api.acting import owner_of
from app.api.auth import api_blueprint, requires
from app.api.paging import page
from app.api.writes import IDEMPOTENCY_KEY, IF_MATCH, check_if_match, etag, writes
from app.errors import Conflict, Invalid
from app.extensions import db
from app.skp.planning.models import Plan, PlanIndicator, PlanResult
from app.skp.realisation import evidence as evidence_service
from app.skp.realisation import services
from app.skp.realisation.models import EvidenceKind, Realisation

bp = api_blueprint("api_realisation", __name__,
                   description="Realisations (realisasi) of SKP indicators, with evidence links.")

_ETAG_HEADER = {"ETag": {"description": "The version, for If-Match", "schema": {"type": "string"}}}


def _plan_exists(view: Callable) -> Callable:
    """404 for another tenant's (or no) plan before the body is read: not a 422 about the body."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any):
        db.get_or_404(Plan, kwargs["plan_id"])
        return view(*args, **kwargs)

    return wrapped


def _answer(realisation: Realisation, status: int = 200, headers: dict[str, str] | None = None) -> tuple:
    return realisation, status, {"ETag": etag(realisation), **(headers or {})}


def _record(plan: Plan, indicator: PlanIndicator, period: Any, body: dict,
            current: Realisation | None) -> Realisation:
    owner = owner_of(plan.employee_id)
    realisation = services.save(owner, plan, indicator, period, services.RealisationData(
        body["value"], body.get("note"), current.version if current is not None else None))
    db.session.flush()
    attached = {e.url for e in realisation.evidence if e.kind is EvidenceKind.LINK}
    for index, link in enumerate(body.get("evidence_links") or []):
        try:
            url = evidence_service.check_url(link["url"])
        except Invalid as exc:
            raise Invalid(exc.message, f"evidence_links.{index}.url") from None
        if url in attached:
            continue
        evidence_service.add_link(owner, plan, indicator, period, url, link.get("title"))
        attached.add(url)
    db.session.flush()
    db.session.refresh(realisation)
    return realisation


# --- read ---------------------------------------------------------------------------------

@bp.route("/plans/<int:plan_id>/realisations")
@requires("skp:read")
@bp.arguments(s.RealisationArgs, location="query")
@bp.response(200, s.RealisationPage)
def realisations(args, plan_id):
    """List a plan's realisations"""
    plan = db.get_or_404(Plan, plan_id)
    query = (select(Realisation).join(PlanIndicator, Realisation.indicator_id == PlanIndicator.id)
             .join(PlanResult, PlanIndicator.result_id == PlanResult.id).where(PlanResult.plan_id == plan.id)
             .options(selectinload(Realisation.evidence)))
    if args["period"] is not None:
        query = query.where(Realisation.period_id == args["period"])
    return page(query, Realisation.id, args)


@bp.route("/realisations/<int:realisation_id>")
@requires("skp:read")
@bp.response(200, s.Realisation, headers=_ETAG_HEADER)
def realisation(realisation_id):
    """Get a realisation with its evidence"""
    return _answer(db.get_or_404(Realisation, realisation_id))


# --- write --------------------------------------------------------------------------------

@bp.route("/plans/<int:plan_id>/realisations", methods=["POST"])
@bp.doc(parameters=[IDEMPOTENCY_KEY])
@requires("skp:write")
@writes
@_plan_exists
@bp.arguments(s.RealisationIn)
@bp.response(201, s.Realisation, headers={**_ETAG_HEADER, "Location": {"schema": {"type": "string"}}})
def realisation_create(body, plan_id):
    """Record a realisation

    The value of one IKI (`indicator_id`) in one sub-period (`period_id`) of
    an agreed plan, with optional evidence links. 409 when that IKI already
    has a realisation in that sub-period (change it with PUT); 403 when the
    plan is not agreed or the sub-period's evaluation is final."""
    plan = db.get_or_404(Plan, plan_id)
    indicator = services.indicator_of_plan(plan, body["indicator_id"])
    if indicator is None:
        raise Invalid(_("IKI ini bukan bagian dari SKP tersebut."), "indicator_id")
    period = services.period_of_plan(plan, body["period_id"])
    if period is None:
        raise Invalid(_("Periode ini bukan periode penilaian SKP tersebut."), "period_id")
    if services.find(indicator, period) is not None:
        raise Conflict(_("Realisasi IKI ini untuk periode tersebut sudah ada; ubah dengan PUT."))
    created = _record(plan, indicator, period, body, None)
    location = url_for("api_realisation.realisation", realisation_id=created.id)
    return _answer(created, 201, {"Location": location})


@bp.route("/realisations/<int:realisation_id>", methods=["PUT"])
@bp.doc(parameters=[IF_MATCH])
@requires("skp:write")
@writes
@bp.arguments(s.RealisationPut)
@bp.response(200, s.Realisation, headers=_ETAG_HEADER)
def realisation_update(body, realisation_id):
    """Change a realisation

    Replaces the value and note; evidence links are added (one already
    attached is skipped, none is removed). Needs `If-Match` with the ETag
    from a GET: 428 without it, 412 when it changed meanwhile."""
    current = db.get_or_404(Realisation, realisation_id)
    check_if_match(current)
    indicator = current.indicator
    plan = indicator.result.plan
    return _answer(_record(plan, indicator, current.period, body, current))

