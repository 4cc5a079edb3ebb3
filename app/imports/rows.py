"""Import rows and what checking them found: the row, the plan of a file, and
the checks of one value and across rows that every kind of file uses."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from flask_babel import gettext as _

from app.imports.models import ImportKind

CODE_RE = re.compile(r"^[A-Za-z0-9._-]+$")  # as the admin forms accept
CODE_MAX = 30
NAME_MAX = 200
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# What Excel makes of an 18-digit number: 1.98001012005011E+17
CUT_OFF_NUMBER_RE = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$")

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"

Progress = Callable[[int], None]


def no_progress(done: int) -> None:  # noqa: ARG001
    return None


@dataclass
class Row:
    line: int
    values: dict[str, str]  # as read from the file (or as stored after a check)
    clean: dict[str, str] = field(default_factory=dict)  # normalised values of the file's columns
    errors: list[tuple[str, str]] = field(default_factory=list)
    action: str | None = None
    changes: list[str] = field(default_factory=list)
    ref_id: int | None = None  # a resolved reference (employees: the position id)

    def raw(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def error(self, column: str, message: Any) -> None:
        self.errors.append((column, str(message)))

    def as_stored(self) -> dict[str, Any]:
        if self.errors:
            return {"line": self.line, "action": ERROR, "values": self.values, "changes": []}
        return {"line": self.line, "action": self.action, "values": self.clean, "changes": self.changes}


@dataclass
class Plan:
    kind: ImportKind
    columns: set[str]
    rows: list[Row]
    # The database's records the rows were checked against, by key (employees: by NIP,
    # with id, version and every audited column), so that writing need not read them again.
    existing: dict[str, Any] = field(default_factory=dict)

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [{"line": row.line, "field": column, "message": message}
                for row in self.rows for column, message in row.errors]

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, ERROR: 0}
        for row in self.rows:
            counts[ERROR if row.errors else row.action or ERROR] += 1
        return counts


# --- one value ------------------------------------------------------------------------

def read_text(row: Row, column: str, required: bool, max_length: int = NAME_MAX) -> str:
    value = row.raw(column)
    if not value:
        if required:
            row.error(column, _("Wajib diisi."))
    elif len(value) > max_length:
        row.error(column, _("Paling banyak %(n)d karakter.", n=max_length))
    return value


def read_code(row: Row, column: str, required: bool) -> str:
    value = read_text(row, column, required, CODE_MAX).upper()
    if value and len(value) <= CODE_MAX and not CODE_RE.match(value):
        row.error(column, _("Kode hanya huruf, angka, titik, garis bawah atau tanda hubung."))
    return value


def read_choice(row: Row, column: str, choices: type[StrEnum], required: bool) -> str:
    value = row.raw(column)
    if not value:
        if required:
            row.error(column, _("Wajib diisi."))
        return ""
    known = _choices(choices)
    if value.lower() not in known:
        row.error(column, _("Nilai %(value)s tidak dikenal. Pilihan: %(choices)s.",
                            value=value, choices=", ".join(known.values())))
        return ""
    return known[value.lower()]


_CHOICES: dict[type[StrEnum], dict[str, str]] = {}


def _choices(choices: type[StrEnum]) -> dict[str, str]:
    """Lower-cased value → value, built once per enum (read_choice runs for every cell)."""
    known = _CHOICES.get(choices)
    if known is None:
        known = _CHOICES[choices] = {member.value.lower(): member.value for member in choices}
    return known


def read_email(row: Row, column: str) -> str:
    value = read_text(row, column, required=False)
    if value and not EMAIL_RE.match(value):
        row.error(column, _("Alamat email tidak valid."))
    return value


_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def read_date(row: Row, column: str) -> str:
    """A date as ISO text ("2021-04-01"); "01-04-2021" and "01/04/2021" (day first) are read too."""
    value = row.raw(column)
    if not value:
        return ""
    text = value.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2} 00:00(:00)?$", value) else value
    match = _DAY_FIRST.match(text)
    try:
        if match:
            day = date(int(match[3]), int(match[2]), int(match[1]))
        else:
            day = date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        day = None
    if day is None:
        row.error(column, _("Tanggal %(value)s tidak valid; tulis TTTT-BB-HH, misalnya 2021-04-01.", value=value))
        return ""
    return day.isoformat()


def keep_present(row: Row, columns: set[str], values: dict[str, str]) -> None:
    """Only the file's columns are stored: a missing optional column changes nothing."""
    row.clean = {name: value for name, value in values.items() if name in columns}


# --- across rows ----------------------------------------------------------------------

def mark_duplicates(rows: list[Row], column: str, message: Callable[[str, str], str]) -> None:
    """Every row whose key appears again in the file, with the lines of all of them."""
    lines: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.clean.get(column):
            lines[row.clean[column]].append(row.line)
    for row in rows:
        value = row.clean.get(column)
        if value and len(lines[value]) > 1:
            row.error(column, message(value, ", ".join(str(n) for n in lines[value])))


def cycle_members(parent_of: dict[str, str | None]) -> set[str]:
    """The keys that are their own ancestor in a key → parent key mapping."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    members: set[str] = set()
    for start in parent_of:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parent_of and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parent_of[node]
        if node is not None and state.get(node) == 1:
            members.update(path[path.index(node):])
        for visited in path:
            state[visited] = 2
    return members


def parents_first(rows: list[Row], key: str, parent: str) -> list[Row]:
    """Rows ordered so that a row comes after the row of its parent (if that is in the file)."""
    by_key = {row.clean[key]: row for row in rows}
    ordered: list[Row] = []
    placed: set[int] = set()
    for row in rows:
        chain: list[Row] = []
        current: Row | None = row
        while current is not None and id(current) not in placed:
            placed.add(id(current))  # also ends a (refused) cycle
            chain.append(current)
            current = by_key.get(current.clean.get(parent) or "")
        ordered.extend(reversed(chain))
    return ordered


def check_references(rows: list[Row], plan: Plan, column: str,
                      existing: dict[str, Any], code_of: dict[int, str], parent_attr: str,
                      not_found: Callable[[str], str], inactive: Callable[[str], str], cycle: str) -> None:
    """A parent code points at an active record of the database or a row of the file,
    and the tree of database plus file has no cycle."""
    in_file = {row.clean["kode"] for row in rows if row.clean.get("kode")}
    parent_of: dict[str, str | None] = {code: code_of.get(getattr(rec, parent_attr)) for code, rec in existing.items()}
    for row in rows:
        code = row.clean.get("kode")
        if code and column in plan.columns:
            parent_of[code] = row.clean.get(column) or None
        elif code and code not in existing:
            parent_of[code] = None
    cyclic = cycle_members(parent_of)
    for row in rows:
        target = row.clean.get(column)
        if not target:
            continue
        if target in existing and not existing[target].active:
            row.error(column, inactive(target))
        elif target not in existing and target not in in_file:
            row.error(column, not_found(target))
        elif row.clean.get("kode") in cyclic:
            row.error(column, cycle)
