"""Marshmallow schemas of the API: the same classes validate requests and
generate the OpenAPI document (flask-smorest)."""

from __future__ import annotations

import re
from datetime import UTC

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import validate

from app.api.paging import MAX_ID, PageArgs, page_schema
from app.org.models import PositionKind, UnitKind
from app.org.nip import EmployeeType, Sex
from app.periods.models import PeriodKind
from app.skp.evaluation.models import EvaluationStatus
from app.skp.objections.models import ObjectionStatus
from app.skp.planning.models import PlanStatus

Id = ma.fields.Integer
_ID_RANGE = validate.Range(1, MAX_ID)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def plain_text(value: str) -> None:
    """No control characters (PostgreSQL refuses NUL) and no lone surrogates
    (a JSON body may carry them; no database can store them)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ma.ValidationError(str(_l("Teks mengandung karakter yang tidak sah."))) from None
    if _CONTROL.search(value):
        raise ma.ValidationError(str(_l("Teks mengandung karakter yang tidak sah.")))


class UtcDateTime(ma.fields.DateTime):
    """A timestamp column (naive UTC) as ISO 8601 with its offset: ``2026-04-05T01:02:03+00:00``."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


def Text(*, length: validate.Length, **kwargs) -> ma.fields.String:  # noqa: N802 - reads as a field class
    return ma.fields.String(validate=[length, plain_text], **kwargs)


def _id_filter(description: str) -> ma.fields.Integer:
    return ma.fields.Integer(load_default=None, validate=_ID_RANGE, metadata={"description": description})


def _choice(enum_cls, description: str = "") -> ma.fields.String:
    return ma.fields.String(load_default=None, validate=validate.OneOf([m.value for m in enum_cls]),
                            metadata={"description": description})


class Problem(ma.Schema):
    """An RFC 9457 problem: every error answer of the API."""

    type = ma.fields.String(metadata={"description": "about:blank#<kind>"})
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    field = ma.fields.String(metadata={"description": "The input the message belongs to."})
    errors = ma.fields.Dict(metadata={"description": "Per-field messages (validation errors)."})
    scope = ma.fields.String(metadata={"description": "The scope the token lacks (403)."})


# --- the organisation -----------------------------------------------------------------

class Unit(ma.Schema):
    id = Id()
    code = ma.fields.String()
    name = ma.fields.String()
    kind = ma.fields.Enum(UnitKind, by_value=True)
    parent_id = Id(allow_none=True)
    active = ma.fields.Boolean()


class Position(ma.Schema):
    id = Id()
    code = ma.fields.String()
    name = ma.fields.String()
    kind = ma.fields.Enum(PositionKind, by_value=True)
    grade = ma.fields.String(allow_none=True)
    unit_id = Id()
    reports_to_id = Id(allow_none=True)
    active = ma.fields.Boolean()


class Employee(ma.Schema):
    id = Id()
    nip = ma.fields.String()
    name = ma.fields.String()
    sex = ma.fields.Enum(Sex, by_value=True)
    employee_type = ma.fields.Enum(EmployeeType, by_value=True)
    position_id = Id(allow_none=True)
    unit_id = ma.fields.Function(lambda e: e.position.unit_id if e.position else None,
                                 metadata={"type": "integer", "nullable": True})
    email = ma.fields.String(allow_none=True)
    rank_code = ma.fields.String(allow_none=True)
    rank_tmt = ma.fields.Date(allow_none=True)
    active = ma.fields.Boolean()
    version = ma.fields.Integer(metadata={"description": "Send it back as If-Match: \"<version>\" to update."})


_TEXT = validate.Length(min=1, max=200)


class EmployeeIn(ma.Schema):
    nip = Text(required=True, length=validate.Length(min=1, max=25))
    name = Text(required=True, length=_TEXT)
    sex = ma.fields.String(required=True, validate=validate.OneOf([s.value for s in Sex]))
    employee_type = ma.fields.String(required=True, validate=validate.OneOf([t.value for t in EmployeeType]))
    position_id = ma.fields.Integer(load_default=None, allow_none=True, validate=_ID_RANGE)
    email = ma.fields.Email(load_default=None, allow_none=True, validate=[validate.Length(max=200), plain_text])


