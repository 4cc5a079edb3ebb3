"""Recaps of the citizens' side: IKM per unit and element, complaints with their
response times. Both read the dates of the chosen tenant period
(``ReportingPeriod.of``), as region plugins do."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.org.models import Unit
from app.publik.complaints import resolution_days
from app.publik.forms import CATEGORY_LABELS, ELEMENT_NAMES, STATUS_LABELS
from app.publik.ikm import ELEMENTS
from app.publik.models import Complaint, ComplaintCategory, ComplaintStatus
from app.publik.periods import ReportingPeriod
from app.publik.surveys import ikm_by_unit
from app.reports.recaps import NO, Column, Recap, RecapFilter, numbered, simple
from app.tenancy import tenant_zone

# --- IKM per unit and element ----------------------------------------------------------


def ikm_columns(flt: RecapFilter) -> list[Column]:  # noqa: ARG001 - the same for every filter
    return [NO, Column(_l("Perangkat daerah"), "text", 32), Column(_l("Unit layanan"), "text", 32),
            Column(_l("Responden"), "int", 11),
            *(Column(f"{code} {ELEMENT_NAMES[code]}", "num", 12) for code, _name in ELEMENTS),
            Column(_l("IKM"), "num", 9), Column(_l("Mutu pelayanan"), "text", 18)]


def ikm_rows(flt: RecapFilter) -> Iterator[list[Any]]:
    """Every active unit, as the admin IKM page lists them; the figures from the
    same service (``ikm_by_unit``: one GROUP BY)."""
    results = ikm_by_unit(ReportingPeriod.of(flt.period))
    query = select(Unit.id).where(Unit.active)
    clause = flt.unit_clause(Unit.id)
    if clause is not None:
        query = query.where(clause)
    tree = flt.tree
    units = sorted(db.session.scalars(query), key=lambda u: (tree.opd_name(u).lower(), tree.name(u).lower(), u))

    def rows():
        for unit_id in units:
            result = results.get(unit_id)
            if result is None:
                yield [tree.opd_name(unit_id), tree.name(unit_id), 0, *([None] * len(ELEMENTS)), None, ""]
            else:
                yield [tree.opd_name(unit_id), tree.name(unit_id), result.respondents, *result.element_means,
                       result.index, f"{result.band.code} · {result.band.label}"]
    return numbered(rows())


# --- complaints with response times ------------------------------------------------------------

def complaint_columns(flt: RecapFilter) -> list[Column]:  # noqa: ARG001 - the same for every filter
    return [NO, Column(_l("Nomor"), "text", 11), Column(_l("Perangkat daerah"), "text", 30),
            Column(_l("Unit kerja"), "text", 30), Column(_l("Jenis pengaduan"), "text", 26),
            Column(_l("Status"), "text", 16), Column(_l("Diterima"), "date", 12),
            Column(_l("Tanggapan pertama"), "date", 12), Column(_l("Hari sampai tanggapan"), "int", 12),
            Column(_l("Selesai"), "date", 12), Column(_l("Hari sampai selesai"), "num", 12),
            Column(_l("Terbukti"), "text", 10)]


def _local_day(value: datetime | None, zone):
    return value.replace(tzinfo=UTC).astimezone(zone).date() if value is not None else None


def complaint_rows(flt: RecapFilter) -> Iterator[list[Any]]:
    """Complaints received in the period (one SELECT), by unit then date of receipt.
    Days as the publik figures count them: whole days to the first response
    (``unit_complaint_figures``), days to closing to one decimal (``resolution_days``)."""
    period = ReportingPeriod.of(flt.period)
    query = (
        select(Complaint.id, Complaint.unit_id, Complaint.category, Complaint.status, Complaint.received_on,
               Complaint.received_at, Complaint.first_response_at, Complaint.closed_at, Complaint.substantiated)
        .where(Complaint.received_on >= period.starts_on, Complaint.received_on <= period.ends_on)
        .order_by(Complaint.received_at, Complaint.id)
    )
    clause = flt.unit_clause(Complaint.unit_id)
    if clause is not None:
        query = query.where(clause)
    tree = flt.tree
    found = sorted(db.session.execute(query).all(),
                   key=lambda r: (tree.opd_name(r.unit_id).lower(), tree.name(r.unit_id).lower(), r.unit_id))
    zone = tenant_zone()
    findings = {True: _("Ya"), False: _("Tidak"), None: ""}

    def rows():
        for row in found:
            response_days = ((row.first_response_at - row.received_at).days
                             if row.first_response_at is not None else None)
            yield [f"ADU-{row.id:05d}", tree.opd_name(row.unit_id), tree.name(row.unit_id),
                   str(CATEGORY_LABELS.get(ComplaintCategory(row.category), row.category)),
                   str(STATUS_LABELS.get(ComplaintStatus(row.status), row.status)),
                   row.received_on, _local_day(row.first_response_at, zone), response_days,
                   _local_day(row.closed_at, zone), resolution_days(row) if row.closed_at is not None else None,
                   findings[row.substantiated]]
    return numbered(rows())


RECAPS = (
    Recap("ikm", _l("IKM per unit dan unsur"),
          _l("Indeks Kepuasan Masyarakat per unit layanan untuk tanggal periode terpilih: nilai rata-rata "
             "tiap unsur, IKM dan mutu pelayanan."),
          simple(ikm_columns, ikm_rows)),
    Recap("pengaduan", _l("Pengaduan dan waktu tanggapan"),
          _l("Pengaduan yang diterima dalam periode terpilih per unit: tanggal diterima, tanggapan pertama, "
             "selesai, dan lamanya dalam hari."),
          simple(complaint_columns, complaint_rows)),
)
