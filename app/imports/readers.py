"""Reading an uploaded CSV or XLSX file, from memory, into rows of text.

The format is decided by the content, not by the file name: an XLSX file is
a ZIP archive that openpyxl can open (read-only); anything else must be
UTF-8 text (with or without a byte-order mark) separated by ``,`` or ``;``.
The first non-empty row is the header; its names are matched without regard
to case, spaces or hyphens. Line numbers are the row numbers a spreadsheet
shows (the header is usually line 1).

Everything is bounded (``Limits``), whatever the file declares: rows, columns
per row, cells, and for XLSX the decompressed size of the archive (checked
from its directory before anything is unpacked). openpyxl's read-only mode
trusts a sheet's declared dimension (``A1:XFD1048576`` makes every row 16,384
cells wide): the dimension is discarded and rows are read with explicit
bounds: a cell right of the column bound is refused when it is the first
column past it, and never read further right. Parsing runs in the import's background job (``services.check_batch``);
the upload request only runs ``sniff``, which looks at the first bytes and the
archive's directory.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Generator, Iterable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from app.errors import Invalid

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc)
# Above this, a number stored in a spreadsheet cell has lost digits (doubles
# hold 15-16 significant digits): an 18-digit NIP typed as a number.
LARGEST_EXACT_NUMBER = 10**15
MAX_ARCHIVE_ENTRIES = 1000  # an XLSX has a few dozen parts


def _unusable(message: str) -> Invalid:
    """The file as a whole cannot be used: ``Invalid`` on the upload's ``file`` field."""
    return Invalid(message, "file")


@dataclass
class RawRow:
    line: int
    values: dict[str, str]


@dataclass
class Table:
    columns: list[str]  # the known columns the file has, in file order
    rows: list[RawRow]
    ignored_columns: list[str] = field(default_factory=list)


def normalise_header(name: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(name or "").strip().lower())


@dataclass(frozen=True)
class Limits:
    """How much of a file is read at most (``Limits.from_config`` for the app's)."""

    rows: int = 20_000  # data rows
    columns: int = 100  # cells per row, header included
    cells: int = 1_000_000  # cells read in all
    unzipped_bytes: int = 50 * 1024 * 1024  # an XLSX archive's contents, unpacked

    @property
    def lines(self) -> int:
        """Rows read in all, blank ones included (a file of blank lines ends too)."""
        return self.rows + 1000

    @classmethod
    def from_config(cls, config: Any) -> Limits:
        return cls(rows=config.get("IMPORT_MAX_ROWS", cls.rows),
                   columns=config.get("IMPORT_MAX_COLUMNS", cls.columns),
                   cells=config.get("IMPORT_MAX_CELLS", cls.cells),
                   unzipped_bytes=config.get("IMPORT_MAX_UNZIPPED_BYTES", cls.unzipped_bytes))


def sniff(data: bytes, limits: Limits) -> None:
    """The checks an upload request may afford: the first bytes, the encoding,
    an archive's directory. ``Invalid`` (on ``file``) for a file that cannot be used."""
    if not data.strip():
        raise _unusable(_("Berkas kosong."))
    if data.startswith(OLE2_MAGIC):
        raise _unusable(_("Format Excel lama (.xls) tidak didukung. Simpan sebagai XLSX atau CSV UTF-8, lalu unggah lagi."))
    if data.startswith(ZIP_MAGIC):
        _check_archive(data, limits)
    else:
        _decode(data)


def read_table(data: bytes, required: Iterable[str], optional: Iterable[str], limits: Limits,
               aliases: Mapping[str, str] | None = None) -> Table:
    """Parse ``data``; raise ``Invalid`` (on ``file``) for a file that cannot be used.
    ``aliases``: other header names accepted for a column ("golongan" for "pangkat")."""
    sniff(data, limits)
    lines = _xlsx_lines(data, limits) if data.startswith(ZIP_MAGIC) else _csv_lines(data)
    with closing(lines):  # closes the workbook even when the header is refused
        return _table(_bounded(lines, limits), list(required), list(optional), limits.rows, aliases or {})


def _too_big() -> Invalid:
    return _unusable(_("Berkas ini terlalu besar untuk diimpor sekaligus. Bagi menjadi beberapa berkas."))


def _bounded(lines: Iterable[tuple[int, list[str]]], limits: Limits) -> Iterator[tuple[int, list[str]]]:
    """Stop a file with too many rows, too wide a row or too many cells in all."""
    cells = 0
    for count, (number, row) in enumerate(lines, start=1):
        if count > limits.lines:
            raise _unusable(_("Berkas berisi lebih dari %(n)d baris data. Bagi menjadi beberapa berkas.", n=limits.rows))
        row = _without_trailing_blanks(row)
        if len(row) > limits.columns:
            raise _unusable(_("Baris %(line)d berisi lebih dari %(n)d kolom.", line=number, n=limits.columns))
        cells += len(row)
        if cells > limits.cells:
            raise _too_big()
        yield number, row