class EmployeePatch(EmployeeIn):
    """Only the fields to change (used with ``partial=True``)."""


class UnitArgs(PageArgs):
    active = ma.fields.Boolean(load_default=None)


class PositionArgs(PageArgs):
    active = ma.fields.Boolean(load_default=None)
    unit = _id_filter("Only positions of this unit.")


class EmployeeArgs(PageArgs):
    active = ma.fields.Boolean(load_default=None)
    unit = _id_filter("Only employees whose position is in this unit.")
    q = Text(load_default=None, length=validate.Length(min=1, max=100),
                         metadata={"description": "Start of the name, or of the NIP (digits)."})


# --- the calendar ------------------------------------------------------------------------

class Period(ma.Schema):
    id = Id()
    year = ma.fields.Integer()
    kind = ma.fields.Enum(PeriodKind, by_value=True)
    sequence = ma.fields.Integer()
    label = ma.fields.String()
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    parent_id = Id(allow_none=True)


class PeriodArgs(PageArgs):
    year = ma.fields.Integer(load_default=None, validate=validate.Range(1900, 2100))
    kind = _choice(PeriodKind)


# --- SKP ---------------------------------------------------------------------------------

class Indicator(ma.Schema):
    id = Id()
    indicator_code = ma.fields.String(allow_none=True)
    name = ma.fields.String()
    aspect = ma.fields.String()
    direction = ma.fields.String()
    unit = ma.fields.String()
    target_lower = ma.fields.Float()
    target_upper = ma.fields.Float()
    position = ma.fields.Integer()


class Result(ma.Schema):
    """An RHK (rencana hasil kerja) and its IKI."""

    id = Id()
    kind = ma.fields.String()
    description = ma.fields.String()
    supports_id = Id(allow_none=True, metadata={"description": "The supervisor's RHK this one supports."})
    position = ma.fields.Integer()
    indicators = ma.fields.List(ma.fields.Nested(Indicator))


class Behaviour(ma.Schema):
    behaviour_code = ma.fields.String()
    name = ma.fields.String()
    expectation = ma.fields.String(allow_none=True)


class Plan(ma.Schema):
    id = Id()
    employee_id = Id()
    period_id = Id()
    status = ma.fields.Enum(PlanStatus, by_value=True)
    assigned_penilai_id = Id(allow_none=True)
    position_name = ma.fields.String()
    unit_name = ma.fields.String()
    submitted_at = UtcDateTime(allow_none=True)
    agreed_at = UtcDateTime(allow_none=True)
    results = ma.fields.List(ma.fields.Nested(Result))
    behaviours = ma.fields.List(ma.fields.Nested(Behaviour))


class PlanArgs(PageArgs):
    employee = _id_filter("Only this employee's plans.")
    period = _id_filter("Only plans of this year period.")
    status = _choice(PlanStatus)


class Evaluation(ma.Schema):
    id = Id()
    plan_id = Id()
    employee_id = ma.fields.Function(lambda e: e.plan.employee_id, metadata={"type": "integer"})
    period_id = Id()
    status = ma.fields.Enum(EvaluationStatus, by_value=True)
    evaluator_id = Id(allow_none=True)
    score = ma.fields.Decimal(as_string=True, allow_none=True, metadata={"description": "Exact, two places."})
    predikat_code = ma.fields.String(allow_none=True)
    predikat_label = ma.fields.String(allow_none=True)
    rule_set_code = ma.fields.String(allow_none=True)
    rule_set_version = ma.fields.String(allow_none=True)
    finalised_at = UtcDateTime(allow_none=True)
    delivered_on = ma.fields.Date(allow_none=True)
    trace = ma.fields.Dict(attribute="result", metadata={"description": "The scoring trace of the rule set."})


class EvaluationArgs(PageArgs):
    employee = _id_filter("Only this employee's evaluations.")
    period = _id_filter("Only evaluations of this period.")
    plan = _id_filter("Only evaluations of this plan.")
    status = _choice(EvaluationStatus, "final: the final results.")


