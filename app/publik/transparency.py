"""What the admin publishes for citizens, and the public report download.

A ``Publication`` stores a snapshot of aggregates that have already been
through small-group suppression: the public page renders that snapshot and
nothing else, so no unpublished (or later) data is ever visible, and no raw
small count is ever stored in a publication. Nothing here names a person.

Kinds:
* ``ikm`` — per unit: respondents, IKM, band, element means (units with
  fewer respondents than the threshold are suppressed, and a unit's year is
  suppressed when it would reveal a suppressed quarter by subtraction);
* ``pengaduan`` — received, resolved, median resolution days, overall and
  per unit (a median over fewer than the threshold is suppressed);
* ``predikat`` — employees per unit × predikat from FINAL evaluations
  (``predikat_counts``), through ``protect_table``: small cells and units are
  hidden, and so are complementary cells so nothing follows by subtraction;
* ``laporan`` — the region's public report (a ``ReportFormat`` with
  ``audience=PUBLIC``, e.g. Walesi's). It holds no figures of its own: the
  download renders the format from the ``ikm``, ``pengaduan`` and
  ``predikat`` publications of the same period that are online at that
  moment (``report_data_for``), so the report never shows a figure the
  page does not, and the subtraction guards above cover it too.

Periods: a publication is for a calendar quarter or a whole year
(``ReportingPeriod.for_publication``). Surveys and complaints count by date.
Evaluations belong to the tenant's ``Period`` rows; the predikat of a
publication period comes from the evaluations of the ``Period`` row with
exactly its dates — the YEAR row (the annual evaluation) for a year, the
QUARTER row for a quarter. Regions evaluating per semester or month publish
their distribution per year.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import providers
from app.errors import Invalid
from app.extensions import db
from app.org.models import Unit
from app.publik import complaints as complaint_service
from app.publik import surveys
from app.publik.ikm import ELEMENTS
from app.publik.models import Publication, PublicationKind, PublikSettings
from app.publik.periods import ReportingPeriod
from app.publik.suppression import is_small, protect_table
from app.regions.reports import (
    ComplaintLine,
    ComplaintStatistics,
    PredikatRow,
    PredikatTable,
    PublicReportData,
    UnitSatisfactionLine,
)
from app.regions.types import ReportAudience
from app.tabular import csv_text
from app.tenancy import tenant, tenant_rules, utc_now

DEFAULT_MIN_GROUP_SIZE = 5


def settings() -> PublikSettings:
    """The tenant's public-page settings (created with defaults on first use)."""
    row = db.session.scalar(select(PublikSettings))
    if row is None:
        row = PublikSettings(min_group_size=DEFAULT_MIN_GROUP_SIZE)
        db.session.add(row)
        db.session.flush()
    return row


def min_group_size() -> int:
    row = db.session.scalar(select(PublikSettings))
    return row.min_group_size if row is not None else DEFAULT_MIN_GROUP_SIZE


def _unit_names() -> dict[int, str]:
    return {uid: name for uid, name in db.session.execute(select(Unit.id, Unit.name))}


def published(kind: PublicationKind | None = None) -> list[Publication]:
    query = select(Publication).where(Publication.withdrawn_at.is_(None))
    if kind is not None:
        query = query.where(Publication.kind == kind)
    return list(db.session.scalars(query.order_by(Publication.year.desc(), Publication.quarter.desc(),
                                                  Publication.published_at.desc())))


def _published_ikm_units(year: int) -> dict[int, dict[str, Any]]:
    """quarter → {unit key: row} of the IKM publications of a year still online."""
    out: dict[int, dict[str, Any]] = {}
    for pub in published(PublicationKind.IKM):
        if pub.year == year:
            out.setdefault(pub.quarter, {}).update({row["unit_id"]: row for row in pub.data.get("units", [])})
    return out


# --- building the snapshots ---------------------------------------------------------------

