"""Region plugin: Salor.

What the seed document asks for, and how this rule set answers it:

* periodic evaluation of discipline, competence and innovation — three
  weighted components beside work results and behaviour, entered by the
  penilai every month;
* document processing time as a measure, lower is better — indicator
  ``SLR-DOK-01`` (days), scored with the lower-is-better formula;
* a substantiated citizen complaint triggers an evaluation of the employee
  concerned and extra training (``kinerja_follow_ups``,
  ``kinerja_training_recommendations``; ``Complaint`` input);
* satisfaction surveys — the unit's IKM is an input: a weak IKM calls for a
  service review of the unit (``UnitSatisfaction`` input);
* documents — the evaluation form and the Dokumen Evaluasi print the
  discipline, competence and innovation scores (templates/documents/).

Real rules: the PP 30/2019 bands incl. the innovation condition for Sangat
Baik (innovation is also scored here); PermenPANRB 8/2021 lower-is-better
capaian; SKM quality bands [S]. Defaults a tenant can change: weights hasil
kerja 50 / perilaku 20 / disiplin 10 / kompetensi 10 / inovasi 10; monthly
periods, annual = mean; follow-up evaluation within 30 days of a substantiated
complaint; service review when the unit IKM is below 76.61.

Salor is smaller than a kota/kabupaten; its name, province and level are
tenant data, not part of these rules.
"""

from __future__ import annotations

from pathlib import Path

from marshmallow import fields, validate

from app.regions.api import (
    GENERAL_INDICATORS,
    NATIONAL_TRAINING,
    PP30_BANDS,
    Aspect,
    Component,
    ComponentSource,
    Direction,
    FollowUp,
    Indicator,
    NationalSettingsSchema,
    PeriodScheme,
    RuleSet,
    Target,
    TrainingRecommendation,
    TrainingRule,
    band_labels,
    hookimpl,
    pp30_rule_set,
    standard_report_formats,
)

KINERJA_API = ">=1.2,<2"  # the plugin API versions this plugin works with (docs/plugins.md)

SKM_BAND_B_LOWER = 76.61
TEMPLATES = Path(__file__).resolve().parent / "templates"  # documents/… extend the national baseline

INDICATORS: tuple[Indicator, ...] = (
    Indicator("SLR-DOK-01", "Rata-rata waktu penyelesaian dokumen pelayanan", "hari", Aspect.WAKTU,
              Direction.LOWER_IS_BETTER, sector="pelayanan", target=Target.point(3)),
    Indicator("SLR-DOK-02", "Jumlah dokumen pelayanan diselesaikan", "dokumen", Aspect.KUANTITAS,
              sector="pelayanan", target=Target.point(150)),
    Indicator("SLR-ADU-01", "Persentase pengaduan ditindaklanjuti dalam 5 hari kerja", "%", Aspect.WAKTU,
              sector="pelayanan", target=Target.range(90, 100)),
)


class SalorSettingsSchema(NationalSettingsSchema):
    complaint_follow_up_days = fields.Integer(
        load_default=30, validate=validate.Range(min=1, max=180),
        metadata={"description": "Batas waktu evaluasi lanjutan setelah pengaduan terbukti (hari)."})
    ikm_follow_up_below = fields.Float(
        load_default=SKM_BAND_B_LOWER, validate=validate.Range(min=25, max=100),
        metadata={"description": "IKM unit di bawah nilai ini memicu evaluasi layanan unit."})


RULE_SET: RuleSet = pp30_rule_set(
    code="salor",
    name="Salor",
    version="1.0.0",
    description=("Evaluasi bulanan disiplin, kompetensi dan inovasi di samping hasil kerja; "
                 "pengaduan masyarakat yang terbukti memicu evaluasi lanjutan dan pelatihan."),
    period_scheme=PeriodScheme.MONTHLY,
    indicators=GENERAL_INDICATORS + INDICATORS,
    components=(
        Component("hasil_kerja", "Hasil Kerja", 50, ComponentSource.HASIL_KERJA),
        Component("perilaku", "Perilaku Kerja", 20, ComponentSource.PERILAKU),
        Component("disiplin", "Disiplin", 10, ComponentSource.INPUT),
        Component("kompetensi", "Kompetensi", 10, ComponentSource.INPUT),
        Component("inovasi", "Inovasi", 10, ComponentSource.INPUT),
    ),
    training=NATIONAL_TRAINING + (
        TrainingRule("pembinaan-disiplin", "Pembinaan Disiplin Pegawai", components=("disiplin",)),
        TrainingRule("kompetensi-teknis", "Pelatihan Peningkatan Kompetensi Teknis", components=("kompetensi",)),
        TrainingRule("inovasi-layanan", "Lokakarya Inovasi Pelayanan Publik", components=("inovasi",),
                     below_nilai=70),
        TrainingRule("layanan-dokumen", "Pelatihan Tata Kelola Layanan Dokumen", indicators=("SLR-DOK-01",)),
    ),
    real_rules=(
        "Predikat PP 30/2019 (Sangat Baik 110–120 hanya dengan inovasi)",
        "Capaian makin-rendah-makin-baik PermenPANRB 8/2021 untuk waktu penyelesaian dokumen",
    ),
    defaults=(
        "Bobot: hasil kerja 50, perilaku 20, disiplin 10, kompetensi 10, inovasi 10",
        "Periode bulanan; tahunan = rata-rata",
        "Evaluasi lanjutan 30 hari setelah pengaduan terbukti; evaluasi layanan bila IKM unit < 76,61",
    ),
    report_formats=standard_report_formats(band_labels(PP30_BANDS), numeric=True, templates=TEMPLATES),
    settings_schema=SalorSettingsSchema,
)


@hookimpl
def kinerja_rule_sets() -> list[RuleSet]:
    return [RULE_SET]


@hookimpl
def kinerja_follow_ups(rule_set, signal, settings):
    follow_ups = []
    for complaint in signal.complaints:
        if complaint.substantiated:
            follow_ups.append(FollowUp(
                "evaluasi_ulang", "Evaluasi kinerja lanjutan atas pengaduan masyarakat",
                f"pengaduan {complaint.reference} terbukti", settings["complaint_follow_up_days"], rule_set.code))
            follow_ups.append(FollowUp(
                "pelatihan", "Pelatihan Etika Pelayanan dan Penanganan Pengaduan",
                f"pengaduan {complaint.reference} terbukti", settings["complaint_follow_up_days"], rule_set.code))
    ikm = signal.unit_satisfaction
    if ikm is not None and ikm.ikm < settings["ikm_follow_up_below"]:
        follow_ups.append(FollowUp("evaluasi_layanan", "Evaluasi layanan unit kerja berdasarkan survei kepuasan",
                                   f"IKM unit {ikm.unit_code} {ikm.ikm:.2f}", 60, rule_set.code))
    return follow_ups


@hookimpl
def kinerja_training_recommendations(rule_set, result, evaluation, settings):
    substantiated = [c.reference for c in evaluation.complaints if c.substantiated]
    if not substantiated:
        return []
    return [TrainingRecommendation("etika-pelayanan", "Pelatihan Etika Pelayanan dan Penanganan Pengaduan",
                                   tuple(f"pengaduan {ref} terbukti" for ref in substantiated), rule_set.code)]
