"""SKP planning: the pegawai writes a plan, the pejabat penilai agrees or returns it.

Every function here checks ``app.skp.permissions`` again (views check first,
to answer 403 early), refuses a stale form (``StalePlan``: the plan's
``version`` moved since the form was opened), records every transition and
every edit of an RHK or IKI in the audit trail with before → after, and
leaves the commit to the caller.

- ``PlanForbidden``: the user may not do this (a 403 with its message);
- ``PlanError``: a rule was broken (the form shows the message on ``field``);
- ``StalePlan``: someone changed the plan since the form was opened.

A plan is editable while it is a draft or returned, and only before its
year's ``plans_lock_on`` (locked from that day on). Any change to a plan's
content bumps the plan's version, so that every other open form of that plan
becomes stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from flask import g, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import flag_modified

from app import audit
from app.auth.models import User
from app.extensions import db
from app.notifications import notify
from app.org.models import Employee, Position, Unit, UnitKind
from app.periods.models import Period, PeriodKind
from app.regions.types import Aspect, Direction, Indicator, RuleSet
from app.skp.planning.access import (
    can_assign_indicators,
    can_create_plan,
    can_reassign_penilai,
    is_owner,
    is_penilai,
    penilai_of,
    team_employee_ids,
)
from app.skp.planning.models import (
    IndicatorAssignment,
    Plan,
    PlanBehaviour,
    PlanIndicator,
    PlanResult,
    PlanStatus,
    ResultKind,
)
from app.tenancy import current_tenant_id
from app.tenancy.models import Tenant

STATUS_LABELS = {
    PlanStatus.DRAFT: _l("Draf"),
    PlanStatus.SUBMITTED: _l("Diajukan"),
    PlanStatus.AGREED: _l("Disetujui"),
    PlanStatus.RETURNED: _l("Dikembalikan"),
}
KIND_LABELS = {ResultKind.UTAMA: _l("Utama"), ResultKind.TAMBAHAN: _l("Tambahan")}
ASPECT_LABELS = {
    Aspect.KUANTITAS: _l("Kuantitas"), Aspect.KUALITAS: _l("Kualitas"),
    Aspect.WAKTU: _l("Waktu"), Aspect.BIAYA: _l("Biaya"),
}
DIRECTION_LABELS = {
    Direction.HIGHER_IS_BETTER: _l("Makin tinggi makin baik"),
    Direction.LOWER_IS_BETTER: _l("Makin rendah makin baik"),
}

# Unit kinds whose sector is clear from the kind alone; other units are
# matched by the sector's name in their own or a parent unit's name.
_SECTOR_OF_KIND = {
    UnitKind.PUSKESMAS: "kesehatan", UnitKind.RSUD: "kesehatan", UnitKind.SEKOLAH: "pendidikan",
    UnitKind.KECAMATAN: "pelayanan", UnitKind.KELURAHAN: "pelayanan",
}


# --- errors -----------------------------------------------------------------------

class PlanError(ValueError):
    """A planning rule was broken; ``message`` is shown on ``field`` (or the form)."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class PlanForbidden(PermissionError):
    """The user may not do this to this plan."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


class StalePlan(Exception):
    """The plan changed since the form was opened."""


# --- small helpers ----------------------------------------------------------------

def today() -> date:
    return date.today()


def rules() -> RuleSet:
    """The current tenant's effective rule set."""
    from app.regions.manager import regions

    tenant = getattr(g, "tenant", None) if has_request_context() else None
    if tenant is None:
        tenant = db.session.get(Tenant, current_tenant_id())
    return regions().for_tenant(tenant).rule_set


def plans_locked(period: Period, on: date | None = None) -> bool:
    """Plans of this year lock on ``plans_lock_on`` (from that day on)."""
    return period.plans_lock_on is not None and (on or today()) >= period.plans_lock_on


def check_version(plan: Plan, submitted: int | None) -> None:
    if submitted is not None and plan.version != submitted:
        raise StalePlan


def _touch(plan: Plan) -> None:
    """Bump the plan's version with the change (so other open forms go stale)."""
    flag_modified(plan, "status")