class Objection(ma.Schema):
    id = Id()
    evaluation_id = Id()
    status = ma.fields.Enum(ObjectionStatus, by_value=True)
    lodged_at = UtcDateTime()
    deadline = ma.fields.Date()
    reasons = ma.fields.String()
    decider_id = Id(allow_none=True)
    decision_reasons = ma.fields.String(allow_none=True)
    original_predikat_code = ma.fields.String(allow_none=True)
    new_predikat_code = ma.fields.String(allow_none=True)
    new_score = ma.fields.Decimal(as_string=True, allow_none=True)
    decided_at = UtcDateTime(allow_none=True)


class ObjectionArgs(PageArgs):
    evaluation = _id_filter("Only objections to this evaluation.")
    status = _choice(ObjectionStatus)


UnitPage = page_schema(Unit, "UnitPage")
PositionPage = page_schema(Position, "PositionPage")
EmployeePage = page_schema(Employee, "EmployeePage")
PeriodPage = page_schema(Period, "PeriodPage")
PlanPage = page_schema(Plan, "PlanPage")
EvaluationPage = page_schema(Evaluation, "EvaluationPage")
ObjectionPage = page_schema(Objection, "ObjectionPage")


# --- bulk upsert of employees ----------------------------------------------------------

def _cell(required: bool = False) -> ma.fields.String:
    """A value of an import column (a spreadsheet cell): text; null reads as empty."""
    return ma.fields.String(required=required, allow_none=True, validate=[validate.Length(max=1000), plain_text])


class BulkEmployeeRow(ma.Schema):
    """One employee, with the employee import's columns (the upload page documents each)."""

    nip = _cell(required=True)
    nama = _cell(required=True)
    jenis_kelamin = _cell(required=True)
    jenis_asn = _cell(required=True)
    kode_jabatan = _cell()
    email = _cell()
    pangkat = _cell()
    tmt_pangkat = _cell()


class BulkEmployeesIn(ma.Schema):
    rows = ma.fields.List(ma.fields.Nested(BulkEmployeeRow), required=True,
                          validate=validate.Length(min=1),
                          metadata={"description": "1 to 1,000 rows; every row with the same fields.",
                                    "maxItems": 1000})
    dry_run = ma.fields.Boolean(load_default=False,
                                metadata={"description": "Only check and report; write nothing."})

    @ma.pre_load
    def _not_too_many(self, data, **kwargs):
        from app.api.bulk import MAX_ROWS

        if isinstance(data, dict) and isinstance(data.get("rows"), list) and len(data["rows"]) > MAX_ROWS:
            raise ma.ValidationError(str(_l("Paling banyak %(n)d baris per permintaan; kirim dalam beberapa "
                                            "permintaan.", n=MAX_ROWS)), "rows")
        return data


class BulkRowReport(ma.Schema):
    index = ma.fields.Integer(metadata={"description": "The row's index in `rows` (from 0)."})
    nip = ma.fields.String()
    action = ma.fields.String(metadata={"description": "create, update, unchanged or error"})
    changes = ma.fields.List(ma.fields.String(), metadata={"description": "The fields an update changes."})
    errors = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.String()),
                            metadata={"description": "Messages per field (`_row`: the row as a whole)."})


class BulkReport(ma.Schema):
    written = ma.fields.Boolean(metadata={"description": "False for a dry run."})
    counts = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    rows = ma.fields.List(ma.fields.Nested(BulkRowReport))


class BulkProblem(Problem):
    """A bulk upsert with an error in some row: nothing was written."""

    counts = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    rows = ma.fields.List(ma.fields.Nested(BulkRowReport))


# --- realisations ----------------------------------------------------------------------

_URL = validate.Length(min=1, max=1000)


class EvidenceLinkIn(ma.Schema):
    url = Text(required=True, length=_URL, metadata={"description": "http(s) address of the evidence."})
    title = ma.fields.String(load_default=None, allow_none=True,
                             validate=[validate.Length(max=200), plain_text])


class Evidence(ma.Schema):
    id = Id()
    kind = ma.fields.String()
    url = ma.fields.String(allow_none=True)
    title = ma.fields.String(attribute="original_name", allow_none=True)
    review = ma.fields.String()
    uploaded_at = UtcDateTime()


class Realisation(ma.Schema):
    id = Id()
    plan_id = ma.fields.Function(lambda r: r.indicator.result.plan_id, metadata={"type": "integer"})
    indicator_id = Id()
    period_id = Id()
    value = ma.fields.Float(allow_none=True)
    note = ma.fields.String(allow_none=True)
    updated_at = UtcDateTime()
    version = ma.fields.Integer(metadata={"description": "Send it back as If-Match: \"<version>\" to update."})
    evidence = ma.fields.List(ma.fields.Nested(Evidence))


