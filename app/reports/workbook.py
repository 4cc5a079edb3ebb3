"""The one writer of every recap: XLSX in openpyxl's write-only (streaming) mode, and CSV.

The sheet: a title row (tenant, recap), a subtitle row (period, unit, generated
at), the header row frozen with an autofilter, column widths from the recap's
columns. NIP cells are text with number format "@" (18 digits, never
1.98E+17); dates are dates; every text cell that a spreadsheet would read as
a formula goes out as text (``app.tabular.neutralise``). Rows are written as
the generator yields them, so memory does not grow with the row count.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from app.reports.recaps import Column
from app.tabular import BOM, neutralise

HEADER_ROW = 3  # title, subtitle, header
DATE_FORMAT = "DD-MM-YYYY"
FORMATS = {"nip": "@", "pct": "0.0", "date": DATE_FORMAT}  # text, int, num: General
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def _plain(value: Any) -> Any:
    """A value openpyxl and csv take as it is: lazy strings become text."""
    if value is None or isinstance(value, (str, int, float, Decimal, date, datetime)):
        return value
    return str(value)


def xlsx_recap(title: str, subtitle: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]],
               *, sheet: str = "Rekap") -> bytes:
    # Imported here: openpyxl is slow to import and only a download of a recap needs it.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=sheet[:31] or "Rekap")
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"  # before the first row: the write-only sheet writes views first

    def cell(value: Any, **style) -> WriteOnlyCell:
        c = WriteOnlyCell(ws, value=neutralise(_plain(value)))
        for name, setting in style.items():
            setattr(c, name, setting)
        return c

    ws.append([cell(title, font=Font(bold=True, size=13))])
    ws.append([cell(subtitle, font=Font(italic=True))])
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append([cell(c.label, font=Font(bold=True), fill=header_fill, alignment=wrap) for c in columns])

    # Only the cells that need a format get a styled cell: openpyxl's cost is per styled cell.
    formats = [FORMATS.get(c.kind) for c in columns]
    count = 0
    for row in rows:
        out = []
        for value, fmt in zip(row, formats, strict=False):
            value = neutralise(_plain(value))
            if fmt is None or value is None:
                out.append(value)
            else:
                styled = WriteOnlyCell(ws, value=value)
                styled.number_format = fmt
                out.append(styled)
        ws.append(out)
        count += 1
    last = get_column_letter(max(len(columns), 1))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + count}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_value(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return neutralise(value)


def csv_recap(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, ``;``-separated, CRLF: what Excel with
    Indonesian settings opens in columns (as ``app.tabular.csv_text``)."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_value(c.label) for c in columns])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8")