def _require(allowed: bool, message) -> None:
    if not allowed:
        raise PlanForbidden(message)


def _check_editable(user: User, plan: Plan, version: int | None) -> None:
    _require(is_owner(user, plan), _l("Hanya pegawai pemilik SKP yang dapat mengubahnya."))
    if not plan.editable:
        raise PlanForbidden(_l("SKP yang sudah diajukan atau disetujui tidak dapat diubah."))
    if plans_locked(plan.period):
        raise PlanForbidden(_l("Batas penyusunan SKP tahun %(year)d sudah lewat (%(day)s); SKP terkunci.",
                               year=plan.period.year, day=plan.period.plans_lock_on.strftime("%d-%m-%Y")))
    check_version(plan, version)


def _audit_plan_child(action: str, obj, plan: Plan, before: dict | None, after=audit.CURRENT,
                      reason: str | None = None) -> None:
    audit.record(action, obj, before, after, reason=reason, employee_id=plan.employee_id)


def _notify(employee_id: int | None, kind: str, plan: Plan, message_for) -> None:
    """Tell every active account of ``employee_id`` about ``plan``, in its language."""
    notify(kind, message_for, employees=[employee_id], about=("plan", plan.id))


# --- reading ------------------------------------------------------------------------

def load_plan(plan_id: int) -> Plan | None:
    """A plan with everything its page shows, in a fixed number of queries."""
    return db.session.scalar(
        select(Plan).where(Plan.id == plan_id).options(
            joinedload(Plan.employee), joinedload(Plan.period), joinedload(Plan.assigned_penilai),
            selectinload(Plan.results).selectinload(PlanResult.indicators),
            selectinload(Plan.results).joinedload(PlanResult.supports),
            selectinload(Plan.behaviours),
        )
    )


def plans_of(employee_id: int) -> list[Plan]:
    return list(db.session.scalars(
        select(Plan).join(Period, Plan.period_id == Period.id)
        .where(Plan.employee_id == employee_id)
        .options(joinedload(Plan.period), joinedload(Plan.assigned_penilai))
        .order_by(Period.year.desc())
    ))


def creatable_years(employee_id: int) -> list[Period]:
    """Open years, not locked, for which the employee has no plan yet."""
    taken = select(Plan.period_id).where(Plan.employee_id == employee_id)
    years = db.session.scalars(
        select(Period).where(Period.kind == PeriodKind.YEAR, Period.id.not_in(taken))
        .order_by(Period.year.desc())
    ).all()
    return [p for p in years if not plans_locked(p)]


def previous_plan(employee_id: int, year: int) -> Plan | None:
    """The employee's most recent plan of an earlier year."""
    return db.session.scalar(
        select(Plan).join(Period, Plan.period_id == Period.id)
        .where(Plan.employee_id == employee_id, Period.year < year)
        .options(selectinload(Plan.results).selectinload(PlanResult.indicators))
        .order_by(Period.year.desc()).limit(1)
    )


def supervisor_results(plan: Plan) -> list[PlanResult]:
    """The RHK of the penilai's submitted or agreed plan of the same year:
    what an RHK of this plan may support."""
    penilai = penilai_of(plan)
    if penilai is None:
        return []
    return list(db.session.scalars(
        select(PlanResult).join(Plan, PlanResult.plan_id == Plan.id)
        .where(Plan.employee_id == penilai.id, Plan.period_id == plan.period_id,
               Plan.status.in_((PlanStatus.SUBMITTED, PlanStatus.AGREED)))
        .order_by(PlanResult.position, PlanResult.id)
    ))


def team_plans(user: User) -> list[Plan]:
    """Plans whose pejabat penilai the user is: assigned to them, or of their
    team by the organisation chart unless assigned to someone else. Waiting
    ones first. A fixed number of queries, whatever the size of the team."""
    employee = user.employee
    if employee is None:
        return []
    team = team_employee_ids(employee)
    condition = Plan.assigned_penilai_id == employee.id
    if team:
        condition = condition | (Plan.assigned_penilai_id.is_(None) & Plan.employee_id.in_(team))
    plans = db.session.scalars(
        select(Plan).join(Period, Plan.period_id == Period.id)
        .where(condition, Plan.employee_id != employee.id)
        .options(joinedload(Plan.employee), joinedload(Plan.period))
        .order_by(Period.year.desc(), Plan.submitted_at)
    ).all()
    return sorted(plans, key=lambda p: p.status is not PlanStatus.SUBMITTED)