_VALUE = validate.Range(min=0, max=10**12)
_LINKS = validate.Length(max=20)


class RealisationIn(ma.Schema):
    indicator_id = ma.fields.Integer(required=True, validate=_ID_RANGE, metadata={"description": "The IKI."})
    period_id = ma.fields.Integer(required=True, validate=_ID_RANGE,
                                  metadata={"description": "A sub-period of the plan's year (or the year)."})
    value = ma.fields.Float(required=True, allow_nan=False, validate=_VALUE,
                            metadata={"description": "The realisation within the sub-period, in the IKI's unit."})
    note = ma.fields.String(load_default=None, allow_none=True, validate=[validate.Length(max=2000), plain_text])
    evidence_links = ma.fields.List(ma.fields.Nested(EvidenceLinkIn), load_default=list, validate=_LINKS,
                                    metadata={"description": "Up to 20 links; one already attached is skipped."})


class RealisationPut(ma.Schema):
    value = ma.fields.Float(required=True, allow_nan=False, validate=_VALUE)
    note = ma.fields.String(load_default=None, allow_none=True, validate=[validate.Length(max=2000), plain_text])
    evidence_links = ma.fields.List(ma.fields.Nested(EvidenceLinkIn), load_default=list, validate=_LINKS)


class RealisationArgs(PageArgs):
    period = _id_filter("Only this sub-period's realisations.")


RealisationPage = page_schema(Realisation, "RealisationPage")


# --- SIASN -------------------------------------------------------------------------------

class SiasnExport(ma.Schema):
    """The SIASN status of one final evaluation."""

    evaluation_id = Id()
    employee_id = Id()
    period_id = Id()
    status = ma.fields.String(metadata={"description": "pending (belum dikirim), queued, sent or failed"})
    remote_id = ma.fields.String(allow_none=True, metadata={"description": "The id SIASN returned."})
    attempts = ma.fields.Integer()
    last_error = ma.fields.String(allow_none=True)
    last_attempt_at = UtcDateTime(allow_none=True)
    next_attempt_at = UtcDateTime(allow_none=True)
    sent_at = UtcDateTime(allow_none=True)


class SiasnExportArgs(PageArgs):
    period = _id_filter("Only final evaluations of this period.")
    status = ma.fields.String(load_default=None, validate=validate.OneOf(["pending", "queued", "sent", "failed"]))


SiasnExportPage = page_schema(SiasnExport, "SiasnExportPage")


# --- webhooks ------------------------------------------------------------------------------

class WebhookEndpoint(ma.Schema):
    id = Id()
    url = ma.fields.String()
    description = ma.fields.String()
    events = ma.fields.List(ma.fields.String())
    active = ma.fields.Boolean()
    created_at = UtcDateTime()


class WebhookEndpointCreated(WebhookEndpoint):
    secret = ma.fields.String(metadata={"description": "Shown in this answer only: keep it to verify signatures."})


class WebhookEndpointIn(ma.Schema):
    url = Text(required=True, length=validate.Length(min=1, max=500))
    events = ma.fields.List(ma.fields.String(validate=validate.Length(max=50)), required=True,
                            validate=validate.Length(min=1, max=20))
    description = ma.fields.String(load_default="", validate=[validate.Length(max=200), plain_text])


class WebhookDelivery(ma.Schema):
    id = Id()
    endpoint_id = Id()
    event_id = ma.fields.String()
    event = ma.fields.String()
    status = ma.fields.String(metadata={"description": "pending, delivered or failed"})
    attempts = ma.fields.Integer()
    response_code = ma.fields.Integer(allow_none=True)
    response_excerpt = ma.fields.String()
    error = ma.fields.String()
    created_at = UtcDateTime()
    last_attempt_at = UtcDateTime(allow_none=True)
    next_attempt_at = UtcDateTime(allow_none=True)


WebhookEndpointPage = page_schema(WebhookEndpoint, "WebhookEndpointPage")
WebhookDeliveryPage = page_schema(WebhookDelivery, "WebhookDeliveryPage")
