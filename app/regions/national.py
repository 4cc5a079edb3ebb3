"""The national rules as building blocks regional plugins compose.

Plugins reach them through ``app.regions.api`` (they lived in
``plugins/nasional/baseline.py`` before API 1.0; that path is deprecated).

Confidence follows ``DOMAIN.md``: [V] read in the legal text, [S] secondary,
[U] uncertain (a tenant-changeable default).

* PermenPANRB 6/2022 [S]: BerAKHLAK, the hasil kerja × perilaku predikat matrix,
  quarterly + annual periods, the distribution curve (on ``warn``) and the
  14-day objection window (PP 30/2019 Pasal 59 [S]).
* PermenPANRB 8/2021 [V]: capaian formulas and the capaian → nilai curve; the
  Sangat Baik/Baik segment between 100% and 110% is [U].
* PP 30/2019 Pasal 41 [V]: SKP 70% + perilaku 30%, or 60/40 with 360° input;
  bands with the innovation condition for Sangat Baik.
* PP 46/2011 [V-code]: SKP 60% + perilaku 40%, bands on 0–100.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from app.regions.formats import document_formats
from app.regions.reports import (
    XLSX_MEDIA_TYPE,
    render_predikat_recap_csv,
    render_predikat_recap_xlsx,
    render_public_report,
    render_score_recap_csv,
)
from app.regions.settings import TenantSettingsSchema
from app.regions.types import (
    AchievementCurve,
    AnnualAggregation,
    Aspect,
    Band,
    Behaviour,
    Component,
    ComponentSource,
    CurveSegment,
    Direction,
    DistributionMode,
    DistributionPolicy,
    Expectation,
    Indicator,
    MatrixCell,
    MatrixScheme,
    NumericScheme,
    PeriodScheme,
    Predikat,
    QuotaRule,
    Rater,
    ReportAudience,
    ReportFormat,
    RuleSet,
    Target,
    TrainingRule,
    UnitQuota,
)

# --- behaviours: the seven BerAKHLAK core values [S] ----------------------------------
# Their guiding behaviours, printed on the forms: ``BERAKHLAK_GUIDES`` (app/regions/berakhlak.py).

BERAKHLAK: tuple[Behaviour, ...] = (
    Behaviour("berorientasi-pelayanan", "Berorientasi Pelayanan",
              "Memahami dan memenuhi kebutuhan masyarakat; ramah, cekatan, solutif."),
    Behaviour("akuntabel", "Akuntabel", "Jujur, bertanggung jawab, cermat, disiplin dan berintegritas."),
    Behaviour("kompeten", "Kompeten", "Terus belajar dan mengembangkan kapabilitas."),
    Behaviour("harmonis", "Harmonis", "Saling peduli dan menghargai perbedaan."),
    Behaviour("loyal", "Loyal", "Berdedikasi dan mengutamakan kepentingan bangsa dan negara."),
    Behaviour("adaptif", "Adaptif", "Terus berinovasi dan antusias menghadapi perubahan."),
    Behaviour("kolaboratif", "Kolaboratif", "Membangun kerja sama yang sinergis."),
)

# --- PermenPANRB 8/2021: capaian → nilai [V], 100–110% segment [U] -----------------------

PERMENPANRB_8_2021_CURVE = AchievementCurve(segments=(
    CurveSegment(0, 60, 0, 0, 59, 49, note="< 60%: capaian / 59 × 49 [V]"),
    CurveSegment(60, 80, 60, 50, 79, 69, note="60–79%: 50 + (69 − 50) / (79 − 60) × (capaian − 60) [V]"),
    CurveSegment(80, 100, 80, 70, 99, 89, note="80–99%: 70 + (89 − 70) / (99 − 80) × (capaian − 80) [V]"),
    CurveSegment(100, 101, 100, 109, 101, 110, note="100%: 109 (worked example [V]); towards 110 [U]"),
    CurveSegment(101, 110, 101, 110, 110, 120, note="101–110%: 110 → 120 [U]"),
    CurveSegment(110, None, 110, 120, 110, 120, note="≥ 110%: 120 [V]"),
))

# --- PermenPANRB 6/2022: the predikat matrix [S] -----------------------------------------

PREDIKAT_6_2022: tuple[Predikat, ...] = (
    Predikat("sangat_baik", "Sangat Baik", 1),
    Predikat("baik", "Baik", 2),
    Predikat("butuh_perbaikan", "Butuh Perbaikan", 3),
    Predikat("kurang", "Kurang", 4),  # "Kurang/Misconduct" in the regulation; no English on screen
    Predikat("sangat_kurang", "Sangat Kurang", 5),
)

_A, _S, _B = Expectation.DI_ATAS, Expectation.SESUAI, Expectation.DI_BAWAH
MATRIX_CELLS_6_2022: tuple[MatrixCell, ...] = (
    MatrixCell(_A, _B, "kurang"), MatrixCell(_A, _S, "baik"), MatrixCell(_A, _A, "sangat_baik"),
    MatrixCell(_S, _B, "kurang"), MatrixCell(_S, _S, "baik"), MatrixCell(_S, _A, "baik"),
    MatrixCell(_B, _B, "sangat_kurang"), MatrixCell(_B, _S, "butuh_perbaikan"),
    MatrixCell(_B, _A, "butuh_perbaikan"),
)

# Suggests the hasil kerja rating from the mean IKI nilai when the penilai gave none [U].
HASIL_KERJA_RATING_BANDS: tuple[Band, ...] = (
    Band("di_bawah", "Di bawah ekspektasi", 0, 90),
    Band("sesuai", "Sesuai ekspektasi", 90, 110),
    Band("di_atas", "Di atas ekspektasi", 110, 120, include_upper=True),
)

MATRIX_6_2022 = MatrixScheme(PREDIKAT_6_2022, MATRIX_CELLS_6_2022, HASIL_KERJA_RATING_BANDS)

# Organisation predikat → quotas on employee predikat [S/U].
DISTRIBUTION_QUOTAS_6_2022: tuple[UnitQuota, ...] = (
    UnitQuota("istimewa", (QuotaRule(("sangat_baik",), at_most=0.7),)),
    UnitQuota("baik", (QuotaRule(("baik",), at_most=0.7),
                       QuotaRule(("butuh_perbaikan", "kurang"), at_least_count=1))),
    UnitQuota("butuh_perbaikan", (QuotaRule(("butuh_perbaikan",), at_least=0.6),
                                  QuotaRule(("sangat_baik",), at_most=0.1))),
    UnitQuota("kurang", (QuotaRule(("kurang",), at_least=0.6), QuotaRule(("butuh_perbaikan",), at_least=0.1),
                         QuotaRule(("sangat_baik",), at_most=0.1))),
    UnitQuota("sangat_kurang", (QuotaRule(("sangat_kurang",), at_least=0.6),
                                QuotaRule(("sangat_baik",), at_most=0.0))),
)
ORGANISATION_PREDIKAT = ("istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
DISTRIBUTION_WARN = DistributionPolicy(DistributionMode.WARN, DISTRIBUTION_QUOTAS_6_2022)

OBJECTION_WINDOW_DAYS = 14  # PP 30/2019 Pasal 59 [S]

# --- PP 30/2019 Pasal 41 [V]; Kurang and Sangat Kurang bounds [S] ----------------------------

PP30_BANDS: tuple[Band, ...] = (
    Band("sangat_kurang", "Sangat Kurang", 0, 50),
    Band("kurang", "Kurang", 50, 70),
    Band("cukup", "Cukup", 70, 90),
    Band("baik", "Baik", 90, 120, include_upper=True),
    Band("sangat_baik", "Sangat Baik", 110, 120, include_upper=True, requires_innovation=True),
)
PP30_SCHEME = NumericScheme(PP30_BANDS, minimum=0, maximum=120, max_additional_points=10)

SKP = Component("skp", "Sasaran Kinerja Pegawai", 70, ComponentSource.HASIL_KERJA)
PERILAKU = Component("perilaku", "Perilaku Kerja", 30, ComponentSource.PERILAKU)
PP30_COMPONENTS_70_30: tuple[Component, ...] = (SKP, PERILAKU)
PP30_COMPONENTS_60_40: tuple[Component, ...] = (replace(SKP, weight=60), replace(PERILAKU, weight=40))

# --- PP 46/2011 [V-code]: 0–100; capaian simply capped at 100 (simplified) ---------------------

PP46_BANDS: tuple[Band, ...] = (
    Band("buruk", "Buruk", 0, 50, include_upper=True),
    Band("kurang", "Kurang", 50, 60, include_lower=False, include_upper=True),
    Band("cukup", "Cukup", 60, 75, include_lower=False, include_upper=True),
    Band("baik", "Baik", 75, 90, include_lower=False, include_upper=True),
    Band("sangat_baik", "Sangat Baik", 90, 100, include_lower=False, include_upper=True),
)
PP46_SCHEME = NumericScheme(PP46_BANDS, minimum=0, maximum=100, max_additional_points=0)
PP46_CURVE = AchievementCurve(segments=(
    CurveSegment(0, 100, 0, 0, 100, 100, note="nilai = capaian"),
    CurveSegment(100, None, 100, 100, 100, 100, note="dibatasi 100"),
))
PP46_COMPONENTS: tuple[Component, ...] = (replace(SKP, weight=60), replace(PERILAKU, weight=40))

# --- indicators every unit may use ----------------------------------------------------------

GENERAL_INDICATORS: tuple[Indicator, ...] = (
    Indicator("UMUM-01", "Persentase dokumen kerja diselesaikan sesuai rencana", "%", Aspect.KUANTITAS,
              target=Target.point(100)),
    Indicator("UMUM-02", "Persentase hasil kerja tanpa revisi", "%", Aspect.KUALITAS, target=Target.point(90)),
    Indicator("UMUM-03", "Rata-rata waktu penyelesaian tugas", "hari", Aspect.WAKTU,
              Direction.LOWER_IS_BETTER, target=Target.point(5)),
    Indicator("UMUM-04", "Persentase realisasi anggaran kegiatan", "%", Aspect.BIAYA,
              target=Target.range(90, 100)),
)

NATIONAL_TRAINING: tuple[TrainingRule, ...] = (
    TrainingRule("pelayanan-prima", "Pelatihan Pelayanan Prima", behaviours=("berorientasi-pelayanan",)),
    TrainingRule("integritas", "Pembinaan Integritas dan Akuntabilitas", behaviours=("akuntabel",)),
    TrainingRule("kerja-sama-tim", "Pelatihan Kerja Sama Tim", behaviours=("harmonis", "kolaboratif")),
    TrainingRule("manajemen-waktu", "Pelatihan Manajemen Waktu dan Prioritas Kerja", indicators=("UMUM-03",)),
)

LEGAL_BASIS_6_2022 = (
    "PP 30/2019 tentang Penilaian Kinerja PNS",
    "PermenPANRB 6/2022 tentang Pengelolaan Kinerja Pegawai ASN",
    "PermenPANRB 8/2021 (capaian dan nilai)",
)


# --- settings and reports ---------------------------------------------------------------


class NationalSettingsSchema(TenantSettingsSchema):
    """The common settings; regions subclass it to add their own."""


def matrix_predikat_labels() -> tuple[tuple[str, str], ...]:
    return tuple((p.code, p.label) for p in PREDIKAT_6_2022)


def band_labels(bands: tuple[Band, ...]) -> tuple[tuple[str, str], ...]:
    ordered = sorted(bands, key=lambda b: (-b.upper, -b.lower))
    return tuple((b.code, b.label) for b in ordered)


def standard_report_formats(predikat_labels: tuple[tuple[str, str], ...],
                            evaluation_title: str = "Dokumen Evaluasi Kinerja Pegawai",
                            numeric: bool = False, *,
                            templates: str | Path | Sequence[str | Path] | None = None,
                            labels: Mapping[str, str] | None = None,
                            context: Mapping[str, Any] | None = None) -> tuple[ReportFormat, ...]:
    """What every region has: the official documents as PDF — ``skp`` (the SKP and its
    LAMPIRAN), ``evaluasi-kinerja`` (the detailed form), ``dokumen-evaluasi`` (one page) —
    and the unit recaps ``rekap-predikat`` (CSV) and ``rekap-predikat-xlsx``, plus
    ``rekap-nilai`` (CSV) for a numeric region. ``templates`` (a region's folder, searched
    before the baseline's), ``labels`` and ``context`` reword or replace the documents' layouts
    (``document_formats``)."""
    formats = [
        *document_formats(templates, labels, evaluation_title, context),
        ReportFormat("rekap-predikat", "Rekap Predikat per Unit", "text/csv",
                     partial(render_predikat_recap_csv, predikat_labels=predikat_labels),
                     file_extension="csv"),
        ReportFormat("rekap-predikat-xlsx", "Rekap Predikat per Unit (XLSX)", XLSX_MEDIA_TYPE,
                     partial(render_predikat_recap_xlsx, predikat_labels=predikat_labels),
                     file_extension="xlsx"),
    ]
    if numeric:
        formats.append(ReportFormat("rekap-nilai", "Rekap Nilai Kinerja Pegawai", "text/csv",
                                    render_score_recap_csv, file_extension="csv"))
    return tuple(formats)


def public_report_format(title: str = "Laporan Kinerja untuk Publik",
                         code: str = "laporan-publik") -> ReportFormat:
    """A report for citizens (the transparency page's download).

    Public formats receive an ``app.regions.reports.PublicReportData``: the
    tenant's already-published, already-suppressed aggregates (predikat per
    unit, IKM per unit, complaint statistics, programme results) — never a
    per-employee record. Write your own renderer against that type, or reuse
    ``render_public_report``.
    """
    return ReportFormat(code, title, "text/html", partial(render_public_report, title=title),
                        audience=ReportAudience.PUBLIC)


def baseline_rule_set(code: str, name: str, version: str, **overrides: Any) -> RuleSet:
    """A PermenPANRB 6/2022 rule set; pass any ``RuleSet`` field to change it."""
    values: dict[str, Any] = dict(
        code=code, name=name, version=version,
        description="Pengelolaan kinerja ASN menurut PermenPANRB 6/2022.",
        period_scheme=PeriodScheme.QUARTERLY,
        annual_aggregation=AnnualAggregation.MEAN,
        legal_basis=LEGAL_BASIS_6_2022,
        indicators=GENERAL_INDICATORS,
        behaviours=BERAKHLAK,
        achievement_curve=PERMENPANRB_8_2021_CURVE,
        scheme=MATRIX_6_2022,
        distribution=DISTRIBUTION_WARN,
        objection_window_days=OBJECTION_WINDOW_DAYS,
        training=NATIONAL_TRAINING,
        real_rules=(
            "Matriks predikat hasil kerja × perilaku (PermenPANRB 6/2022)",
            "Tujuh nilai BerAKHLAK",
            "Rumus capaian dan kurva nilai PermenPANRB 8/2021 (kecuali segmen 100–110%)",
        ),
        defaults=(
            "Periode triwulanan; tahunan = rata-rata peringkat predikat (cara penurunan tahunan belum diatur)",
            "Kurva distribusi: warn, dengan kuota surat edaran; pembulatan unit kecil: lenient",
            "Masa keberatan 14 hari",
            "Usulan penilaian hasil kerja dari nilai IKI: di bawah < 90 ≤ sesuai < 110 ≤ di atas",
            "Wajib pengembangan kompetensi 20 JP per tahun",
        ),
        report_formats=standard_report_formats(matrix_predikat_labels()),
        settings_schema=NationalSettingsSchema,
    )
    values.update(overrides)
    return RuleSet(**values)


def pp30_rule_set(code: str, name: str, version: str, with_360: bool = False, **overrides: Any) -> RuleSet:
    """A numeric PP 30/2019 rule set: 70/30, or 60/40 with 360° behaviour input.

    It keeps the baseline's indicators, BerAKHLAK, curve, periods, objection
    window and training, and changes: the scheme (``PP30_SCHEME``: bands on
    0–120, Sangat Baik 110–120 only with innovation, up to 10 additional
    points), the components, the 360° rater weights (atasan 50 / rekan 25 /
    bawahan 25 with ``with_360``), the distribution curve (off: the national
    quotas are written for matrix predikat), the reports (with the numeric
    ``rekap-nilai``) and what ``real_rules``/``defaults`` say.
    """
    rater_weights = ((Rater.ATASAN, 50), (Rater.REKAN, 25), (Rater.BAWAHAN, 25)) if with_360 else ()
    defaults = [
        "Periode triwulanan; tahunan = rata-rata nilai periodik, lalu pita predikat",
        "Kurva distribusi: off (kuota nasional ditulis untuk predikat matriks)",
        "Masa keberatan 14 hari",
        "Nilai tugas tambahan paling banyak 10",
        "Wajib pengembangan kompetensi 20 JP per tahun",
    ]
    if with_360:
        defaults.append("Bobot penilai 360°: atasan 50, rekan 25, bawahan 25")
    numeric: dict[str, Any] = dict(
        description="Penilaian kinerja numerik menurut PP 30/2019.",
        scheme=PP30_SCHEME,
        components=PP30_COMPONENTS_60_40 if with_360 else PP30_COMPONENTS_70_30,
        rater_weights=rater_weights,
        distribution=DistributionPolicy(DistributionMode.OFF),
        report_formats=standard_report_formats(band_labels(PP30_BANDS), numeric=True),
        real_rules=("Bobot SKP 70% + perilaku 30%, atau 60/40 dengan penilaian 360° (PP 30/2019 Pasal 41)",
                    "Predikat Sangat Baik 110–120 hanya dengan inovasi (PP 30/2019 Pasal 41)"),
        defaults=tuple(defaults),
    )
    numeric.update(overrides)
    return baseline_rule_set(code, name, version, **numeric)