def library_for(unit: Unit | None, rule_set: RuleSet) -> tuple[list[Indicator], list[Indicator]]:
    """The indicator library split into (the unit's sector and "umum", the rest)."""
    sector = sector_of(unit, rule_set.sectors) if unit is not None else None
    if sector is None:
        return list(rule_set.indicators), []
    own = list(rule_set.indicators_for(sector))
    return own, [i for i in rule_set.indicators if i not in own]


def sector_of(unit: Unit, sectors: Iterable[str]) -> str | None:
    """The indicator sector a unit works in: from its kind where that says it
    (puskesmas → kesehatan), else a sector named in its own or a parent's name
    ("Dinas Kesehatan" → kesehatan). None when nothing matches."""
    sectors = [s for s in sectors if s != "umum"]
    kind_sector = _SECTOR_OF_KIND.get(unit.kind)
    if kind_sector in sectors:
        return kind_sector
    seen: set[int] = set()
    current: Unit | None = unit
    while current is not None and current.id not in seen:
        seen.add(current.id)
        name = current.name.lower()
        for sector in sectors:
            if sector in name:
                return sector
        current = current.parent
    return None


# --- creating and copying -------------------------------------------------------------

def create_plan(user: User, period: Period, copy_last_year: bool = False) -> Plan:
    employee = user.employee if user.is_authenticated else None
    _require(can_create_plan(user, employee),
             _l("Akun Anda tidak terhubung dengan data pegawai; SKP tidak dapat dibuat."))
    if period.kind is not PeriodKind.YEAR:
        raise PlanError(_l("SKP disusun per tahun; pilih periode tahunan."), "period_id")
    if plans_locked(period):
        raise PlanError(_l("Batas penyusunan SKP tahun %(year)d sudah lewat; hubungi admin.",
                           year=period.year), "period_id")
    exists = db.session.scalar(select(Plan.id).where(Plan.employee_id == employee.id,
                                                     Plan.period_id == period.id))
    if exists is not None:
        raise PlanError(_l("Anda sudah memiliki SKP tahun %(year)d.", year=period.year), "period_id")
    position = employee.position
    plan = Plan(employee=employee, period=period, status=PlanStatus.DRAFT,
                position_name=position.name if position else "",
                unit_name=position.unit.name if position else "")
    rule_set = rules()
    for index, behaviour in enumerate(rule_set.behaviours):
        plan.behaviours.append(PlanBehaviour(behaviour_code=behaviour.code, name=behaviour.name,
                                             position=index))
    db.session.add(plan)
    db.session.flush()
    audit.record("plan.create", plan, None)
    if copy_last_year:
        source = previous_plan(employee.id, period.year)
        if source is None:
            raise PlanError(_l("Tidak ada SKP tahun sebelumnya untuk disalin."), "copy_last_year")
        _copy(plan, source)
    _apply_assignments(plan, _assignments_for(plan), rule_set)
    return plan


def copy_from_last_year(user: User, plan: Plan, version: int | None) -> int:
    """Copy the RHK and IKI of the employee's previous plan into this one
    (targets stay editable). Returns how many RHK were added."""
    _check_editable(user, plan, version)
    source = previous_plan(plan.employee_id, plan.period.year)
    if source is None:
        raise PlanForbidden(_l("Tidak ada SKP tahun sebelumnya untuk disalin."))
    added = _copy(plan, source)
    _touch(plan)
    return added