def ikm_snapshot(period: ReportingPeriod, threshold: int) -> dict[str, Any]:
    results = surveys.ikm_by_unit(period)
    if not results:
        raise Invalid(_l("Belum ada jawaban survei pada periode ini."), "kind")
    names = _unit_names()
    # Guard against subtraction across periods: a year next to its published
    # quarters (or a quarter next to the published year and other quarters)
    # must not leave a small remainder of respondents.
    shown_elsewhere = _published_ikm_units(period.year)
    rows = []
    for unit_id, result in sorted(results.items(), key=lambda item: names.get(item[0], "")):
        hidden = is_small(result.respondents, threshold)
        if not hidden:
            hidden = _remainder_is_small(unit_id, period, shown_elsewhere, threshold)
        rows.append({
            "unit_id": unit_id, "unit": names.get(unit_id, "?"),
            "respondents": None if hidden else result.respondents,
            "ikm": None if hidden else str(result.index),
            "band": None if hidden else result.band.code,
            "band_label": None if hidden else result.band.label,
            "elements": None if hidden else [str(m) for m in result.element_means],
        })
    return {"units": rows, "threshold": threshold, "elements": [code for code, _ in ELEMENTS]}


def _remainder_is_small(unit_id: int, period: ReportingPeriod, shown: dict[int, dict], threshold: int) -> bool:
    """Would publishing ``period`` let a reader subtract published quarters
    from the published year and find a small group of respondents?"""
    def published_n(quarter: int) -> int | None:
        row = shown.get(quarter, {}).get(unit_id)
        return row.get("respondents") if row else None

    if period.quarter == 0:
        year_n = surveys.respondent_counts(period).get(unit_id, 0)
        quarter_ns = [n for q in range(1, 5) if (n := published_n(q))]
        if not quarter_ns:
            return False
    else:
        year_n = published_n(0)
        if not year_n:
            return False
        quarter_ns = [surveys.respondent_counts(period).get(unit_id, 0)]
        quarter_ns += [n for q in range(1, 5) if q != period.quarter and (n := published_n(q))]
    return is_small(year_n - sum(quarter_ns), threshold)


def complaints_snapshot(period: ReportingPeriod, threshold: int) -> dict[str, Any]:
    stats = complaint_service.complaint_stats(period)
    names = _unit_names()

    def _median(resolved: int, median: float | None):
        return None if median is None or is_small(resolved, threshold) else median

    return {
        "received": stats.received, "resolved": stats.resolved,
        "median_days": _median(stats.resolved, stats.median_resolution_days),
        "units": [{"unit": names.get(u, "?"), "received": r, "resolved": s, "median_days": _median(s, m)}
                  for u, (r, s, m) in sorted(stats.by_unit.items(), key=lambda i: names.get(i[0], ""))],
        "threshold": threshold,
    }


NO_UNIT = "Tanpa unit kerja"


def predikat_counts(period: ReportingPeriod) -> dict[str, dict[str, int]]:
    """Employees per unit × predikat code for the period, from FINAL evaluations
    (asked through ``app.providers``: the YEAR row for a year, the QUARTER row
    for a quarter; drafts never count).

    Rows are keyed by the unit's name (with its code where two units share a
    name) of the employee's current unit, so the page can line the predikat up
    with the unit's IKM and complaints; only an employee without a position any
    more falls back to the unit name their plan recorded. No person is named.
    """
    rows = providers.predikat_rows(period.starts_on, period.ends_on)
    if not rows:
        return {}
    names = _unit_row_names()
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        key = (names.get(row.unit_id, "?") if row.unit_id is not None
               else ((row.recorded_unit_name or "").strip() or NO_UNIT))
        counts.setdefault(key, {})
        counts[key][row.predikat_code] = counts[key].get(row.predikat_code, 0) + row.employees
    return dict(sorted(counts.items()))


def _unit_row_names() -> dict[int, str]:
    """Unit id → the row label: its name, with its code when the name is not unique."""
    units = db.session.execute(select(Unit.id, Unit.name, Unit.code)).all()
    seen: dict[str, int] = {}
    for _id, name, _code in units:
        seen[name] = seen.get(name, 0) + 1
    return {uid: (f"{name} ({code})" if seen[name] > 1 else name) for uid, name, code in units}


