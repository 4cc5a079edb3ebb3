"""The data of an official document, gathered from the database: an SKP from a
``Plan`` here, an evaluation document from an ``Evaluation`` in
``app.reports.evaluation_document``. Both build the typed dataclasses of
``app.regions.documents``; the tenant's region renders them.

Documents are official: their words are Indonesian whatever the reader's UI
language (month names, aspect names, the period), so nothing here goes
through the UI translations. Nothing is recomputed: what the plan and the
evaluation store is what is printed.
"""

from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.errors import NotFound
from app.extensions import db
from app.org.letterhead import read_logo, signing_place, unit_letterhead
from app.org.models import Employee, Position, Unit
from app.org.ranks import rank_label
from app.regions.documents import (
    Approach,
    BehaviourBlock,
    IndicatorRow,
    Letterhead,
    Person,
    ResultBlock,
    SkpDocumentData,
    is_jpt,
    skp_approach,
)
from app.regions.types import RuleSet
from app.skp.planning.access import penilai_of
from app.skp.planning.models import Plan, PlanResult, PlanStatus, ResultKind
from app.tenancy import local_time, tenant, tenant_rules

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
ASPECTS = {"kuantitas": "Kuantitas", "kualitas": "Kualitas", "waktu": "Waktu", "biaya": "Biaya"}
PLAN_STATUS = {PlanStatus.DRAFT: "Draf", PlanStatus.SUBMITTED: "Diajukan", PlanStatus.AGREED: "Disetujui",
               PlanStatus.RETURNED: "Dikembalikan"}
_BULLET = re.compile(r"^\s*(?:[-•*]|\d+[.)])\s*")


# --- small formatting helpers (Indonesian, whatever the UI language) ----------------

def long_date(day: date) -> str:
    """"1 Januari 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def period_text(starts_on: date, ends_on: date) -> str:
    """"1 Januari s.d. 31 Desember 2026" (the year once when both ends share it)."""
    start = f"{starts_on.day} {MONTHS[starts_on.month - 1]}"
    if starts_on.year != ends_on.year:
        start += f" {starts_on.year}"
    return f"{start} s.d. {long_date(ends_on)}"


def number(value: float | None) -> str:
    """2 → "2", 2.5 → "2,5" (Indonesian decimal comma)."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.4f}".rstrip("0").rstrip(".").replace(".", ",")


def target_text(lower: float, upper: float, unit: str) -> str:
    """"12 dokumen", "90 – 100 %"."""
    value = number(lower) if lower == upper else f"{number(lower)} – {number(upper)}"
    return f"{value} {unit}".strip()


def lines(text: str | None) -> tuple[str, ...]:
    """A Lampiran field as its lines (bullets and numbering dropped, blanks skipped)."""
    out = []
    for line in (text or "").splitlines():
        line = _BULLET.sub("", line).strip()
        if line:
            out.append(line)
    return tuple(out)


def rank_text(code: str | None) -> str:
    """"Penata Muda / III/a" from the pangkat/golongan code (the code itself when unknown)."""
    return rank_label(code) or (code or "")


# --- the header ------------------------------------------------------------------

def letterhead(unit: Unit | None, fallback_unit_name: str = "") -> Letterhead:
    row = tenant()
    logo = read_logo(row)
    agency = unit_letterhead(unit) if unit is not None else (fallback_unit_name or row.name).upper()
    return Letterhead(tenant_name=row.name, agency=agency, place=signing_place(row),
                      logo_png=logo[0] if logo else None, logo_media_type=logo[1] if logo else "image/png")


# --- people -----------------------------------------------------------------------

def person(employee: Employee | None, position: str | None = None, unit: str | None = None) -> Person | None:
    if employee is None:
        return None
    pos = employee.position
    return Person(name=employee.name, nip=employee.nip, rank=rank_text(employee.rank_code),
                  position=position if position is not None else (pos.name if pos else ""),
                  unit=unit if unit is not None else (pos.unit.name if pos and pos.unit else ""))


def plan_person(plan: Plan) -> Person:
    """The pegawai as the plan recorded them (position and unit when it was written)."""
    return person(plan.employee, plan.position_name or None, plan.unit_name or None)  # type: ignore[return-value]


def variant(rule_set: RuleSet, position_kind: str | None) -> tuple[Approach, bool]:
    """The SKP form: (pendekatan, JPT form?) from the position kind and the rule set."""
    kind = position_kind or ""
    return skp_approach(rule_set, kind), is_jpt(kind)


def unit_of(employee: Employee) -> Unit | None:
    return employee.position.unit if employee.position is not None else None


# --- results ----------------------------------------------------------------------

def ordered_results(plan: Plan) -> list[PlanResult]:
    """UTAMA first, then TAMBAHAN, each in the plan's order."""
    return sorted(plan.results, key=lambda r: (r.kind is not ResultKind.UTAMA, r.position, r.id))


def intervened(result: PlanResult, jpt: bool) -> str:
    return "" if jpt or result.supports is None else result.supports.description


def plan_results(plan: Plan, jpt: bool) -> tuple[ResultBlock, ...]:
    return tuple(
        ResultBlock(group=r.kind.value, description=r.description, intervened=intervened(r, jpt),
                    indicators=tuple(IndicatorRow(ASPECTS.get(i.aspect, i.aspect.title()), i.name,
                                                  target_text(i.target_lower, i.target_upper, i.unit))
                                     for i in r.indicators))
        for r in ordered_results(plan))


def plan_behaviours(plan: Plan) -> tuple[BehaviourBlock, ...]:
    # The guides stay empty: the baseline layout prints the canonical BerAKHLAK texts.
    return tuple(BehaviourBlock(name=b.name, guides=(), expectation=(b.expectation or "").strip())
                 for b in plan.behaviours)


# --- the SKP ----------------------------------------------------------------------

def load_plan_for_document(plan_id: int) -> Plan:
    """The plan with everything the document prints, in a fixed number of queries."""
    plan = db.session.scalar(
        select(Plan).where(Plan.id == plan_id).options(
            joinedload(Plan.employee).joinedload(Employee.position).joinedload(Position.unit),
            joinedload(Plan.period), joinedload(Plan.assigned_penilai),
            selectinload(Plan.results).selectinload(PlanResult.indicators),
            selectinload(Plan.results).joinedload(PlanResult.supports),
            selectinload(Plan.behaviours),
        ))
    if plan is None:
        raise NotFound(_("SKP tidak ditemukan."))
    return plan


def skp_document(plan: Plan) -> SkpDocumentData:
    """The SKP of a plan (a draft, submitted or returned plan prints as a draft)."""
    rt = tenant_rules()
    employee = plan.employee
    position = employee.position
    approach, jpt = variant(rt.rule_set, position.kind.value if position else None)
    agreed_on = local_time(plan.agreed_at).date() if plan.agreed_at else None
    penilai = penilai_of(plan, agreed_on) if agreed_on else penilai_of(plan)
    final = plan.status is PlanStatus.AGREED
    return SkpDocumentData(
        letterhead=letterhead(unit_of(employee), plan.unit_name),
        year=plan.period.year,
        period_text=period_text(plan.period.starts_on, plan.period.ends_on),
        approach=approach, jpt=jpt,
        pegawai=plan_person(plan), penilai=person(penilai),
        results=plan_results(plan, jpt), behaviours=plan_behaviours(plan),
        resources=lines(plan.resources), accountability=lines(plan.accountability),
        consequences=lines(plan.consequences),
        signed_on=agreed_on if final else None,
        status_label=PLAN_STATUS.get(plan.status, ""), final=final)