def _copy(plan: Plan, source: Plan) -> int:
    """RHK (without the link to last year's superior RHK) and their IKI;
    an RHK whose description the plan already holds is skipped."""
    before = audit.snapshot(plan)
    have = {r.description.strip().lower() for r in plan.results}
    position = max((r.position for r in plan.results), default=-1)
    added = 0
    for old in source.results:
        if old.description.strip().lower() in have:
            continue
        position += 1
        result = PlanResult(kind=old.kind, description=old.description, position=position)
        for old_indicator in old.indicators:
            result.indicators.append(PlanIndicator(
                indicator_code=old_indicator.indicator_code, name=old_indicator.name,
                aspect=old_indicator.aspect, direction=old_indicator.direction, unit=old_indicator.unit,
                target_lower=old_indicator.target_lower, target_upper=old_indicator.target_upper,
                position=old_indicator.position))
        plan.results.append(result)
        added += 1
    plan.copied_from_id = source.id
    db.session.flush()
    audit.record("plan.copy", plan, before, reason=f"SKP {source.period.year} #{source.id}")
    return added


# --- RHK ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ResultData:
    kind: str
    description: str
    supports_id: int | None = None


def _clean_result(plan: Plan, data: ResultData) -> ResultData:
    description = (data.description or "").strip()
    if not description:
        raise PlanError(_l("Uraian RHK wajib diisi."), "description")
    if data.kind not in {k.value for k in ResultKind}:
        raise PlanError(_l("Pilih jenis RHK."), "kind")
    if data.supports_id is not None and data.supports_id not in {r.id for r in supervisor_results(plan)}:
        raise PlanError(_l("RHK atasan yang dipilih bukan bagian dari SKP pejabat penilai tahun ini."),
                        "supports_id")
    return ResultData(data.kind, description, data.supports_id)


def add_result(user: User, plan: Plan, version: int | None, data: ResultData) -> PlanResult:
    _check_editable(user, plan, version)
    data = _clean_result(plan, data)
    position = max((r.position for r in plan.results), default=-1) + 1
    result = PlanResult(kind=ResultKind(data.kind), description=data.description,
                        supports_id=data.supports_id, position=position)
    plan.results.append(result)
    _touch(plan)
    db.session.flush()
    _audit_plan_child("plan_result.create", result, plan, None)
    return result


def update_result(user: User, result: PlanResult, version: int | None, data: ResultData) -> PlanResult:
    plan = result.plan
    _check_editable(user, plan, version)
    data = _clean_result(plan, data)
    before = audit.snapshot(result)
    result.kind, result.description, result.supports_id = ResultKind(data.kind), data.description, data.supports_id
    _touch(plan)
    _audit_plan_child("plan_result.update", result, plan, before)
    return result


def delete_result(user: User, result: PlanResult, version: int | None) -> None:
    plan = result.plan
    _check_editable(user, plan, version)
    for indicator in result.indicators:
        _audit_plan_child("plan_indicator.delete", indicator, plan, audit.snapshot(indicator), None)
    _audit_plan_child("plan_result.delete", result, plan, audit.snapshot(result), None)
    plan.results.remove(result)
    _touch(plan)
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
            raise PlanError(_l("Indikator %(code)s tidak ada di pustaka daerah.", code=data.indicator_code),
                            "indicator_code")
        if lower is None and upper is None and library.target is not None:
            lower, upper = library.target.lower, library.target.upper
        data = IndicatorData(library.code, library.name, library.aspect.value, library.direction.value,
                             library.unit, lower, upper)
    else:
        if not (data.name or "").strip():
            raise PlanError(_l("Nama IKI wajib diisi (atau pilih dari pustaka indikator)."), "name")
        if data.aspect not in {a.value for a in Aspect}:
            raise PlanError(_l("Pilih aspek IKI."), "aspect")
        if data.direction not in {d.value for d in Direction}:
            raise PlanError(_l("Pilih arah penilaian IKI."), "direction")
        if not (data.unit or "").strip():
            raise PlanError(_l("Satuan target wajib diisi, misalnya dokumen, %, hari."), "unit")
        data = IndicatorData(None, data.name.strip(), data.aspect, data.direction, data.unit.strip(),
                             lower, upper)
    if lower is None:
        raise PlanError(_l("Target wajib diisi."), "target_lower")
    if upper is None:
        upper = lower
    if lower <= 0:
        raise PlanError(_l("Target harus lebih dari nol."), "target_lower")
    if upper < lower:
        raise PlanError(_l("Batas atas target tidak boleh lebih kecil dari batas bawah."), "target_upper")
    return IndicatorData(data.indicator_code, data.name, data.aspect, data.direction, data.unit,
                         float(lower), float(upper))