def evaluated_periods() -> list[ReportingPeriod]:
    """The publication periods (years, calendar quarters) with FINAL evaluations, newest first."""
    found = []
    for starts_on, ends_on in providers.evaluated_period_dates():
        for quarter in range(5):
            candidate = ReportingPeriod.for_publication(starts_on.year, quarter)
            if (candidate.starts_on, candidate.ends_on) == (starts_on, ends_on):
                found.append(candidate)
    return sorted(found, key=lambda p: (p.year, p.quarter == 0, p.quarter), reverse=True)


def predikat_labels() -> list[tuple[str, str]]:
    """(code, label) of the tenant's predikat, best first."""
    scheme = tenant_rules().rule_set.scheme
    if scheme is None:
        return []
    if scheme.kind == "matrix":
        return [(p.code, p.label) for p in sorted(scheme.predikat, key=lambda p: p.rank)]
    ordered = sorted((b for b in scheme.bands if not b.requires_innovation), key=lambda b: -b.lower)
    extra = [b for b in scheme.bands if b.requires_innovation]
    return [(b.code, b.label) for b in extra + ordered]


def predikat_snapshot(period: ReportingPeriod, threshold: int) -> dict[str, Any]:
    counts = predikat_counts(period)
    if not counts:
        raise Invalid(_l("Belum ada hasil evaluasi kinerja pegawai yang dapat diterbitkan."), "kind")
    labels = predikat_labels()
    # A predikat the current scheme no longer has (an older rule-set version)
    # still counts: as an extra column, labelled as the evaluation stored it.
    known = {code for code, _ in labels}
    extra = sorted({code for row in counts.values() for code in row} - known)
    if extra:
        stored = providers.stored_predikat_labels(extra)
        labels = [*labels, *((code, stored.get(code) or code) for code in extra)]
    table = protect_table(counts, [code for code, _ in labels], threshold)
    return {"table": table.to_dict(), "labels": labels, "threshold": threshold}


def public_report_formats():
    rule_set = tenant_rules().rule_set
    return [f for f in rule_set.report_formats if f.audience is ReportAudience.PUBLIC]


def report_snapshot(period: ReportingPeriod, threshold: int) -> dict[str, Any]:  # noqa: ARG001
    """Publishing the public report records which format; its figures are the
    period's published aggregates, gathered when it is downloaded."""
    formats = public_report_formats()
    if not formats:
        raise Invalid(_l("Aturan daerah ini tidak memiliki format laporan untuk publik."), "kind")
    if not _sources(period.year, period.quarter):
        raise Invalid(_l("Laporan untuk publik disusun dari angka yang sudah diterbitkan: terbitkan dulu IKM, statistik "
                         "pengaduan atau sebaran predikat untuk periode yang sama."), "kind")
    fmt = formats[0]
    return {"format": fmt.code, "name": fmt.name, "media_type": fmt.media_type, "extension": fmt.file_extension}


_SOURCE_KINDS = (PublicationKind.PREDIKAT, PublicationKind.IKM, PublicationKind.PENGADUAN)


def _sources(year: int, quarter: int) -> dict[PublicationKind, Publication]:
    """The newest online publication of each aggregate kind for a period."""
    found: dict[PublicationKind, Publication] = {}
    for pub in published():
        if pub.kind in _SOURCE_KINDS and pub.year == year and pub.quarter == quarter:
            found.setdefault(pub.kind, pub)
    return found


