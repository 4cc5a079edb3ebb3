"""Report data (plain, no database) and the renderers region report formats use.

Two contracts, by the format's ``audience``:

* ``INTERNAL`` formats receive a ``ReportData``: per-employee evaluations
  (names, NIP, indicators) for the BKPSDM's own documents and recaps.
* ``PUBLIC`` formats receive a ``PublicReportData`` and nothing else: only
  aggregates that have already been through small-group suppression
  (unit × predikat counts, IKM per unit, complaint statistics, programme
  results). A hidden figure is ``None`` and is shown as "<threshold". No
  per-employee record ever reaches a public renderer: the runtime
  (``RuleSetRuntime.render_report``) passes a public format its data through
  ``public_report_data``, which drops the evaluations of a ``ReportData``.

The core fills both; tests and the conformance kit fill them by hand
(``sample_report_data``, ``sample_public_report_data``, or
``sample_data_for(fmt)``). Recaps may also be XLSX (``render_predikat_recap_xlsx``,
``render_period_recap_xlsx``); the official PDF documents are in ``app.regions.formats``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from jinja2 import Environment, select_autoescape

from app.regions.documents import (
    DocumentSubject,
    RenderedDocument,
    sample_evaluation_document,
    sample_skp_document,
)
from app.regions.types import NumericScheme
from app.tabular import csv_text, xlsx_bytes

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    name: str
    unit: str
    target: str
    realisation: float
    capaian: float | None = None
    nilai: float | None = None


@dataclass(frozen=True)
class EmployeeEvaluation:
    employee_name: str
    nip: str
    position: str
    unit: str
    period_label: str
    predikat_code: str
    predikat_label: str
    score: float | None = None
    indicators: tuple[IndicatorLine, ...] = ()
    behaviours: tuple[tuple[str, str], ...] = ()  # (behaviour name, rating or score)
    notes: tuple[str, ...] = ()
    penilai_name: str = ""


@dataclass(frozen=True)
class ProgrammeResult:
    """An aggregated programme indicator for the public transparency page."""

    programme: str
    indicator: str
    unit: str
    target: str
    realisation: float
    capaian: float | None = None


@dataclass(frozen=True)
class ReportData:
    tenant_name: str
    period_label: str
    generated_on: date
    evaluations: tuple[EmployeeEvaluation, ...] = ()
    programmes: tuple[ProgrammeResult, ...] = ()


# --- what a PUBLIC format receives: suppressed aggregates only --------------------------


@dataclass(frozen=True)
class PredikatRow:
    """One unit's employees per predikat, in the table's column order; ``None`` = suppressed."""

    unit: str
    counts: tuple[int | None, ...]
    total: int | None


@dataclass(frozen=True)
class PredikatTable:
    """Employees per unit × predikat after small-group and complementary suppression."""

    columns: tuple[tuple[str, str], ...]  # (predikat code, label), best first
    rows: tuple[PredikatRow, ...]
    totals: PredikatRow  # the column totals and the grand total (``unit`` = "Jumlah")
    threshold: int


@dataclass(frozen=True)
class UnitSatisfactionLine:
    """A unit's published IKM (PermenPANRB 14/2017); all ``None`` when suppressed."""

    unit: str
    respondents: int | None
    ikm: str | None  # "80.56"
    band: str | None  # A–D
    band_label: str | None


@dataclass(frozen=True)
class ComplaintLine:
    unit: str
    received: int
    resolved: int
    median_days: float | None  # None when too few were resolved to show a median


@dataclass(frozen=True)
class ComplaintStatistics:
    received: int
    resolved: int
    median_days: float | None
    units: tuple[ComplaintLine, ...] = ()


@dataclass(frozen=True)
class PublicReportData:
    """All a PUBLIC-audience format receives. Every figure in it is one the
    tenant has already published on its transparency page; sections not
    published for the period are empty (``None`` / ``()``)."""

    tenant_name: str
    period_label: str
    generated_on: date
    threshold: int = 5
    predikat: PredikatTable | None = None
    satisfaction: tuple[UnitSatisfactionLine, ...] = ()
    complaints: ComplaintStatistics | None = None
    programmes: tuple[ProgrammeResult, ...] = ()


def public_report_data(data: Any) -> PublicReportData:
    """What a public format may see of ``data``: a ``PublicReportData`` as it
    is; of a ``ReportData`` only its aggregated programme results (the
    per-employee evaluations are dropped, never summed: raw counts are not
    suppressed)."""
    if isinstance(data, PublicReportData):
        return data
    if isinstance(data, ReportData):
        return PublicReportData(data.tenant_name, data.period_label, data.generated_on,
                                programmes=data.programmes)
    raise TypeError(f"A public report format needs PublicReportData, not {type(data).__name__}.")