def add_indicator(user: User, result: PlanResult, version: int | None, data: IndicatorData) -> PlanIndicator:
    plan = result.plan
    _check_editable(user, plan, version)
    data = _clean_indicator(data, rules())
    position = max((i.position for i in result.indicators), default=-1) + 1
    indicator = PlanIndicator(indicator_code=data.indicator_code, name=data.name, aspect=data.aspect,
                              direction=data.direction, unit=data.unit, target_lower=data.target_lower,
                              target_upper=data.target_upper, position=position)
    result.indicators.append(indicator)
    _touch(plan)
    db.session.flush()
    _audit_plan_child("plan_indicator.create", indicator, plan, None)
    return indicator


def update_indicator(user: User, indicator: PlanIndicator, version: int | None,
                     data: IndicatorData) -> PlanIndicator:
    plan = indicator.result.plan
    _check_editable(user, plan, version)
    data = _clean_indicator(data, rules())
    before = audit.snapshot(indicator)
    for name in ("indicator_code", "name", "aspect", "direction", "unit", "target_lower", "target_upper"):
        setattr(indicator, name, getattr(data, name))
    _touch(plan)
    _audit_plan_child("plan_indicator.update", indicator, plan, before)
    return indicator


def delete_indicator(user: User, indicator: PlanIndicator, version: int | None) -> None:
    result = indicator.result
    plan = result.plan
    _check_editable(user, plan, version)
    _audit_plan_child("plan_indicator.delete", indicator, plan, audit.snapshot(indicator), None)
    result.indicators.remove(indicator)
    _touch(plan)
    db.session.flush()


# --- lampiran -------------------------------------------------------------------------

def update_attachments(user: User, plan: Plan, version: int | None, resources: str | None,
                       accountability: str | None, consequences: str | None) -> None:
    _check_editable(user, plan, version)
    before = audit.snapshot(plan)
    plan.resources = (resources or "").strip() or None
    plan.accountability = (accountability or "").strip() or None
    plan.consequences = (consequences or "").strip() or None
    _touch(plan)
    audit.record("plan.update", plan, before)


# --- transitions ------------------------------------------------------------------------

def submission_problems(plan: Plan) -> list[str]:
    """Why a plan is not ready to submit (empty when it is)."""
    problems = []
    if not any(r.kind is ResultKind.UTAMA for r in plan.results):
        problems.append(_("Tambahkan paling sedikit satu RHK utama."))
    for result in plan.results:
        if not result.indicators:
            problems.append(_("RHK \u201c%(rhk)s\u201d belum memiliki IKI.", rhk=result.description[:80]))
        for indicator in result.indicators:
            if indicator.target_lower <= 0 or indicator.target_upper < indicator.target_lower:
                problems.append(_("Target IKI \u201c%(iki)s\u201d belum benar.", iki=indicator.name[:80]))
    if penilai_of(plan) is None:
        problems.append(_("Pejabat penilai Anda belum ada di struktur organisasi; hubungi admin."))
    return problems


def submit(user: User, plan: Plan, version: int | None) -> None:
    _check_editable(user, plan, version)
    problems = submission_problems(plan)
    if problems:
        raise PlanError(" ".join(problems))
    before = audit.snapshot(plan)
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = datetime.utcnow()
    audit.record("plan.submit", plan, before)
    penilai = penilai_of(plan)
    name = plan.employee.name
    _notify(penilai.id, "plan.submitted", plan,
            lambda: _("%(name)s mengajukan SKP %(year)d untuk disetujui.", name=name, year=plan.period.year))


def _check_reviewer(user: User, plan: Plan, version: int | None) -> None:
    if is_owner(user, plan):
        raise PlanForbidden(_l("Anda tidak dapat menyetujui atau mengembalikan SKP Anda sendiri."))
    _require(is_penilai(user, plan),
             _l("Hanya pejabat penilai pegawai ini yang dapat menyetujui atau mengembalikan SKP-nya."))
    if plan.status is not PlanStatus.SUBMITTED:
        raise PlanForbidden(_l("SKP ini tidak sedang menunggu persetujuan."))
    check_version(plan, version)