def report_data_for(report: Publication) -> PublicReportData:
    """What the region's public report format receives for a ``laporan``
    publication: the already-suppressed aggregates published for its period,
    straight from those publications' snapshots — no database row of a person."""
    sources = _sources(report.year, report.quarter)
    threshold = next((p.data.get("threshold") for p in sources.values() if p.data.get("threshold")),
                     min_group_size())
    predikat = None
    if pub := sources.get(PublicationKind.PREDIKAT):
        table, names = pub.data["table"], dict(map(tuple, pub.data["labels"]))
        cells = table["cells"]
        columns = tuple((code, names.get(code, code)) for code in table["columns"])

        def row(key: str, label: str) -> PredikatRow:
            return PredikatRow(label, tuple(cells[key][code] for code in table["columns"]), cells[key]["__total__"])

        predikat = PredikatTable(columns, tuple(row(r, r) for r in table["rows"]), row("__total__", "Jumlah"),
                                 table.get("threshold", threshold))
    satisfaction: tuple[UnitSatisfactionLine, ...] = ()
    if pub := sources.get(PublicationKind.IKM):
        satisfaction = tuple(UnitSatisfactionLine(u["unit"], u["respondents"], u["ikm"], u["band"], u["band_label"])
                             for u in pub.data.get("units", []))
    complaints = None
    if pub := sources.get(PublicationKind.PENGADUAN):
        data = pub.data
        complaints = ComplaintStatistics(data["received"], data["resolved"], data["median_days"], tuple(
            ComplaintLine(u["unit"], u["received"], u["resolved"], u["median_days"]) for u in data.get("units", [])))
    return PublicReportData(tenant_name=tenant().name, period_label=report.period_label,
                            generated_on=report.published_at.date(), threshold=threshold,
                            predikat=predikat, satisfaction=satisfaction, complaints=complaints)


def render_public_report(report: Publication) -> str | bytes:
    """The ``laporan`` publication rendered by the tenant's region format.
    Raises ``KeyError`` when the tenant's rules no longer have that format."""
    return tenant_rules().render_report(report.data["format"], report_data_for(report))


_BUILDERS = {
    PublicationKind.IKM: ikm_snapshot,
    PublicationKind.PENGADUAN: complaints_snapshot,
    PublicationKind.PREDIKAT: predikat_snapshot,
    PublicationKind.LAPORAN: report_snapshot,
}


def publish(kind: PublicationKind, year: int, quarter: int, user_id: int | None) -> Publication:
    """Publish ``kind`` for a period; replaces an earlier publication of the same."""
    period = ReportingPeriod.for_publication(year, quarter)
    data = _BUILDERS[kind](period, min_group_size())
    now = utc_now()
    for old in db.session.scalars(select(Publication).where(
            Publication.kind == kind, Publication.year == year, Publication.quarter == quarter,
            Publication.withdrawn_at.is_(None))):
        old.withdrawn_at = now
    publication = Publication(kind=kind, year=year, quarter=quarter, period_label=period.label,
                              data=data, published_by_id=user_id, published_at=now)
    db.session.add(publication)
    return publication


def withdraw(publication: Publication) -> None:
    publication.withdrawn_at = utc_now()


def aggregates_csv(publication: Publication) -> str:
    """A CSV of a published snapshot (hidden cells as "<threshold"), through the
    shared writer: a unit named ``=HYPERLINK(...)`` goes out as text."""
    rows: list[list] = []
    data = publication.data
    hidden = f"<{data.get('threshold', DEFAULT_MIN_GROUP_SIZE)}"

    def cell(value):
        return hidden if value is None else value

    if publication.kind is PublicationKind.IKM:
        rows.append(["Unit", "Responden", "IKM", "Mutu", *data["elements"]])
        for row in data["units"]:
            rows.append([row["unit"], cell(row["respondents"]), cell(row["ikm"]), cell(row["band"]),
                         *(row["elements"] or [hidden] * len(data["elements"]))])
    elif publication.kind is PublicationKind.PENGADUAN:
        rows.append(["Unit", "Diterima", "Selesai", "Median hari penyelesaian"])
        for row in data["units"]:
            rows.append([row["unit"], row["received"], row["resolved"], cell(row["median_days"])])
        rows.append(["Jumlah", data["received"], data["resolved"], cell(data["median_days"])])
    elif publication.kind is PublicationKind.PREDIKAT:
        table = data["table"]
        rows.append(["Unit", *(label for _, label in data["labels"]), "Jumlah"])
        for row in table["rows"]:
            rows.append([row, *(cell(table["cells"][row][c]) for c in table["columns"]),
                         cell(table["cells"][row]["__total__"])])
    return csv_text(rows, delimiter=",", bom=False)
