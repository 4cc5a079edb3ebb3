"""Bulk upsert of employees by NIP through the API: the employee import's
rules and bulk writer (``app.imports.validation``, ``app.imports.bulk``),
fed from JSON rows instead of a file.

A request is one batch, applied as the import applies a file: every row is
checked first (against the database and the other rows), and only when no
row has an error are the rows written, all together in the request's
transaction; otherwise nothing is written and the report says what is wrong
with which row. Like a file's columns, the fields of the first row are the
batch's fields: an optional field left out (of every row) keeps each
employee's current value; every row must carry the same fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.errors import Conflict
from app.extensions import db
from app.imports import bulk, validation
from app.imports.kinds import SPECS
from app.imports.models import ImportKind
from app.imports.rows import ERROR, Row, no_progress

MAX_ROWS = 1000
FIELDS = SPECS[ImportKind.EMPLOYEES].names  # nip, nama, jenis_kelamin, jenis_asn, kode_jabatan, ...
ROW_FIELD = "_row"  # the key of a message about the row as a whole


@dataclass
class Report:
    rows: list[dict[str, Any]]
    counts: dict[str, int]
    written: bool

    @property
    def ok(self) -> bool:
        return not self.counts[ERROR]

    def field_errors(self) -> dict[str, list[str]]:
        """Every message, keyed ``<index>.<field>`` (the problem's ``errors``)."""
        return {f"{row['index']}.{name}": messages
                for row in self.rows for name, messages in row["errors"].items()}


def _rows(items: list[dict[str, Any]]) -> tuple[list[Row], set[str]]:
    columns = set(items[0]) if items else set()
    rows = []
    for index, item in enumerate(items):
        row = Row(line=index + 1, values={name: "" if value is None else str(value) for name, value in item.items()})
        if set(item) != columns:
            row.error(ROW_FIELD, _("Setiap baris harus memuat isian yang sama dengan baris pertama (%(fields)s).",
                                   fields=", ".join(name for name in FIELDS if name in columns)))
        rows.append(row)
    return rows, columns


def upsert(items: list[dict[str, Any]], dry_run: bool = False) -> Report:
    """Check every row; write them all (unless ``dry_run``) when none has an error.
    Nothing commits here; a clash with a concurrent change is ``Conflict``."""
    rows, columns = _rows(items)
    plan = validation.check(ImportKind.EMPLOYEES, rows, columns)  # adds to the rows' errors
    written = False
    if not plan.errors and not dry_run:
        try:
            bulk.apply_employees(plan, no_progress)
            db.session.flush()
        except (StaleDataError, IntegrityError):
            raise Conflict(_("Data pegawai diubah orang lain selama permintaan ini diproses, jadi tidak ada "
                             "yang ditulis. Kirim ulang permintaan ini.")) from None
        written = True
    return Report([_entry(index, row) for index, row in enumerate(rows)], plan.counts, written)


def _entry(index: int, row: Row) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    for name, message in row.errors:
        errors.setdefault(name, []).append(message)
    return {"index": index, "nip": row.clean.get("nip") or row.raw("nip"),
            "action": ERROR if row.errors else row.action, "changes": list(row.changes), "errors": errors}