def _set_expectations(plan: Plan, expectations: Mapping[int, str | None]) -> None:
    for behaviour in plan.behaviours:
        if behaviour.id not in expectations:
            continue
        value = (expectations[behaviour.id] or "").strip() or None
        if value != behaviour.expectation:
            before = audit.snapshot(behaviour)
            behaviour.expectation = value
            _audit_plan_child("plan_behaviour.update", behaviour, plan, before)


def agree(user: User, plan: Plan, version: int | None, expectations: Mapping[int, str | None]) -> None:
    _check_reviewer(user, plan, version)
    _set_expectations(plan, expectations)
    before = audit.snapshot(plan)
    plan.status = PlanStatus.AGREED
    plan.agreed_at = datetime.utcnow()
    plan.agreed_by_id = user.id
    audit.record("plan.agree", plan, before)
    year = plan.period.year
    _notify(plan.employee_id, "plan.agreed", plan,
            lambda: _("SKP %(year)d Anda telah disetujui pejabat penilai.", year=year))


def return_plan(user: User, plan: Plan, version: int | None, notes: str,
                expectations: Mapping[int, str | None]) -> None:
    _check_reviewer(user, plan, version)
    notes = (notes or "").strip()
    if not notes:
        raise PlanError(_l("Tuliskan catatan: apa yang perlu diperbaiki pegawai."), "notes")
    _set_expectations(plan, expectations)
    before = audit.snapshot(plan)
    plan.status = PlanStatus.RETURNED
    plan.return_notes = notes
    audit.record("plan.return", plan, before, reason=notes)
    year = plan.period.year
    _notify(plan.employee_id, "plan.returned", plan,
            lambda: _("SKP %(year)d Anda dikembalikan dengan catatan untuk diperbaiki.", year=year))


def reassign_penilai(user: User, plan: Plan, version: int | None, penilai: Employee | None,
                     reason: str) -> None:
    """The admin names another pejabat penilai for this plan (None: back to the org chart)."""
    _require(can_reassign_penilai(user), _l("Hanya admin instansi yang dapat mengganti pejabat penilai."))
    check_version(plan, version)
    reason = (reason or "").strip()
    if not reason:
        raise PlanError(_l("Alasan penggantian wajib diisi."), "reason")
    if penilai is not None:
        if penilai.id == plan.employee_id:
            raise PlanError(_l("Pegawai tidak dapat menjadi pejabat penilai SKP-nya sendiri."), "employee_nip")
        if not penilai.active:
            raise PlanError(_l("Pegawai itu sudah nonaktif."), "employee_nip")
    before = audit.snapshot(plan)
    plan.assigned_penilai = penilai
    _touch(plan)
    audit.record("plan.reassign_penilai", plan, before, reason=reason)
    new_penilai = penilai_of(plan)
    if plan.status is PlanStatus.SUBMITTED and new_penilai is not None:
        name = plan.employee.name
        _notify(new_penilai.id, "plan.submitted", plan,
                lambda: _("Anda ditetapkan sebagai pejabat penilai SKP %(name)s; SKP menunggu persetujuan.",
                          name=name))


# --- the admin's indicator sets -----------------------------------------------------------

def _unit_and_descendants(unit_id: int) -> set[int]:
    found = {unit_id}
    frontier = {unit_id}
    while frontier:
        frontier = set(db.session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier)))) - found
        found |= frontier
    return found


def _unit_and_ancestors(unit: Unit | None) -> set[int]:
    found: set[int] = set()
    while unit is not None and unit.id not in found:
        found.add(unit.id)
        unit = unit.parent
    return found


def _assignments_for(plan: Plan) -> list[IndicatorAssignment]:
    position = plan.employee.position
    if position is None:
        return []
    units = _unit_and_ancestors(position.unit)
    return list(db.session.scalars(
        select(IndicatorAssignment)
        .where(IndicatorAssignment.period_id == plan.period_id,
               IndicatorAssignment.unit_id.in_(units) | (IndicatorAssignment.position_id == position.id))
        .order_by(IndicatorAssignment.id)
    ))