def mask_nip(nip: str) -> str:
    """A NIP is personal data: show only its first 4 and last 3 digits."""
    return nip[:4] + "*" * max(len(nip) - 7, 0) + nip[-3:] if len(nip) > 7 else "*" * len(nip)


_EVALUATION_DOCUMENT = _env.from_string("""<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{{ title }} — {{ data.period_label }}</title>
<style>body{font-family:serif;margin:2cm}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #000;padding:4px}section{page-break-after:always}</style></head><body>
{% for e in data.evaluations %}<section>
<h1>{{ title }}</h1>
<p>{{ data.tenant_name }} · {{ e.period_label }}</p>
<table><tr><th>Nama</th><td>{{ e.employee_name }}</td></tr>
<tr><th>NIP</th><td>{{ e.nip }}</td></tr><tr><th>Jabatan</th><td>{{ e.position }}</td></tr>
<tr><th>Unit kerja</th><td>{{ e.unit }}</td></tr></table>
<h2>Hasil kerja</h2>
<table><tr><th>Kode</th><th>Indikator</th><th>Target</th><th>Realisasi</th><th>Capaian</th><th>Nilai</th></tr>
{% for i in e.indicators %}<tr><td>{{ i.code }}</td><td>{{ i.name }}</td><td>{{ i.target }} {{ i.unit }}</td>
<td>{{ i.realisation }}</td><td>{{ "%.2f%%"|format(i.capaian) if i.capaian is not none else "-" }}</td>
<td>{{ "%.2f"|format(i.nilai) if i.nilai is not none else "-" }}</td></tr>{% endfor %}</table>
{% if e.behaviours %}<h2>Perilaku kerja</h2><table>
{% for name, value in e.behaviours %}<tr><th>{{ name }}</th><td>{{ value }}</td></tr>{% endfor %}</table>{% endif %}
{% for extra in extra_sections %}<h2>{{ extra }}</h2>{% endfor %}
{% if e.notes %}<h2>Catatan</h2><ul>{% for n in e.notes %}<li>{{ n }}</li>{% endfor %}</ul>{% endif %}
<p><strong>Predikat: {{ e.predikat_label }}</strong>{% if e.score is not none %} · Nilai kinerja {{ "%.2f"|format(e.score) }}{% endif %}</p>
<p>Pejabat penilai: {{ e.penilai_name }}</p>
</section>{% endfor %}</body></html>""")


def render_evaluation_document(data: ReportData, title: str = "Dokumen Evaluasi Kinerja Pegawai",
                               extra_sections: Sequence[str] = ()) -> str:
    """A printable HTML page per employee."""
    return _EVALUATION_DOCUMENT.render(data=data, title=title, extra_sections=extra_sections)


def render_predikat_recap_rows(data: ReportData, predikat_labels: Sequence[tuple[str, str]]) -> list[list[Any]]:
    counts: dict[str, Counter] = {}
    for e in data.evaluations:
        counts.setdefault(e.unit, Counter())[e.predikat_code] += 1
    rows: list[list[Any]] = [["Unit kerja", *(label for _, label in predikat_labels), "Jumlah"]]
    rows += [[unit, *(counts[unit][code] for code, _ in predikat_labels), sum(counts[unit].values())]
             for unit in sorted(counts)]
    return rows


def render_predikat_recap_csv(data: ReportData, predikat_labels: Sequence[tuple[str, str]]) -> str:
    """CSV: one row per unit, a column per predikat (in the given order), and the total."""
    return csv_text(render_predikat_recap_rows(data, predikat_labels), delimiter=",", bom=False)


def render_score_recap_csv(data: ReportData, extra_columns: Sequence[str] = ()) -> str:
    """CSV: one row per employee with score and predikat (internal use: full NIP)."""
    rows = [["NIP", "Nama", "Unit kerja", "Periode", "Nilai kinerja", "Predikat", *extra_columns]]
    rows += [[e.nip, e.employee_name, e.unit, e.period_label, "" if e.score is None else f"{e.score:.2f}",
              e.predikat_label, *(_note(e, c) for c in extra_columns)] for e in data.evaluations]
    return csv_text(rows, delimiter=",", bom=False)  # formula-looking cells go out as text


def render_predikat_recap_xlsx(data: ReportData, predikat_labels: Sequence[tuple[str, str]],
                               title: str = "Rekap Predikat per Unit") -> RenderedDocument:
    """XLSX: title rows (tenant, report, period), then one row per unit with a column per predikat."""
    table = render_predikat_recap_rows(data, predikat_labels)
    rows = [[data.tenant_name], [title], [data.period_label], [], *table]
    return RenderedDocument(xlsx_bytes(rows, sheet="Rekap Predikat"), _xlsx_name(title, data), XLSX_MEDIA_TYPE)


