"""The one writer for every CSV and XLSX file the application produces.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-``, ``@``, a TAB
or a carriage return as a formula (CSV injection, OWASP): a unit named
``=HYPERLINK("http://…","Klik")`` would go out as a live link. Every text
cell that starts that way is written with a leading apostrophe, which
spreadsheets show as plain text. Numbers stay numbers (a negative number is
not text and is not touched).

    csv_text(rows)                    # "a;b\\r\\n…" for Excel with Indonesian settings
    csv_text(rows, delimiter=",", bom=False)
    xlsx_bytes(rows, sheet="Data")

Base layer: knows nothing of the domain; any layer may import it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
BOM = "\ufeff"


def neutralise(cell: Any) -> Any:
    """``cell`` as a spreadsheet will read it as text, never as a formula."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def neutral_rows(rows: Iterable[Iterable[Any]]) -> list[list[Any]]:
    return [[neutralise(cell) for cell in row] for row in rows]


def csv_text(rows: Iterable[Iterable[Any]], *, delimiter: str = ";", bom: bool = True) -> str:
    """CSV text, ``;``-separated with a byte-order mark by default (what Excel
    with Indonesian regional settings opens in columns); CRLF line ends."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(neutral_rows(rows))
    return (BOM if bom else "") + buffer.getvalue()


def xlsx_bytes(rows: Iterable[Iterable[Any]], *, sheet: str = "Data") -> bytes:
    """An XLSX workbook of one sheet. Text cells are stored as text (openpyxl
    would otherwise store a string starting with ``=`` as a formula)."""
    from openpyxl import Workbook  # here: a download's need, not start-up's (~80 ms, 12 MB)

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31] or "Data")
    for row in neutral_rows(rows):
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
