"""Demo ranks, jenjang, letterheads and the place of signing: what the documents print.

PNS ranks follow the position: pelaksana and fungsional keterampilan staff
II/c–III/b, fungsional keahlian by jenjang (Ahli Pertama III/a–III/b, Ahli
Muda III/c–III/d), pengawas III/d–IV/a, administrator IV/a–IV/b, JPT IV/c;
PPPK golongan V–IX. The TMT is a 1 April or 1 October of the last few years,
never before the appointment the NIP tells of, never after today; a PNS
above their first rank also gets the previous rank four years earlier, so
the history is not empty. Jenjang comes from the position's name ("…
Ahli Pertama", "… Terampil"); JPT are Pratama. Top-level units (OPD) get a
letterhead "DINAS KESEHATAN KOTA SAWAHLUNTO"; the tenant a place of signing.

Everything goes through the services (``change_rank``, ``save_position``,
``save_unit``, ``save_document_place``), so the rules hold. Random choices
come from their own generator (seeded with the slug), so the people drawn
elsewhere stay the same.
"""

from __future__ import annotations

import random
import re
import uuid
from datetime import date

from app.org import letterhead, people, services
from app.org.models import Employee, Position, PositionKind, Unit
from app.org.nip import EmployeeType
from app.org.ranks import GRADES, PNS_RANKS, PPPK_RANKS
from app.tenancy import tenant, tenant_today

_PNS = list(PNS_RANKS)

# PNS rank range (lowest, highest) per position kind, or per jenjang for fungsional.
RANGE_BY_KIND = {
    PositionKind.JPT: ("IV/c", "IV/c"),
    PositionKind.ADMINISTRATOR: ("IV/a", "IV/b"),
    PositionKind.PENGAWAS: ("III/d", "IV/a"),
    PositionKind.PELAKSANA: ("II/c", "III/b"),
    PositionKind.FUNGSIONAL: ("II/c", "III/b"),
}
RANGE_BY_GRADE = {
    "ahli_pertama": ("III/a", "III/b"),
    "ahli_muda": ("III/c", "III/d"),
    "ahli_madya": ("IV/a", "IV/b"),
    "pemula": ("II/a", "II/b"),
    "terampil": ("II/c", "II/d"),
    "mahir": ("III/a", "III/b"),
    "penyelia": ("III/c", "III/d"),
}
PPPK_RANGE = ("V", "IX")
TMT_MONTHS = (4, 10)
_GOVERNMENT = re.compile(r"^\s*pemerintah\s+", re.IGNORECASE)


def grade_for(position: Position) -> str | None:
    """The jenjang a demo position carries: from its name (fungsional), Pratama (JPT)."""
    if position.kind is PositionKind.JPT:
        return "pratama"
    if position.kind is not PositionKind.FUNGSIONAL:
        return None
    name = position.name.lower()
    for grade in GRADES[PositionKind.FUNGSIONAL]:
        if name.endswith(str(grade.code).replace("_", " ")):
            return grade.code
    return "ahli_pertama"


def set_grades(positions: list[Position]) -> None:
    for position in positions:
        grade = grade_for(position)
        if grade != position.grade:
            services.save_position(services.PositionData(
                position.code, position.name, position.kind.value, position.unit_id, position.reports_to_id,
                grade), position)


def set_letterheads(units: list[Unit]) -> None:
    """An agency line for every top-level unit: its name and the region's, in capitals."""
    region = _GOVERNMENT.sub("", tenant().name).strip()
    for unit in units:
        if unit.parent_id is None and not unit.letterhead:
            services.save_unit(services.UnitData(unit.code, unit.name, unit.kind.value, None,
                                                 f"{unit.name} {region}".upper()), unit)


def set_place() -> None:
    row = tenant()
    if not row.document_place:
        letterhead.save_document_place(row, letterhead.signing_place(row))


def _appointed(employee: Employee) -> date:
    """The first appointment the NIP tells of (PNS: TMT CPNS month; PPPK: the year)."""
    nip = employee.nip
    if employee.employee_type is EmployeeType.PNS:
        return date(int(nip[8:12]), int(nip[12:14]), 1)
    return date(int(nip[8:12]), 1, 1)


def _tmt(rng: random.Random, earliest: date, latest: date) -> date:
    """A 1 April or 1 October between the two days (else ``earliest``)."""
    candidates = [date(year, month, 1) for year in range(earliest.year, latest.year + 1) for month in TMT_MONTHS]
    candidates = [day for day in candidates if earliest <= day <= latest]
    return rng.choice(candidates) if candidates else earliest


def assign_rank(employee: Employee, rng: random.Random, today: date) -> None:
    appointed = min(_appointed(employee), today)
    recent = max(appointed, date(today.year - 4, 1, 1))
    if employee.employee_type is EmployeeType.PPPK:
        low, high = PPPK_RANKS.index(PPPK_RANGE[0]), PPPK_RANKS.index(PPPK_RANGE[1])
        people.change_rank(employee, PPPK_RANKS[rng.randint(low, high)], appointed)
        return
    position = employee.position
    grade = position.grade if position is not None else None
    kind = position.kind if position is not None else PositionKind.PELAKSANA
    low_code, high_code = RANGE_BY_GRADE.get(grade or "", RANGE_BY_KIND[kind])
    index = rng.randint(_PNS.index(low_code), _PNS.index(high_code))
    current_tmt = _tmt(rng, recent, today)
    previous_tmt = date(current_tmt.year - 4, current_tmt.month, 1)
    if index > 0 and previous_tmt >= appointed:
        people.change_rank(employee, _PNS[index - 1], previous_tmt)
    people.change_rank(employee, _PNS[index], current_tmt)


def assign_ranks(employees: list[Employee], slug: str) -> None:
    rng = random.Random(f"kinerja-demo-ranks:{slug}")
    today = tenant_today()
    for employee in employees:
        if employee.rank_code is None:
            assign_rank(employee, rng, today)


def assign_siasn_ids(employees: list[Employee]) -> None:
    """A SIASN id for everyone (BKN's ids are 32 hex characters), derived from the NIP so the
    demo's final results are ready to send to SIASN (a fake one: no credentials are set)."""
    for employee in employees:
        if employee.siasn_id is None:
            employee.siasn_id = uuid.uuid5(uuid.NAMESPACE_OID, f"kinerja-demo-siasn:{employee.nip}").hex.upper()


def dress_for_documents(units: list[Unit], positions: list[Position], employees: list[Employee], slug: str) -> None:
    """Everything above, for a freshly built organisation."""
    set_letterheads(units)
    set_grades(positions)
    assign_ranks(employees, slug)
    assign_siasn_ids(employees)
    set_place()