# --- formats ----------------------------------------------------------------------

def _without_trailing_blanks(row: list[str]) -> list[str]:
    """A row cut after its last non-empty cell (trailing separators are common)."""
    end = len(row)
    while end and not row[end - 1]:
        end -= 1
    return row[:end]


def _not_xlsx() -> Invalid:
    return _unusable(_("Berkas ini bukan XLSX yang dapat dibaca (rusak atau format lain). Simpan sebagai XLSX atau CSV UTF-8, lalu unggah lagi."))


def _check_archive(data: bytes, limits: Limits) -> None:
    """An XLSX archive whose directory promises no more than ``limits.unzipped_bytes``
    (zipfile never unpacks more than an entry declares, so the sum is a bound)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_xlsx() from None
    if len(entries) > MAX_ARCHIVE_ENTRIES or sum(entry.file_size for entry in entries) > limits.unzipped_bytes:
        raise _too_big()
    if not any(entry.filename == "xl/workbook.xml" for entry in entries):
        raise _not_xlsx()


def _xlsx_lines(data: bytes, limits: Limits) -> Generator[tuple[int, list[str]], None, None]:
    from openpyxl import load_workbook  # here: an upload's need, not start-up's

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (BadZipFile, KeyError, InvalidFileException, …)
        raise _not_xlsx() from None
    try:
        if not workbook.worksheets:
            raise _unusable(_("Berkas XLSX tidak berisi lembar kerja."))
        sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # never trust the declared A1:XFD1048576
        try:
            # One column more than allowed, so that a too-wide row is seen and refused.
            rows = sheet.iter_rows(min_row=1, max_row=limits.lines + 1, max_col=limits.columns + 1,
                                   values_only=True)
            for number, row in enumerate(rows, start=1):
                yield number, [_cell_text(value) for value in row]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            raise _unusable(_("Berkas XLSX rusak dan tidak dapat dibaca sampai selesai.")) from None
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < LARGEST_EXACT_NUMBER:
            return str(int(value))
        return repr(value)  # e.g. "1.98001012005011e+17": reported as a cut-off number
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _unusable(_("Berkas ini bukan CSV berenkode UTF-8 dan bukan XLSX. Di Excel pilih \"CSV UTF-8\" saat menyimpan, atau unggah XLSX.")) from None
    if "\x00" in text:
        raise _unusable(_("Berkas ini bukan CSV atau XLSX."))
    return text


def _csv_lines(data: bytes) -> Generator[tuple[int, list[str]], None, None]:
    text = _decode(data)
    first_line = text.lstrip().partition("\n")[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            yield number, [cell.strip() for cell in row]
    except csv.Error:
        raise _unusable(_("Berkas CSV tidak dapat dibaca di sekitar baris %(line)d (tanda kutip tidak berpasangan atau sel terlalu panjang).",
                                line=reader.line_num)) from None


# --- header and rows ----------------------------------------------------------------

def _table(lines: Iterable[tuple[int, list[str]]], required: list[str], optional: list[str],
           max_rows: int, aliases: Mapping[str, str] | None = None) -> Table:
    known = required + optional
    header: list[str] | None = None
    positions: dict[str, int] = {}
    ignored: list[str] = []
    rows: list[RawRow] = []
    for number, cells in lines:
        if not any(cells):
            continue
        if header is None:
            header = [normalise_header(cell) for cell in cells]
            header = [(aliases or {}).get(name, name) for name in header]
            seen: set[str] = set()
            for index, name in enumerate(header):
                if name and name in seen:
                    raise _unusable(_("Kolom %(name)s muncul lebih dari sekali di baris judul.", name=name))
                seen.add(name)
                if name in known:
                    positions[name] = index
                elif name:
                    ignored.append(name)
            missing = [name for name in required if name not in positions]
            if missing:
                raise _unusable(_(
                    "Kolom wajib tidak ada di baris judul: %(missing)s. Kolom yang diperlukan: %(required)s.",
                    missing=", ".join(missing), required=", ".join(required)))
            continue
        if len(rows) >= max_rows:
            raise _unusable(_("Berkas berisi lebih dari %(n)d baris data. Bagi menjadi beberapa berkas.", n=max_rows))
        rows.append(RawRow(number, {
            name: (cells[index] if index < len(cells) else "") for name, index in positions.items()
        }))
    if header is None:
        raise _unusable(_("Berkas kosong."))
    if not rows:
        raise _unusable(_("Berkas hanya berisi baris judul, tanpa baris data."))
    return Table(columns=[name for name in header if name in positions], rows=rows, ignored_columns=ignored)
