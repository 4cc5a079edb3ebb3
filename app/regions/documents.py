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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.regions.types import RuleSet


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
    logo_png: bytes | None = None  # the tenant's logo (PNG or JPEG bytes), when configured
    logo_media_type: str = "image/png"  # "image/jpeg" for a JPEG logo


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
class ComponentLine:
    """A weighted component of a numeric score (API 1.2): "Disiplin | 10 | 100.00 | 10.00"."""

    code: str
    name: str
    weight: str  # "10"
    value: str  # "100.00" (0–120)
    weighted: str = ""  # "10.00" = weight × value / 100


@dataclass(frozen=True)
class FeedbackNote:
    """A recorded feedback session (dialog kinerja) of the period (API 1.2)."""

    held_on: date
    face_to_face: bool
    summary: str = ""


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
    components: tuple[ComponentLine, ...] = ()  # numeric regions: the weighted components (API 1.2)
    feedback_sessions: tuple[FeedbackNote, ...] = ()  # the period's dialog kinerja (API 1.2)


# --- which SKP form a position gets ----------------------------------------------------------

POSITION_KINDS = ("jpt", "administrator", "pengawas", "pelaksana", "fungsional")


def is_jpt(position_kind: str) -> bool:
    """Whether a position prints the form "BAGI PEJABAT PIMPINAN TINGGI DAN PIMPINAN UNIT
    KERJA MANDIRI" (jabatan pimpinan tinggi); every other kind prints the JA/JF form."""
    return (position_kind or "").strip().lower() == "jpt"


def skp_approach(rule_set: RuleSet, position_kind: str) -> Approach:
    """The pendekatan hasil kerja of an SKP: kualitatif for the position kinds the rule
    set lists in ``qualitative_position_kinds``, kuantitatif otherwise."""
    kinds = getattr(rule_set, "qualitative_position_kinds", ())
    return Approach.KUALITATIF if (position_kind or "").strip().lower() in kinds else Approach.KUANTITATIF


# --- samples: the conformance kit and tests -------------------------------------------------

SAMPLE_NIP = "199001152015031002"
SAMPLE_PENILAI_NIP = "197805102003121004"
_BERAKHLAK_NAMES = ("Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif",
                    "Kolaboratif")
_QR_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 21 21" width="84" height="84">'
           '<rect width="21" height="21" fill="#fff"/><path d="M1 1h7v7H1zM13 1h7v7h-7zM1 13h7v7H1z'
           'M10 10h2v2h-2zM14 14h3v3h-3z" fill="#000"/></svg>')


def _sample_letterhead() -> Letterhead:
    return Letterhead("Pemerintah Kota Contoh", "DINAS KESEHATAN KOTA CONTOH", "Contoh")


def _sample_people() -> tuple[Person, Person, Person]:
    pegawai = Person("Rina Marlina, S.Kep.", SAMPLE_NIP, "Penata Muda Tk. I / III/b", "Perawat Ahli Pertama",
                     "Puskesmas Kota Contoh")
    penilai = Person("dr. Hendra Wijaya", SAMPLE_PENILAI_NIP, "Pembina / IV/a", "Kepala Puskesmas",
                     "Dinas Kesehatan Kota Contoh")
    atasan = Person("dr. Sri Handayani, M.Kes.", "197103041998032005", "Pembina Utama Muda / IV/c",
                    "Kepala Dinas Kesehatan", "Dinas Kesehatan Kota Contoh")
    return pegawai, penilai, atasan


def _sample_results(jpt: bool, evaluation: bool, numeric: bool) -> tuple[ResultBlock, ...]:
    def row(aspect: str, indicator: str, target: str, real: str, cap: str, nilai: str) -> IndicatorRow:
        if not evaluation:
            return IndicatorRow(aspect, indicator, target)
        return IndicatorRow(aspect, indicator, target, real, cap if numeric else "", nilai if numeric else "")

    intervened = "" if jpt else "Meningkatnya cakupan imunisasi dasar lengkap di wilayah kerja"
    return (
        ResultBlock("utama", "Terlaksananya pelayanan imunisasi dasar bagi bayi di wilayah kerja", intervened, (
            row("Kuantitas", "Jumlah bayi yang mendapat imunisasi dasar lengkap", "120 bayi", "118 bayi",
                "98.33 %", "87.12"),
            row("Kualitas", "Persentase layanan imunisasi sesuai standar", "100 %", "100 %", "100.00 %", "109.00"),
            row("Waktu", "Laporan imunisasi disampaikan tepat waktu", "12 bulan", "12 bulan", "100.00 %",
                "109.00"),
        ), "Pertahankan; perbaiki pencatatan sasaran bayi baru." if evaluation else ""),
        ResultBlock("tambahan", "Terlaksananya penyuluhan kesehatan ibu dan anak", "", (
            row("Kuantitas", "Jumlah sesi penyuluhan posyandu", "6 kegiatan", "7 kegiatan", "116.67 %", "120.00"),
        ), "Melebihi target." if evaluation else ""),
    )


def _sample_behaviours(evaluation: bool) -> tuple[BehaviourBlock, ...]:
    expectation = {"Berorientasi Pelayanan": "Menjadi panutan dalam pelayanan prima kepada pasien"}
    return tuple(
        BehaviourBlock(name, (), expectation.get(name, ""),
                       "Sesuai ekspektasi; ramah kepada pasien." if evaluation else "")
        for name in _BERAKHLAK_NAMES
    )


