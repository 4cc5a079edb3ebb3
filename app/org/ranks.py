"""The catalogues printed on the official documents: pangkat/golongan and jenjang jabatan.

Pangkat/golongan ruang of a PNS runs from I/a (Juru Muda) to IV/e (Pembina
Utama); a PPPK has a golongan I–XVII and no pangkat name. Codes are stored
as printed ("III/a", "IX"); ``normalise_rank`` turns what people type or
what a spreadsheet holds ("3a", "III-a", "iii/a", "9", "gol. IX") into
that code. ``rank_label`` is the text of the PANGKAT/GOL. RUANG row
("Penata Muda / III/a", "Golongan IX").

The jenjang of a position depends on its kind (``Position.kind``): a
fungsional position is keahlian (Ahli Pertama … Ahli Utama) or keterampilan
(Pemula … Penyelia), a JPT is Pratama, Madya or Utama; administrator,
pengawas and pelaksana positions have none.

Plain data and functions: no database, no Flask (labels are lazy strings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from app.org.models import PositionKind
from app.org.nip import EmployeeType

# --- pangkat / golongan -----------------------------------------------------------------

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
         "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII")

# PNS: golongan ruang → pangkat (PP 99/2000), lowest first.
PNS_RANKS: dict[str, str] = {
    "I/a": "Juru Muda", "I/b": "Juru Muda Tingkat I", "I/c": "Juru", "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda", "II/b": "Pengatur Muda Tingkat I", "II/c": "Pengatur", "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda", "III/b": "Penata Muda Tingkat I", "III/c": "Penata", "III/d": "Penata Tingkat I",
    "IV/a": "Pembina", "IV/b": "Pembina Tingkat I", "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya", "IV/e": "Pembina Utama",
}
# PPPK: golongan I–XVII (Perpres 98/2020), lowest first.
PPPK_RANKS: tuple[str, ...] = ROMAN

_PNS_MAX_RUANG = {"I": "d", "II": "d", "III": "d", "IV": "e"}
_ARABIC = {str(number): roman for number, roman in enumerate(ROMAN, start=1)}
_PNS_INPUT = re.compile(r"^(IV|III|II|I|[1-4])\s*[/\-.\s]?\s*([A-E])$")
_PREFIX = re.compile(r"^(GOLONGAN|GOL\.?)\s*", re.IGNORECASE)


def _employee_type(employee_type: EmployeeType | str | None) -> EmployeeType | None:
    try:
        return EmployeeType(employee_type) if employee_type is not None else None
    except ValueError:
        return None


def normalise_rank(employee_type: EmployeeType | str | None, text: str | None) -> str:
    """The stored code for what was typed ("3a", "III-a", "iii/a" → "III/a";
    PPPK "9", "ix", "Gol. IX" → "IX"), or the trimmed input unchanged when it
    does not look like a code of that type (``valid_rank`` then refuses it).
    Empty input gives ""."""
    value = " ".join((text or "").split())
    if not value:
        return ""
    kind = _employee_type(employee_type)
    bare = _PREFIX.sub("", value).strip().upper()
    if kind is EmployeeType.PPPK:
        bare = bare.replace(" ", "")
        if bare in _ARABIC:
            return _ARABIC[bare]
        return bare if bare in PPPK_RANKS else value
    match = _PNS_INPUT.match(bare)
    if match is None:
        return value
    golongan, ruang = match.groups()
    golongan = _ARABIC.get(golongan, golongan)
    code = f"{golongan}/{ruang.lower()}"
    return code if code in PNS_RANKS else value


def valid_rank(employee_type: EmployeeType | str | None, code: str | None) -> bool:
    """Whether ``code`` (already normalised) is a rank of that employee type."""
    kind = _employee_type(employee_type)
    if kind is EmployeeType.PNS:
        return code in PNS_RANKS
    if kind is EmployeeType.PPPK:
        return code in PPPK_RANKS
    return False


def rank_choices(employee_type: EmployeeType | str | None) -> list[tuple[str, str]]:
    """(code, label) of every rank of that type, lowest first."""
    kind = _employee_type(employee_type)
    if kind is EmployeeType.PNS:
        return [(code, rank_label(code)) for code in PNS_RANKS]
    if kind is EmployeeType.PPPK:
        return [(code, rank_label(code)) for code in PPPK_RANKS]
    return []


def rank_label(code: str | None) -> str:
    """The PANGKAT/GOL. RUANG text: "Penata Muda / III/a" for a PNS code,
    "Golongan IX" for a PPPK one, "" for none; an unknown code as it is."""
    if not code:
        return ""
    if code in PNS_RANKS:
        return f"{PNS_RANKS[code]} / {code}"
    if code in PPPK_RANKS:
        return f"Golongan {code}"
    return code


def rank_order(code: str | None) -> int:
    """A sort key: higher ranks sort later (PNS and PPPK each in their own order)."""
    if code in PNS_RANKS:
        return list(PNS_RANKS).index(code)
    if code in PPPK_RANKS:
        return PPPK_RANKS.index(code)
    return -1


def allowed_ranks_text(employee_type: EmployeeType | str | None) -> str:
    """For messages: "I/a–IV/e" or "I–XVII"."""
    kind = _employee_type(employee_type)
    if kind is EmployeeType.PPPK:
        return f"{PPPK_RANKS[0]}–{PPPK_RANKS[-1]}"
    codes = list(PNS_RANKS)
    return f"{codes[0]}–{codes[-1]}"


# --- jenjang jabatan ----------------------------------------------------------------------

@dataclass(frozen=True)
class Grade:
    code: str
    label: Any  # lazy string
    group: Any  # lazy string: the kind of ladder it belongs to


_KEAHLIAN = _l("Fungsional keahlian")
_KETERAMPILAN = _l("Fungsional keterampilan")
_JPT = _l("Pimpinan tinggi")

GRADES: dict[PositionKind, tuple[Grade, ...]] = {
    PositionKind.FUNGSIONAL: (
        Grade("ahli_pertama", _l("Ahli Pertama"), _KEAHLIAN),
        Grade("ahli_muda", _l("Ahli Muda"), _KEAHLIAN),
        Grade("ahli_madya", _l("Ahli Madya"), _KEAHLIAN),
        Grade("ahli_utama", _l("Ahli Utama"), _KEAHLIAN),
        Grade("pemula", _l("Pemula"), _KETERAMPILAN),
        Grade("terampil", _l("Terampil"), _KETERAMPILAN),
        Grade("mahir", _l("Mahir"), _KETERAMPILAN),
        Grade("penyelia", _l("Penyelia"), _KETERAMPILAN),
    ),
    PositionKind.JPT: (
        Grade("pratama", lazy_pgettext("jenjang JPT", "Pratama"), _JPT),
        Grade("madya", lazy_pgettext("jenjang JPT", "Madya"), _JPT),
        Grade("utama", lazy_pgettext("jenjang JPT", "Utama"), _JPT),
    ),
    PositionKind.ADMINISTRATOR: (),
    PositionKind.PENGAWAS: (),
    PositionKind.PELAKSANA: (),
}
GRADE_BY_CODE: dict[str, Grade] = {g.code: g for grades in GRADES.values() for g in grades}


def _position_kind(kind: PositionKind | str | None) -> PositionKind | None:
    try:
        return PositionKind(kind) if kind is not None else None
    except ValueError:
        return None


def grade_choices(kind: PositionKind | str | None) -> list[tuple[str, str]]:
    """(code, label) of the jenjang a position of that kind may have; none for structural posts below JPT."""
    position_kind = _position_kind(kind)
    return [(g.code, str(g.label)) for g in GRADES.get(position_kind, ())] if position_kind else []


def valid_grade(kind: PositionKind | str | None, code: str | None) -> bool:
    """Whether ``code`` is a jenjang of that kind of position (no jenjang is always valid)."""
    if not code:
        return True
    position_kind = _position_kind(kind)
    return position_kind is not None and any(g.code == code for g in GRADES[position_kind])


def grade_label(code: str | None) -> str:
    """"Ahli Muda"; "" for none; an unknown code as it is."""
    if not code:
        return ""
    grade = GRADE_BY_CODE.get(code)
    return str(grade.label) if grade is not None else code


def normalise_grade(text: str | None) -> str:
    """The code for a typed jenjang ("Ahli Muda", "ahli-muda", "AHLI_MUDA" → "ahli_muda");
    the trimmed input when it is none of them."""
    value = " ".join((text or "").split())
    key = re.sub(r"[\s\-]+", "_", value.lower())
    if key in GRADE_BY_CODE:
        return key
    for grade in GRADE_BY_CODE.values():
        if str(grade.label).lower() == value.lower():
            return grade.code
    return value