def _apply_assignments(plan: Plan, assignments: Iterable[IndicatorAssignment], rule_set: RuleSet) -> int:
    """Add the assigned indicators the plan lacks, each as an RHK utama with
    its IKI (library defaults; the pegawai edits description and target)."""
    have = {i.indicator_code for r in plan.results for i in r.indicators if i.indicator_code}
    position = max((r.position for r in plan.results), default=-1)
    added = 0
    for assignment in assignments:
        for code in assignment.indicator_codes:
            library = rule_set.indicator(code)
            if library is None or code in have:
                continue
            have.add(code)
            position += 1
            target = library.target
            result = PlanResult(kind=ResultKind.UTAMA, description=library.name, position=position)
            indicator = PlanIndicator(
                indicator_code=library.code, name=library.name, aspect=library.aspect.value,
                direction=library.direction.value, unit=library.unit,
                # No default target: 0 until the pegawai sets one (submitting checks it).
                target_lower=target.lower if target else 0, target_upper=target.upper if target else 0)
            result.indicators.append(indicator)
            plan.results.append(result)
            db.session.flush()
            reason = f"indicator_assignment #{assignment.id}"
            _audit_plan_child("plan_result.create", result, plan, None, reason=reason)
            _audit_plan_child("plan_indicator.create", indicator, plan, None, reason=reason)
            added += 1
    if added:
        _touch(plan)
    return added


def assign_indicators(user: User, period: Period, codes: list[str], unit_id: int | None = None,
                      position_id: int | None = None) -> tuple[IndicatorAssignment, int]:
    """Give an indicator set to a whole unit (with its sub-units) or position:
    added now to every matching plan that is still editable, and to plans
    created later. Returns the assignment and how many plans changed."""
    _require(can_assign_indicators(user), _l("Hanya admin instansi yang dapat menetapkan indikator."))
    if period.kind is not PeriodKind.YEAR:
        raise PlanError(_l("Pilih periode tahunan."), "period_id")
    if (unit_id is None) == (position_id is None):
        raise PlanError(_l("Pilih satu unit kerja atau satu jabatan."), "unit_id")
    if unit_id is not None and db.session.get(Unit, unit_id) is None:
        raise PlanError(_l("Unit kerja tidak ditemukan."), "unit_id")
    if position_id is not None and db.session.get(Position, position_id) is None:
        raise PlanError(_l("Jabatan tidak ditemukan."), "position_id")
    rule_set = rules()
    codes = list(dict.fromkeys(c for c in codes if c))
    if not codes:
        raise PlanError(_l("Pilih paling sedikit satu indikator."), "indicator_codes")
    unknown = [c for c in codes if rule_set.indicator(c) is None]
    if unknown:
        raise PlanError(_l("Indikator tidak dikenal: %(codes)s.", codes=", ".join(unknown)), "indicator_codes")
    assignment = IndicatorAssignment(period_id=period.id, unit_id=unit_id, position_id=position_id,
                                     indicator_codes=codes, created_by_id=user.id)
    db.session.add(assignment)
    db.session.flush()
    audit.record("indicator_assignment.create", assignment, None)

    query = (select(Plan).join(Employee, Plan.employee_id == Employee.id)
             .join(Position, Employee.position_id == Position.id)
             .where(Plan.period_id == period.id, Plan.status.in_((PlanStatus.DRAFT, PlanStatus.RETURNED)))
             .options(joinedload(Plan.period), selectinload(Plan.results).selectinload(PlanResult.indicators)))
    if unit_id is not None:
        query = query.where(Position.unit_id.in_(_unit_and_descendants(unit_id)))
    else:
        query = query.where(Employee.position_id == position_id)
    changed = 0
    if not plans_locked(period):
        for plan in db.session.scalars(query).unique():
            if _apply_assignments(plan, [assignment], rule_set):
                changed += 1
    return assignment, changed


def assignments(period_id: int | None = None) -> list[IndicatorAssignment]:
    query = select(IndicatorAssignment).order_by(IndicatorAssignment.id.desc())
    if period_id is not None:
        query = query.where(IndicatorAssignment.period_id == period_id)
    return list(db.session.scalars(query))