def _sample_verification() -> Verification:
    return Verification("K7Q2-9XPA", "https://kinerja.example.go.id/contoh/verifikasi/K7Q2-9XPA", _QR_SVG,
                        date(2026, 4, 12))


def sample_skp_document(approach: Approach = Approach.KUANTITATIF, jpt: bool = False, *, final: bool = True,
                        verified: bool = False) -> SkpDocumentData:
    """A complete SKP of the sample pegawai in one of the four variants."""
    pegawai, penilai, _ = _sample_people()
    return SkpDocumentData(
        letterhead=_sample_letterhead(), year=2026, period_text="1 Januari s.d. 31 Desember 2026",
        approach=approach, jpt=jpt, pegawai=pegawai, penilai=penilai,
        results=_sample_results(jpt, evaluation=False, numeric=False), behaviours=_sample_behaviours(False),
        resources=("Komputer/laptop dan akses aplikasi imunisasi", "Vaksin dan rantai dingin"),
        accountability=("Hasil kerja dilaporkan setiap bulan",),
        consequences=("Apabila memenuhi ekspektasi akan diberikan penghargaan",),
        signed_on=date(2026, 1, 20), status_label="Disetujui" if final else "Draf", final=final,
        verification=_sample_verification() if verified else None,
    )


QUARTERS = (("tw1", "TRIWULAN I"), ("tw2", "II"), ("tw3", "III"), ("tw4", "IV"), ("akhir", "AKHIR"))
HASIL_OPTIONS = (("di_atas", "DIATAS EKSPEKTASI"), ("sesuai", "SESUAI EKSPEKTASI"),
                 ("di_bawah", "DIBAWAH EKSPEKTASI"))
PREDIKAT_OPTIONS = (("sangat_baik", "SANGAT BAIK"), ("baik", "BAIK"), ("butuh_perbaikan", "BUTUH PERBAIKAN"),
                    ("kurang", "KURANG/MISCONDUCT"), ("sangat_kurang", "SANGAT KURANG"))
ORGANISATION_OPTIONS = (("istimewa", "ISTIMEWA"), ("baik", "BAIK"), ("butuh_perbaikan", "BUTUH PERBAIKAN"),
                        ("kurang", "KURANG"), ("sangat_kurang", "SANGAT KURANG"))
CURVE_COLUMNS = (("sangat_kurang", "Sangat Kurang"), ("kurang", "Kurang/ Misconduct"),
                 ("butuh_perbaikan", "Butuh Perbaikan"), ("baik", "Baik"), ("sangat_baik", "Sangat Baik"))


def sample_evaluation_document(numeric: bool = False, annual: bool = False, *, final: bool = True,
                               verified: bool = False, approach: Approach = Approach.KUANTITATIF,
                               jpt: bool = False) -> EvaluationDocumentData:
    """A complete evaluation of the sample pegawai: Triwulan I 2026 (or the year), rated
    Sesuai / Sesuai → Baik; with ``numeric`` the capaian/nilai columns, components and steps."""
    pegawai, penilai, atasan = _sample_people()
    steps = components = ()
    if numeric:
        components = (ComponentLine("skp", "Sasaran Kinerja Pegawai", "70", "103.53", "72.47"),
                      ComponentLine("perilaku", "Perilaku Kerja", "30", "100.00", "30.00"))
        steps = (ScoreStep("Rata-rata nilai IKI", "103.53"), ScoreStep("SKP 70% × 103.53", "72.47"),
                 ScoreStep("Perilaku kerja 30% × 100.00", "30.00"), ScoreStep("Nilai kinerja", "102.47"),
                 ScoreStep("Predikat", "Baik"))
    periods = (PeriodSummary("Triwulan I 2026", "Baik", "101.20" if numeric else ""),
               PeriodSummary("Triwulan II 2026", "Baik", "102.00" if numeric else ""),
               PeriodSummary("Triwulan III 2026", "Sangat Baik", "110.50" if numeric else ""),
               PeriodSummary("Triwulan IV 2026", "Baik", "102.47" if numeric else "")) if annual else ()
    return EvaluationDocumentData(
        letterhead=_sample_letterhead(), year=2026,
        period_label="Tahun 2026" if annual else "Triwulan I 2026",
        period_text="1 Januari s.d. 31 Desember 2026" if annual else "1 Januari s.d. 31 Maret 2026",
        period_choice=Choice(QUARTERS, "akhir" if annual else "tw1"), annual=annual,
        approach=approach, jpt=jpt, pegawai=pegawai, penilai=penilai, atasan_penilai=atasan,
        results=_sample_results(jpt, evaluation=True, numeric=numeric), behaviours=_sample_behaviours(True),
        hasil_kerja=Choice(HASIL_OPTIONS, "sesuai"), perilaku=Choice(HASIL_OPTIONS, "sesuai"),
        predikat=Choice(PREDIKAT_OPTIONS, "baik"), organisation=Choice(ORGANISATION_OPTIONS, "baik"),
        distribution=DistributionFigure("Baik", CURVE_COLUMNS, (0, 1, 2, 9, 3), ("", "", "", "≤ 70%", "")),
        numeric=numeric, score="102.47" if numeric else "", steps=steps, periods=periods,
        notes="Tingkatkan ketepatan pencatatan sasaran imunisasi.",
        finalised_on=date(2027, 1, 8) if annual else date(2026, 4, 10), final=final,
        verification=_sample_verification() if verified else None, components=components,
        feedback_sessions=(FeedbackNote(date(2026, 3, 20), True, "Dialog kinerja triwulan I"),),
    )
