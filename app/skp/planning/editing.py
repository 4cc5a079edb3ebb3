"""Writing a plan: its RHK, their IKI and the plan's attachments (lampiran).

Every function checks that the user may change the plan and that the form is
current (``guards.check_editable``), audits before → after, bumps the plan's
version and leaves the commit to the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app import audit
from app.auth.models import User
from app.errors import Invalid
from app.extensions import db
from app.regions.types import Aspect, Direction, RuleSet
from app.skp.planning.guards import audit_child, check_editable, touch
from app.skp.planning.models import Plan, PlanIndicator, PlanResult, ResultKind
from app.skp.planning.plans import supervisor_results
from app.tenancy import tenant_rules

# --- RHK ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ResultData:
    kind: str
    description: str
    supports_id: int | None = None


def _clean_result(plan: Plan, data: ResultData) -> ResultData:
    description = (data.description or "").strip()
    if not description:
        raise Invalid(_l("Uraian RHK wajib diisi."), "description")
    if data.kind not in {k.value for k in ResultKind}:
        raise Invalid(_l("Pilih jenis RHK."), "kind")
    if data.supports_id is not None and data.supports_id not in {r.id for r in supervisor_results(plan)}:
        raise Invalid(_l("RHK atasan yang dipilih bukan bagian dari SKP pejabat penilai tahun ini."),
                      "supports_id")
    return ResultData(data.kind, description, data.supports_id)


def add_result(user: User, plan: Plan, version: int | None, data: ResultData) -> PlanResult:
    check_editable(user, plan, version)
    data = _clean_result(plan, data)
    position = max((r.position for r in plan.results), default=-1) + 1
    result = PlanResult(kind=ResultKind(data.kind), description=data.description,
                        supports_id=data.supports_id, position=position)
    plan.results.append(result)
    touch(plan)
    db.session.flush()
    audit_child("plan_result.create", result, plan, None)
    return result


def update_result(user: User, result: PlanResult, version: int | None, data: ResultData) -> PlanResult:
    plan = result.plan
    check_editable(user, plan, version)
    data = _clean_result(plan, data)
    before = audit.snapshot(result)
    result.kind, result.description, result.supports_id = ResultKind(data.kind), data.description, data.supports_id
    touch(plan)
    audit_child("plan_result.update", result, plan, before)
    return result


def delete_result(user: User, result: PlanResult, version: int | None) -> None:
    plan = result.plan
    check_editable(user, plan, version)
    for indicator in result.indicators:
        audit_child("plan_indicator.delete", indicator, plan, audit.snapshot(indicator), None)
    audit_child("plan_result.delete", result, plan, audit.snapshot(result), None)
    plan.results.remove(result)
    touch(plan)
    db.session.flush()


# --- IKI ------------------------------------------------------------------------------

@dataclass(frozen=True)
class IndicatorData:
    """An IKI as entered: ``indicator_code`` picks one from the library (its
    name, aspect, direction and unit then come from there, and its default
    target fills an empty target); without it the employee's own IKI."""

    indicator_code: str | None
    name: str
    aspect: str
    direction: str
    unit: str
    target_lower: float | None
    target_upper: float | None = None


def _clean_indicator(data: IndicatorData, rule_set: RuleSet) -> IndicatorData:
    lower, upper = data.target_lower, data.target_upper
    if data.indicator_code:
        library = rule_set.indicator(data.indicator_code)
        if library is None:
            raise Invalid(_l("Indikator %(code)s tidak ada di pustaka daerah.", code=data.indicator_code),
                            "indicator_code")
        if lower is None and upper is None and library.target is not None:
            lower, upper = library.target.lower, library.target.upper
        data = IndicatorData(library.code, library.name, library.aspect.value, library.direction.value,
                             library.unit, lower, upper)
    else:
        if not (data.name or "").strip():
            raise Invalid(_l("Nama IKI wajib diisi (atau pilih dari pustaka indikator)."), "name")
        if data.aspect not in {a.value for a in Aspect}:
            raise Invalid(_l("Pilih aspek IKI."), "aspect")
        if data.direction not in {d.value for d in Direction}:
            raise Invalid(_l("Pilih arah penilaian IKI."), "direction")
        if not (data.unit or "").strip():
            raise Invalid(_l("Satuan target wajib diisi, misalnya dokumen, %, hari."), "unit")
        data = IndicatorData(None, data.name.strip(), data.aspect, data.direction, data.unit.strip(),
                             lower, upper)
    if lower is None:
        raise Invalid(_l("Target wajib diisi."), "target_lower")
    if upper is None:
        upper = lower
    if lower <= 0:
        raise Invalid(_l("Target harus lebih dari nol."), "target_lower")
    if upper < lower:
        raise Invalid(_l("Batas atas target tidak boleh lebih kecil dari batas bawah."), "target_upper")
    return IndicatorData(data.indicator_code, data.name, data.aspect, data.direction, data.unit,
                         float(lower), float(upper))


def add_indicator(user: User, result: PlanResult, version: int | None, data: IndicatorData) -> PlanIndicator:
    plan = result.plan
    check_editable(user, plan, version)
    data = _clean_indicator(data, tenant_rules().rule_set)
    position = max((i.position for i in result.indicators), default=-1) + 1
    indicator = PlanIndicator(indicator_code=data.indicator_code, name=data.name, aspect=data.aspect,
                              direction=data.direction, unit=data.unit, target_lower=data.target_lower,
                              target_upper=data.target_upper, position=position)
    result.indicators.append(indicator)
    touch(plan)
    db.session.flush()
    audit_child("plan_indicator.create", indicator, plan, None)
    return indicator


def update_indicator(user: User, indicator: PlanIndicator, version: int | None,
                     data: IndicatorData) -> PlanIndicator:
    plan = indicator.result.plan
    check_editable(user, plan, version)
    data = _clean_indicator(data, tenant_rules().rule_set)
    before = audit.snapshot(indicator)
    for name in ("indicator_code", "name", "aspect", "direction", "unit", "target_lower", "target_upper"):
        setattr(indicator, name, getattr(data, name))
    touch(plan)
    audit_child("plan_indicator.update", indicator, plan, before)
    return indicator


def delete_indicator(user: User, indicator: PlanIndicator, version: int | None) -> None:
    result = indicator.result
    plan = result.plan
    check_editable(user, plan, version)
    audit_child("plan_indicator.delete", indicator, plan, audit.snapshot(indicator), None)
    result.indicators.remove(indicator)
    touch(plan)
    db.session.flush()


# --- lampiran -------------------------------------------------------------------------

def update_attachments(user: User, plan: Plan, version: int | None, resources: str | None,
                       accountability: str | None, consequences: str | None) -> None:
    check_editable(user, plan, version)
    before = audit.snapshot(plan)
    plan.resources = (resources or "").strip() or None
    plan.accountability = (accountability or "").strip() or None
    plan.consequences = (consequences or "").strip() or None
    touch(plan)
    audit.record("plan.update", plan, before)