def render_period_recap_xlsx(data: ReportData, title: str = "Rekap Predikat per Periode") -> RenderedDocument:
    """XLSX: one row per employee (NIP as text) with the predikat of each period side by side
    (``evaluations_by_period``), for a report spanning several periods (a year of semesters)."""
    periods = evaluations_by_period(data)
    people: dict[str, dict[str, Any]] = {}
    for label, evaluations in periods.items():
        for e in evaluations:
            row = people.setdefault(e.nip, {"e": e})
            row[label] = e.predikat_label + ("" if e.score is None else f" ({e.score:.2f})")
    header = ["No", "NIP", "Nama", "Jabatan", "Unit kerja", *periods]
    body = [[n, nip, row["e"].employee_name, row["e"].position, row["e"].unit,
             *(row.get(label, "") for label in periods)] for n, (nip, row) in enumerate(people.items(), 1)]
    rows = [[data.tenant_name], [title], [data.period_label], [], header, *body]
    return RenderedDocument(xlsx_bytes(rows, sheet="Rekap"), _xlsx_name(title, data), XLSX_MEDIA_TYPE)


def _xlsx_name(title: str, data: ReportData) -> str:
    return re.sub(r"[^a-z0-9]+", "-", f"{title} {data.period_label}".lower()).strip("-") + ".xlsx"


def evaluations_by_period(data: ReportData) -> dict[str, tuple[EmployeeEvaluation, ...]]:
    """A report spanning several periods (a year's quarterly recap) holds every
    period's evaluations; each carries its own ``period_label``. Grouped here
    by period, in the order the core supplied them (chronological)."""
    grouped: dict[str, list[EmployeeEvaluation]] = {}
    for e in data.evaluations:
        grouped.setdefault(e.period_label, []).append(e)
    return {label: tuple(found) for label, found in grouped.items()}


def _note(e: EmployeeEvaluation, prefix: str) -> str:
    return next((n.split(":", 1)[1].strip() for n in e.notes if n.startswith(f"{prefix}:")), "")


_PUBLIC_REPORT = _env.from_string("""<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} — {{ data.period_label }}</title>
<style>body{font-family:sans-serif;margin:1rem auto;max-width:60rem;padding:0 1rem}
table{border-collapse:collapse;width:100%;margin-bottom:1rem}td,th{border:1px solid #999;padding:4px;text-align:left}
td.n{text-align:right}.muted{color:#555}</style></head><body>
{% macro n(value) %}{% if value is none %}&lt;{{ data.threshold }}{% else %}{{ value }}{% endif %}{% endmacro %}
<h1>{{ title }}</h1><p>{{ data.tenant_name }} · {{ data.period_label }} · diterbitkan {{ data.generated_on.isoformat() }}</p>
{% if data.programmes %}<h2>Capaian program</h2><table><tr><th>Program</th><th>Indikator</th><th>Target</th><th>Realisasi</th><th>Capaian</th></tr>
{% for p in data.programmes %}<tr><td>{{ p.programme }}</td><td>{{ p.indicator }}</td><td>{{ p.target }} {{ p.unit }}</td>
<td>{{ p.realisation }} {{ p.unit }}</td><td>{{ "%.2f%%"|format(p.capaian) if p.capaian is not none else "-" }}</td></tr>{% endfor %}</table>{% endif %}
{% if data.predikat %}{% set t = data.predikat %}<h2>Sebaran predikat pegawai per unit kerja</h2>
<table><tr><th>Unit kerja</th>{% for _, label in t.columns %}<th>{{ label }}</th>{% endfor %}<th>Jumlah</th></tr>
{% for row in t.rows + (t.totals,) %}<tr><td>{{ row.unit }}</td>{% for c in row.counts %}<td class="n">{{ n(c) }}</td>{% endfor %}<td class="n">{{ n(row.total) }}</td></tr>{% endfor %}</table>{% endif %}
{% if data.satisfaction %}<h2>Indeks Kepuasan Masyarakat per unit</h2>
<table><tr><th>Unit</th><th>Responden</th><th>IKM</th><th>Mutu pelayanan</th></tr>
{% for u in data.satisfaction %}<tr><td>{{ u.unit }}</td><td class="n">{{ n(u.respondents) }}</td><td class="n">{{ u.ikm if u.ikm is not none else "-" }}</td>
<td>{% if u.band %}{{ u.band }} ({{ u.band_label }}){% else %}-{% endif %}</td></tr>{% endfor %}</table>{% endif %}
{% if data.complaints %}{% set c = data.complaints %}<h2>Statistik pengaduan</h2>
<table><tr><th>Unit</th><th>Diterima</th><th>Selesai</th><th>Median hari penyelesaian</th></tr>
{% for u in c.units %}<tr><td>{{ u.unit }}</td><td class="n">{{ u.received }}</td><td class="n">{{ u.resolved }}</td><td class="n">{{ n(u.median_days) }}</td></tr>{% endfor %}
<tr><th>Jumlah</th><td class="n">{{ c.received }}</td><td class="n">{{ c.resolved }}</td><td class="n">{{ n(c.median_days) }}</td></tr></table>{% endif %}
<p class="muted">"&lt;{{ data.threshold }}": kelompok lebih kecil dari {{ data.threshold }} orang tidak ditampilkan agar tidak ada
penilaian perorangan yang dapat diketahui. Laporan ini tidak memuat data pribadi pegawai.</p></body></html>""")


