"""Report data (plain, no database) and the renderers region report formats use.

A ``ReportFormat.render`` receives a ``ReportData``. The core fills it from
its evaluations; tests and the conformance kit fill it by hand
(``sample_report_data``). Richer formats (PDF, XLSX) plug in the same way.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from jinja2 import Environment, select_autoescape

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


def render_predikat_recap_csv(data: ReportData, predikat_labels: Sequence[tuple[str, str]]) -> str:
    """CSV: one row per unit, a column per predikat (in the given order), and the total."""
    counts: dict[str, Counter] = {}
    for e in data.evaluations:
        counts.setdefault(e.unit, Counter())[e.predikat_code] += 1
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Unit kerja", *(label for _, label in predikat_labels), "Jumlah"])
    for unit in sorted(counts):
        row = counts[unit]
        writer.writerow([unit, *(row[code] for code, _ in predikat_labels), sum(row.values())])
    return out.getvalue()


def render_score_recap_csv(data: ReportData, extra_columns: Sequence[str] = ()) -> str:
    """CSV: one row per employee with score and predikat (internal use: full NIP)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["NIP", "Nama", "Unit kerja", "Periode", "Nilai kinerja", "Predikat", *extra_columns])
    for e in data.evaluations:
        writer.writerow([e.nip, e.employee_name, e.unit, e.period_label,
                         "" if e.score is None else f"{e.score:.2f}", e.predikat_label,
                         *(_note(e, c) for c in extra_columns)])
    return out.getvalue()


def _note(e: EmployeeEvaluation, prefix: str) -> str:
    return next((n.split(":", 1)[1].strip() for n in e.notes if n.startswith(f"{prefix}:")), "")


_PUBLIC_REPORT = _env.from_string("""<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{{ title }}</title></head><body>
<h1>{{ title }}</h1><p>{{ data.tenant_name }} · {{ data.period_label }} · diterbitkan {{ data.generated_on.isoformat() }}</p>
<h2>Capaian program</h2><table><tr><th>Program</th><th>Indikator</th><th>Target</th><th>Realisasi</th><th>Capaian</th></tr>
{% for p in data.programmes %}<tr><td>{{ p.programme }}</td><td>{{ p.indicator }}</td><td>{{ p.target }} {{ p.unit }}</td>
<td>{{ p.realisation }} {{ p.unit }}</td><td>{{ "%.2f%%"|format(p.capaian) if p.capaian is not none else "-" }}</td></tr>{% endfor %}</table>
<h2>Sebaran predikat pegawai per unit kerja</h2><table><tr><th>Unit kerja</th>{% for _, label in labels %}<th>{{ label }}</th>{% endfor %}</tr>
{% for unit, row in units %}<tr><td>{{ unit }}</td>{% for code, _ in labels %}<td>{{ row[code] }}</td>{% endfor %}</tr>{% endfor %}</table>
<p>Laporan ini tidak memuat data pribadi pegawai.</p></body></html>""")


def render_public_report(data: ReportData, title: str, predikat_labels: Sequence[tuple[str, str]]) -> str:
    """A public HTML page: programme results and predikat counts per unit — no names, no NIP."""
    counts: dict[str, Counter] = {}
    for e in data.evaluations:
        counts.setdefault(e.unit, Counter())[e.predikat_code] += 1
    return _PUBLIC_REPORT.render(data=data, title=title, labels=list(predikat_labels),
                                 units=sorted(counts.items()))


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
