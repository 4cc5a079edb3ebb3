"""Typed data of the official documents (SKP, Evaluasi Kinerja Pegawai,
Dokumen Evaluasi Kinerja Pegawai) and what a document format returns.

Plain values only (no database, no Flask): the core fills them from a plan or
an evaluation (``app/reports/``), the conformance kit and tests fill them by
hand (``sample_skp_document``, ``sample_evaluation_document``). A region's
document format receives one of these and returns a ``RenderedDocument``.
Layouts follow ../shared/DOCUMENTS.md (PermenPANRB 6/2022 Lampiran).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date


class DocumentSubject(enum.StrEnum):
    """What a report format is rendered from (``ReportFormat.subject``)."""

    REPORT = "report"  # ReportData: per-employee evaluations of a period (recaps)
    PUBLIC = "public"  # PublicReportData: suppressed aggregates only
    SKP = "skp"  # SkpDocumentData: one employee's plan
    EVALUATION = "evaluation"  # EvaluationDocumentData: one employee's evaluation of a period or year


class Approach(enum.StrEnum):
    """Pendekatan hasil kerja of an SKP (the form's second title line)."""

    KUANTITATIF = "kuantitatif"
    KUALITATIF = "kualitatif"


@dataclass(frozen=True)
class RenderedDocument:
    """A rendered document: its bytes, the file name offered, its media type."""

    content: bytes
    filename: str
    media_type: str


@dataclass(frozen=True)
class Person:
    """A row block of the identity table: NAMA / NIP / PANGKAT/GOL. RUANG / JABATAN / UNIT KERJA."""

    name: str
    nip: str  # 18 digits, printed as is (documents are internal)
    rank: str = ""  # "Penata Muda / III/a", "IX" for PPPK, "" when unknown
    position: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Letterhead:
    """The document header of the tenant and unit."""

    tenant_name: str  # "Pemerintah Kota Sawahlunto"
    agency: str  # the unit's agency line, printed in capitals ("DINAS KESEHATAN KOTA SAWAHLUNTO")
    place: str  # where documents are signed ("Sawahlunto")
    logo_png: bytes | None = None  # the tenant's logo, when configured


@dataclass(frozen=True)
class Verification:
    """How a reader checks an issued document: the short URL and its QR code."""

    code: str
    url: str  # absolute, built from PUBLIC_BASE_URL
    qr_svg: str  # an SVG image of ``url``
    issued_on: date


@dataclass(frozen=True)
class IndicatorRow:
    """One aspect row of an RHK: the IKI and its target (and, in an evaluation, what came of it)."""

    aspect: str  # "Kuantitas" | "Kualitas" | "Waktu" | "Biaya" (label, not code)
    indicator: str  # the IKI text
    target: str  # "2 Dokumen", "90 – 100 %"
    realisation: str = ""  # "2 Dokumen"; evaluations only
    capaian: str = ""  # "98.50 %"; numeric regions only
    nilai: str = ""  # "88.00"; numeric regions only


@dataclass(frozen=True)
class ResultBlock:
    """An RHK (rencana hasil kerja) with its aspect rows."""

    group: str  # "utama" | "tambahan"
    description: str
    intervened: str = ""  # RHK pimpinan/atasan yang diintervensi ("" for JPT or none)
    indicators: tuple[IndicatorRow, ...] = ()
    feedback: str = ""  # umpan balik berkelanjutan (evaluations only)


@dataclass(frozen=True)
class BehaviourBlock:
    """A core value (BerAKHLAK) with its three guiding behaviours."""

    name: str
    guides: tuple[str, ...]
    expectation: str = ""  # ekspektasi khusus pimpinan
    feedback: str = ""  # evaluations only
    rating: str = ""  # evaluations of regions that rate each behaviour, as a label ("" otherwise)


@dataclass(frozen=True)
class SkpDocumentData:
    letterhead: Letterhead
    year: int
    period_text: str  # "1 Januari s.d. 31 Desember 2026"
    approach: Approach
    jpt: bool  # pejabat pimpinan tinggi / pimpinan unit kerja mandiri form
    pegawai: Person
    penilai: Person | None
    results: tuple[ResultBlock, ...]
    behaviours: tuple[BehaviourBlock, ...]
    resources: tuple[str, ...] = ()  # LAMPIRAN: dukungan sumber daya
    accountability: tuple[str, ...] = ()  # LAMPIRAN: skema pertanggungjawaban
    consequences: tuple[str, ...] = ()  # LAMPIRAN: konsekuensi
    signed_on: date | None = None  # the date the plan was agreed
    status_label: str = ""  # "Disetujui"; a draft prints a watermark line instead of signatures
    final: bool = True
    verification: Verification | None = None


@dataclass(frozen=True)
class Choice:
    """A closed list printed with the rejected options struck through."""

    options: tuple[tuple[str, str], ...]  # (code, label) in print order
    chosen: str | None  # the chosen code, None when not decided


@dataclass(frozen=True)
class DistributionFigure:
    """The unit's pola distribusi: the organisation predikat and the employees per predikat."""

    organisation_predikat: str  # label, "" when not set
    columns: tuple[tuple[str, str], ...]  # (predikat code, label), worst first, as on the curve's x axis
    counts: tuple[int, ...]  # employees per column
    allowed: tuple[str, ...] = ()  # per column, the limit text ("≤ 70%"), "" when free
    violations: tuple[str, ...] = ()  # plain sentences; () when the curve is respected


@dataclass(frozen=True)
class ScoreStep:
    """A step of a numeric region's scoring trace, shown as "label: value"."""

    label: str
    value: str


@dataclass(frozen=True)
class PeriodSummary:
    """A period's predikat on the annual document."""

    period: str
    predikat: str
    score: str = ""


@dataclass(frozen=True)
class ObjectionBlock:
    """KEBERATAN / PENJELASAN / KEPUTUSAN (the older procedure some regions print)."""

    objection: str
    explanation: str = ""
    decision: str = ""


@dataclass(frozen=True)
class EvaluationDocumentData:
    letterhead: Letterhead
    year: int
    period_label: str  # "Triwulan I 2026", "Tahun 2026"
    period_text: str  # "1 Januari s.d. 31 Maret 2026"
    period_choice: Choice  # TRIWULAN I / II / III / IV-AKHIR, or the region's own periods
    annual: bool
    approach: Approach
    jpt: bool
    pegawai: Person
    penilai: Person | None
    atasan_penilai: Person | None
    results: tuple[ResultBlock, ...]
    behaviours: tuple[BehaviourBlock, ...]
    hasil_kerja: Choice  # rating hasil kerja (DIATAS / SESUAI / DIBAWAH EKSPEKTASI)
    perilaku: Choice  # rating perilaku kerja
    predikat: Choice  # predikat kinerja pegawai
    organisation: Choice  # capaian kinerja organisasi (ISTIMEWA … SANGAT KURANG)
    distribution: DistributionFigure | None = None
    numeric: bool = False  # a numeric region: print the score table and steps
    score: str = ""  # "95.50"
    steps: tuple[ScoreStep, ...] = ()
    periods: tuple[PeriodSummary, ...] = ()  # annual documents: the periodic predikats
    notes: str = ""  # CATATAN/REKOMENDASI
    objection: ObjectionBlock | None = None
    finalised_on: date | None = None
    final: bool = True
    verification: Verification | None = None