def render_public_report(data: PublicReportData, title: str,
                         predikat_labels: Sequence[tuple[str, str]] | None = None) -> str:
    """A public HTML page from suppressed aggregates: programme results,
    predikat per unit, IKM per unit, complaint statistics — no names, no NIP.

    ``predikat_labels`` (optional) renames the table's columns by code; the
    table itself already says which columns it has.
    """
    data = public_report_data(data)
    if data.predikat is not None and predikat_labels:
        names = dict(predikat_labels)
        data = replace(data, predikat=replace(data.predikat, columns=tuple(
            (code, names.get(code, label)) for code, label in data.predikat.columns)))
    return _PUBLIC_REPORT.render(data=data, title=title)


def sample_report_data() -> ReportData:
    """Plain sample data for the conformance kit and tests."""
    line = IndicatorLine("IKI-01", "Jumlah layanan", "layanan", "100", 98.0, 98.0, 88.0)
    return ReportData(
        tenant_name="Pemerintah Kota Contoh", period_label="Triwulan I 2026", generated_on=date(2026, 4, 10),
        evaluations=(
            EmployeeEvaluation("Siti Aminah", "198004112005012001", "Pengadministrasi Pelayanan",
                               "Dinas Kesehatan", "Triwulan I 2026", "baik", "Baik", 95.5, (line,),
                               (("Berorientasi Pelayanan", "sesuai"),), ("JP pelatihan: 12",), "Budi Santoso"),
            EmployeeEvaluation("Budi Santoso", "197503102000031002", "Kepala Seksi", "Dinas Kesehatan",
                               "Triwulan I 2026", "sangat_baik", "Sangat Baik", 112.0, (line,)),
        ),
        programmes=(ProgrammeResult("Vaksinasi", "Cakupan imunisasi dasar lengkap", "%", "95", 93.5, 98.42),),
    )


def sample_public_report_data() -> PublicReportData:
    """Plain sample of what a public format receives (with suppressed cells)."""
    columns = (("sangat_baik", "Sangat Baik"), ("baik", "Baik"), ("butuh_perbaikan", "Butuh Perbaikan"))
    return PublicReportData(
        tenant_name="Pemerintah Kota Contoh", period_label="Semester I 2026", generated_on=date(2026, 7, 10),
        threshold=5,
        predikat=PredikatTable(columns, (
            PredikatRow("Dinas Kesehatan", (None, 12, None), 19),
            PredikatRow("Dinas Sosial", (None, 8, None), 14),
            PredikatRow("Puskesmas Kecil", (None, None, None), None),
        ), PredikatRow("Jumlah", (None, None, None), None), 5),
        satisfaction=(UnitSatisfactionLine("Dinas Kesehatan", 120, "80.56", "B", "Baik"),
                      UnitSatisfactionLine("Puskesmas Kecil", None, None, None, None)),
        complaints=ComplaintStatistics(7, 5, 3.0, (ComplaintLine("Dinas Kesehatan", 6, 5, 3.0),
                                                   ComplaintLine("Puskesmas Kecil", 1, 0, None))),
        programmes=(ProgrammeResult("Vaksinasi", "Cakupan imunisasi dasar lengkap", "%", "95", 93.5, 98.42),),
    )


def sample_data_for(fmt: Any, rule_set: Any = None) -> Any:
    """The sample a report format is tested with, by its subject: the SKP, the evaluation
    (numeric when ``rule_set`` scores numerically), per-employee report data, or published
    aggregates for a public format."""
    subject = getattr(fmt, "subject", DocumentSubject.REPORT)
    if subject is DocumentSubject.PUBLIC:
        return sample_public_report_data()
    if subject is DocumentSubject.SKP:
        return sample_skp_document()
    if subject is DocumentSubject.EVALUATION:
        return sample_evaluation_document(numeric=isinstance(getattr(rule_set, "scheme", None), NumericScheme))
    return sample_report_data()
