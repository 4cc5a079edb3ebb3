"""The employee roster (rekap pegawai): one streamed SELECT, whatever the size.

Rows are produced from the database cursor ``yield_per`` rows at a time, so a
roster of ten thousand employees never sits in memory as objects.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.org.models import Employee, Position, PositionKind
from app.org.ranks import grade_label, rank_label
from app.reports.recaps import NO, Column, Recap, RecapFilter, numbered, simple

BATCH = 1000

POSITION_KIND_LABELS = {
    PositionKind.JPT: _l("JPT (pimpinan tinggi)"), PositionKind.ADMINISTRATOR: _l("Administrator"),
    PositionKind.PENGAWAS: _l("Pengawas"), PositionKind.PELAKSANA: _l("Pelaksana"),
    PositionKind.FUNGSIONAL: _l("Fungsional"),
}


def roster_columns(flt: RecapFilter) -> list[Column]:  # noqa: ARG001 - the same for every filter
    return [NO, Column(_l("NIP"), "nip", 21), Column(_l("Nama"), "text", 32),
            Column(_l("Pangkat/golongan"), "text", 24), Column(_l("TMT pangkat"), "date", 12),
            Column(_l("Jabatan"), "text", 36), Column(_l("Jenis jabatan"), "text", 20),
            Column(_l("Jenjang"), "text", 16), Column(_l("Unit kerja"), "text", 32),
            Column(_l("Perangkat daerah"), "text", 32), Column(_l("Status kepegawaian"), "text", 12),
            Column(_l("Aktif"), "text", 8)]


def roster_rows(flt: RecapFilter) -> Iterator[list[Any]]:
    query = (
        select(Employee.nip, Employee.name, Employee.rank_code, Employee.rank_tmt, Employee.employee_type,
               Employee.active, Position.name, Position.kind, Position.grade, Position.unit_id)
        .select_from(Employee)
        .outerjoin(Position, Employee.position_id == Position.id)
        .order_by(Employee.name, Employee.id)
    )
    clause = flt.unit_clause(Position.unit_id)
    if clause is not None:
        query = query.where(clause)
    yes, no = _("Ya"), _("Tidak")
    kinds = {kind: str(label) for kind, label in POSITION_KIND_LABELS.items()}
    tree = flt.tree

    def rows():
        result = db.session.execute(query.execution_options(yield_per=BATCH))
        try:
            for (nip, name, rank, tmt, employee_type, active, position, kind, grade, unit_id) in result:
                has_position = position is not None
                yield [nip, name, rank_label(rank), tmt, position or "", kinds.get(kind, "") if kind else "",
                       grade_label(grade), tree.name(unit_id) if has_position else "",
                       tree.opd_name(unit_id) if has_position else "",
                       getattr(employee_type, "value", employee_type), yes if active else no]
        finally:
            result.close()  # a screen reads only the first rows: release the cursor
    return numbered(rows())


RECAPS = (
    Recap("pegawai", _l("Daftar pegawai"),
          _l("Semua pegawai dengan NIP, pangkat/golongan, jabatan, jenis dan jenjang jabatan, unit dan "
             "perangkat daerah."),
          simple(roster_columns, roster_rows), uses_period=False),
)
