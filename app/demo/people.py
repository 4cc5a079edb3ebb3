"""Demo people: a name, a sex and a NIP that passes ``validate_nip``.

PNS NIP: birth date YYYYMMDD + TMT CPNS YYYYMM + sex digit + sequence.
PPPK NIP: birth date YYYYMMDD + appointment year YYYY + a two-digit code +
sex digit + sequence. Ages follow the position: a kepala dinas was born in
the late 1960s or early 1970s, staff in the 1980s and 1990s; PPPK were
appointed in the 2021-2024 intakes. Every date lies in the past whatever
year the demo runs in, so the same seed gives the same people every time.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass
from datetime import date

from app.demo.names import NameStyle, make_name, with_title
from app.demo.organisations import Post
from app.org.models import PositionKind
from app.org.nip import EmployeeType, Sex, validate_nip

LATEST_PNS_APPOINTMENT = 2024
PPPK_APPOINTMENT_YEARS = (2021, 2022, 2023, 2024)
PPPK_CODE = "21"  # digits 13-14 of the PPPK NIPs issued in these intakes
SEX_DIGIT = {Sex.L: "1", Sex.P: "2"}

# Birth years per kind of position (PNS).
BIRTH_YEARS = {
    PositionKind.JPT: (1966, 1976),
    PositionKind.ADMINISTRATOR: (1969, 1983),
    PositionKind.PENGAWAS: (1972, 1990),
    PositionKind.FUNGSIONAL: (1976, 1998),
    PositionKind.PELAKSANA: (1976, 2000),
}
PPPK_BIRTH_YEARS = (1982, 2000)
# CPNS appointments most often take effect in these months.
TMT_MONTHS = (1, 1, 2, 3, 3, 4, 12)
SEQUENCES = (1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)


@dataclass(frozen=True)
class Person:
    nip: str
    name: str
    sex: Sex
    employee_type: EmployeeType


def _birth_date(rng: random.Random, first_year: int, last_year: int) -> date:
    year = rng.randint(first_year, last_year)
    month = rng.randint(1, 12)
    return date(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))


def pns_nip(rng: random.Random, sex: Sex, birth_years: tuple[int, int]) -> str:
    born = _birth_date(rng, *birth_years)
    tmt_year = rng.randint(born.year + 21, min(born.year + 32, LATEST_PNS_APPOINTMENT))
    return (f"{born:%Y%m%d}{tmt_year:04d}{rng.choice(TMT_MONTHS):02d}"
            f"{SEX_DIGIT[sex]}{rng.choice(SEQUENCES):03d}")


def pppk_nip(rng: random.Random, sex: Sex) -> str:
    born = _birth_date(rng, *PPPK_BIRTH_YEARS)
    year = rng.choice([y for y in PPPK_APPOINTMENT_YEARS if y - born.year >= 21])
    return f"{born:%Y%m%d}{year:04d}{PPPK_CODE}{SEX_DIGIT[sex]}{rng.choice(SEQUENCES):03d}"


class PersonFactory:
    """Distinct people for one tenant, from a seeded random generator."""

    def __init__(self, rng: random.Random, style: NameStyle) -> None:
        self.rng = rng
        self.style = style
        self.nips: set[str] = set()
        self.names: set[str] = set()

    def make(self, post: Post, employee_type: EmployeeType) -> Person:
        rng = self.rng
        sex = Sex.P if rng.random() < post.female_share else Sex.L
        for _ in range(1000):
            if employee_type is EmployeeType.PPPK:
                nip = pppk_nip(rng, sex)
            else:
                nip = pns_nip(rng, sex, BIRTH_YEARS[post.kind])
            if nip not in self.nips:
                break
        else:  # pragma: no cover - 1000 collisions in a row cannot happen with these ranges
            raise RuntimeError("could not draw a distinct NIP")
        # The generator must follow the real rule; save_employee checks it again.
        if validate_nip(nip, employee_type).sex is not sex:  # pragma: no cover
            raise RuntimeError("NIP sex digit does not match the person")
        self.nips.add(nip)
        name = make_name(self.style, rng, sex)
        for _ in range(50):
            if name not in self.names:
                break
            name = make_name(self.style, rng, sex)
        self.names.add(name)
        return Person(nip, with_title(name, rng, post.titles, sex), sex, employee_type)
