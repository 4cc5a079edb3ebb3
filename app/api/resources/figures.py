"""Figures, read: the IKM per unit and complaint statistics (the admin's own,
unsuppressed figures, from ``app.publik``), and the audit chain's state."""

from __future__ import annotations

import marshmallow as ma
from flask import g
from marshmallow import validate
from sqlalchemy import select

from app import audit
from app.api.auth import api_blueprint, requires
from app.extensions import db
from app.org.models import Unit
from app.publik import complaints, surveys
from app.publik.periods import ReportingPeriod
from app.tenancy import tenant_today

bp = api_blueprint("api_figures", __name__, description="IKM, complaint statistics, audit chain status.")


class PeriodArgs(ma.Schema):
    year = ma.fields.Integer(load_default=None, validate=validate.Range(2000, 2100),
                             metadata={"description": "Default: this year."})
    quarter = ma.fields.Integer(load_default=None, validate=validate.Range(0, 4),
                                metadata={"description": "1-4 for a calendar quarter, 0 for the whole year. "
                                                         "Default: this quarter."})


class ReportingPeriodOut(ma.Schema):
    label = ma.fields.String()
    year = ma.fields.Integer()
    quarter = ma.fields.Integer()
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()


class UnitIkm(ma.Schema):
    unit_id = ma.fields.Integer()
    unit_code = ma.fields.String()
    unit_name = ma.fields.String()
    respondents = ma.fields.Integer()
    ikm = ma.fields.Decimal(as_string=True, metadata={"description": "The index, two places (0-100)."})
    band = ma.fields.String(metadata={"description": "Mutu pelayanan A-D."})
    band_label = ma.fields.String()
    element_means = ma.fields.List(ma.fields.Decimal(as_string=True), metadata={"description": "NRR U1-U9."})


class IkmOut(ma.Schema):
    period = ma.fields.Nested(ReportingPeriodOut)
    items = ma.fields.List(ma.fields.Nested(UnitIkm))


class UnitComplaints(ma.Schema):
    unit_id = ma.fields.Integer()
    received = ma.fields.Integer()
    resolved = ma.fields.Integer()
    median_resolution_days = ma.fields.Float(allow_none=True)


class ComplaintStatsOut(ma.Schema):
    period = ma.fields.Nested(ReportingPeriodOut)
    received = ma.fields.Integer()
    resolved = ma.fields.Integer()
    median_resolution_days = ma.fields.Float(allow_none=True)
    units = ma.fields.List(ma.fields.Nested(UnitComplaints))


class AuditStatus(ma.Schema):
    ok = ma.fields.Boolean()
    entries = ma.fields.Integer()
    head_seq = ma.fields.Integer()
    head_hash = ma.fields.String()
    bad_seq = ma.fields.Integer(allow_none=True, metadata={"description": "The first broken entry."})
    problem = ma.fields.String(allow_none=True)


def _period(args: dict) -> ReportingPeriod:
    today = tenant_today()
    year = args["year"] or today.year
    quarter = args["quarter"] if args["quarter"] is not None else (today.month - 1) // 3 + 1
    return ReportingPeriod.for_publication(year, quarter)


@bp.route("/publik/ikm")
@requires("publik:read")
@bp.arguments(PeriodArgs, location="query")
@bp.response(200, IkmOut)
def ikm(args):
    """IKM per unit for a quarter or a year (units with responses)"""
    period = _period(args)
    results = surveys.ikm_by_unit(period)
    units = db.session.scalars(select(Unit).where(Unit.id.in_(list(results))).order_by(Unit.name)).all() if results else []
    items = [{"unit_id": u.id, "unit_code": u.code, "unit_name": u.name, "respondents": results[u.id].respondents,
              "ikm": results[u.id].index, "band": results[u.id].band.code, "band_label": results[u.id].band.label,
              "element_means": list(results[u.id].element_means)} for u in units]
    return {"period": period, "items": items}


@bp.route("/publik/complaints/stats")
@requires("publik:read")
@bp.arguments(PeriodArgs, location="query")
@bp.response(200, ComplaintStatsOut)
def complaint_stats(args):
    """Complaint statistics for a quarter or a year, overall and per unit"""
    period = _period(args)
    stats = complaints.complaint_stats(period)
    units = [{"unit_id": unit_id, "received": received, "resolved": resolved, "median_resolution_days": median}
             for unit_id, (received, resolved, median) in sorted(stats.by_unit.items())]
    return {"period": period, "received": stats.received, "resolved": stats.resolved,
            "median_resolution_days": stats.median_resolution_days, "units": units}


@bp.route("/audit/verification")
@requires("org:read")
@bp.response(200, AuditStatus)
def audit_verification():
    """Verify the tenant's audit chain now

    Walks the whole hash chain; `ok` is false with the first broken entry
    when an entry was altered or removed."""
    result = audit.verify(g.tenant)
    return {"ok": result.ok, "entries": result.count, "head_seq": result.head_seq, "head_hash": result.head_hash,
            "bad_seq": result.bad_seq, "problem": result.problem}
