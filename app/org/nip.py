"""NIP (Nomor Induk Pegawai): validation per employee type, display, masking.

PNS: 18 digits = birth date YYYYMMDD + first appointment (TMT CPNS) YYYYMM +
sex (1 male, 2 female) + sequence 001-999. PPPK: birth date YYYYMMDD, then a
four-digit appointment *year*, a two-digit code, sex and sequence. There is no
check digit. The NIP is personal data: log and publish only ``mask_nip``.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from app.tenancy import tenant_today

EARLIEST_BIRTH_YEAR = 1930
MINIMUM_APPOINTMENT_AGE = 15


class EmployeeType(enum.StrEnum):
    PNS = "PNS"
    PPPK = "PPPK"


class Sex(enum.StrEnum):
    L = "L"  # laki-laki
    P = "P"  # perempuan


SEX_DIGIT = {"1": Sex.L, "2": Sex.P}


class NipError(ValueError):
    """Why a NIP is not valid; ``message`` is shown to the user."""

    def __init__(self, code: str, message) -> None:
        super().__init__(code)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class NipInfo:
    nip: str
    birth_date: date
    appointment_year: int
    appointment_month: int | None  # PPPK NIPs carry no month
    sex: Sex
    sequence: int


NIP_RE = re.compile(r"[0-9]{18}")  # ASCII digits only: str.isdigit() also accepts ², ٣ and ３


def normalise_nip(raw: str) -> str:
    """Drop the spaces and dots people type in the display form."""
    return re.sub(r"[\s.\-]", "", raw or "")


def is_nip_shaped(value: str) -> bool:
    """Exactly 18 ASCII digits (after ``normalise_nip``)."""
    return NIP_RE.fullmatch(value) is not None


def _birth_date(nip: str, today: date) -> date:
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise NipError("birth_date", _l("Tanggal lahir dalam NIP (digit 1-8) bukan tanggal yang ada.")) from None
    if born.year < EARLIEST_BIRTH_YEAR or born > today:
        raise NipError("birth_date", _l("Tanggal lahir dalam NIP (digit 1-8) tidak masuk akal."))
    return born


def validate_nip(raw: str, employee_type: EmployeeType | str, today: date | None = None) -> NipInfo:
    """Return what the NIP says, or raise ``NipError`` naming the fault."""
    today = today or tenant_today()
    nip = normalise_nip(raw)
    if not is_nip_shaped(nip):
        raise NipError("length", _l("NIP harus terdiri dari 18 angka."))
    employee_type = EmployeeType(employee_type)
    born = _birth_date(nip, today)
    year = int(nip[8:12])
    month: int | None
    if employee_type is EmployeeType.PNS:
        month = int(nip[12:14])
        if not 1 <= month <= 12:
            raise NipError("appointment", _l("Bulan TMT CPNS dalam NIP (digit 13-14) harus 01-12."))
        appointed = (year, month)
        if appointed <= (born.year, born.month) or appointed > (today.year + 1, today.month):
            raise NipError("appointment", _l("TMT CPNS dalam NIP (digit 9-14) harus sesudah tanggal lahir dan tidak di masa depan."))
    else:
        month = None
        if year <= born.year or year > today.year + 1:
            raise NipError("appointment", _l("Tahun pengangkatan PPPK dalam NIP (digit 9-12) harus sesudah tahun lahir dan tidak di masa depan."))
    if year - born.year < MINIMUM_APPOINTMENT_AGE:
        raise NipError("appointment", _l("Pengangkatan dalam NIP terjadi sebelum usia 15 tahun."))
    sex = SEX_DIGIT.get(nip[14])
    if sex is None:
        raise NipError("sex", _l("Digit jenis kelamin dalam NIP (digit 15) harus 1 atau 2."))
    sequence = int(nip[15:18])
    if sequence == 0:
        raise NipError("sequence", _l("Nomor urut dalam NIP (digit 16-18) harus 001-999."))
    return NipInfo(nip, born, year, month, sex, sequence)


def format_nip(nip: str) -> str:
    """Display form: ``19680411 199303 1 009``."""
    if len(nip) != 18:
        return nip
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def mask_nip(nip: str | None) -> str:
    """A form safe for logs and public pages: only the last three digits."""
    if not nip:
        return ""
    return "*" * max(len(nip) - 3, 0) + nip[-3:]
