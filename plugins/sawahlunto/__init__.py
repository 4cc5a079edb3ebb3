"""Region plugin: Sawahlunto.

What the seed document asks for, and how this rule set answers it:

* clear, measurable indicators per sector — an indicator library per sector
  (kesehatan: number of health services given; pendidikan; pariwisata;
  kependudukan) on top of the national general indicators;
* ASN discuss the criteria before they apply — the period's indicator set is
  published for comment (``CriteriaConsultation``) and plans may not lock
  until the consultation has run its course and the responses are published
  (``kinerja_plan_lock_blockers``);
* training participation counts — a weighted component from training hours
  (JP) against the required hours, and a recommendation when they fall short;
* periodic evaluation and fairness — quarterly periods, PP 30/2019 bands;
  the evaluation form prints the score table (components incl. training
  participation), the scoring steps and the bands (templates/documents/).

Real rules: the PP 30/2019 bands incl. the innovation condition for Sangat
Baik; PermenPANRB 8/2021 capaian; BerAKHLAK; 20 JP per year of competence
development [S]. Defaults a tenant can change (no Sawahlunto regulation with
numbers was found): weights SKP 60 / perilaku 30 / pelatihan 10; a
consultation of at least 14 days whose responses are published; quarterly
periods; annual = mean; distribution curve off (the scores are numeric).
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
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
    Indicator,
    NationalSettingsSchema,
    PeriodScheme,
    ReportFormat,
    RuleSet,
    Target,
    TrainingRecommendation,
    TrainingRule,
    band_labels,
    hookimpl,
    pp30_rule_set,
    render_score_recap_csv,
    standard_report_formats,
)

KINERJA_API = ">=1.2,<2"  # the plugin API versions this plugin works with (docs/plugins.md)

TEMPLATES = Path(__file__).resolve().parent / "templates"  # documents/… extend the national baseline

SECTOR_INDICATORS: tuple[Indicator, ...] = (
    Indicator("KES-01", "Jumlah pelayanan kesehatan yang diberikan", "layanan", Aspect.KUANTITAS,
              sector="kesehatan", target=Target.point(600)),
    Indicator("KES-02", "Persentase pasien yang menyatakan puas", "%", Aspect.KUALITAS,
              sector="kesehatan", target=Target.point(85)),
    Indicator("KES-03", "Rata-rata waktu tunggu pelayanan", "menit", Aspect.WAKTU,
              Direction.LOWER_IS_BETTER, sector="kesehatan", target=Target.range(20, 30)),
    Indicator("DIK-01", "Jumlah jam mengajar terlaksana", "jam", Aspect.KUANTITAS,
              sector="pendidikan", target=Target.point(288)),
    Indicator("DIK-02", "Persentase peserta didik tuntas KKM", "%", Aspect.KUALITAS,
              sector="pendidikan", target=Target.point(80)),
    Indicator("PAR-01", "Jumlah wisatawan yang dilayani di objek wisata tambang", "orang", Aspect.KUANTITAS,
              sector="pariwisata", target=Target.point(5000)),
    Indicator("DUK-01", "Jumlah dokumen kependudukan diterbitkan", "dokumen", Aspect.KUANTITAS,
              sector="kependudukan", target=Target.point(1200)),
    Indicator("DUK-02", "Waktu penerbitan dokumen kependudukan", "hari", Aspect.WAKTU,
              Direction.LOWER_IS_BETTER, sector="kependudukan", target=Target.point(3)),
)


def _band_range(band) -> str:
    lower = f"{band.lower:g} ≤" if band.include_lower else f"{band.lower:g} <"
    upper = f"≤ {band.upper:g}" if band.include_upper else f"< {band.upper:g}"
    return f"{lower} nilai {upper}" + (" (dengan inovasi)" if band.requires_innovation else "")


BAND_TABLE = tuple((b.label, _band_range(b)) for b in sorted(PP30_BANDS, key=lambda b: (-b.upper, -b.lower)))


class SawahluntoSettingsSchema(NationalSettingsSchema):
    consultation_days = fields.Integer(
        load_default=14, validate=validate.Range(min=1, max=60),
        metadata={"description": "Lama minimal konsultasi indikator dengan pegawai (hari)."})
    require_published_responses = fields.Boolean(
        load_default=True,
        metadata={"description": "Tanggapan atas masukan pegawai wajib diumumkan sebelum SKP dikunci."})
    criteria_consultation = fields.Boolean(
        load_default=True,
        metadata={"label": "Konsultasi kriteria dengan pegawai",
                  "description": "Indikator dikonsultasikan kepada pegawai sebelum berlaku; bila dimatikan, "
                                 "SKP dapat dikunci tanpa konsultasi."})


RULE_SET: RuleSet = pp30_rule_set(
    code="sawahlunto",
    name="Kota Sawahlunto",
    version="1.0.0",
    description=("Indikator terukur per sektor, dikonsultasikan kepada pegawai sebelum berlaku; "
                 "partisipasi pelatihan ikut dinilai."),
    period_scheme=PeriodScheme.QUARTERLY,
    indicators=GENERAL_INDICATORS + SECTOR_INDICATORS,
    components=(
        Component("skp", "Sasaran Kinerja Pegawai", 60, ComponentSource.HASIL_KERJA),
        Component("perilaku", "Perilaku Kerja", 30, ComponentSource.PERILAKU),
        Component("pelatihan", "Partisipasi Pelatihan", 10, ComponentSource.PELATIHAN),
    ),
    training=NATIONAL_TRAINING + (
        TrainingRule("pelayanan-kesehatan", "Pelatihan Standar Pelayanan Kesehatan",
                     indicators=("KES-01", "KES-02", "KES-03")),
        TrainingRule("pengembangan-kompetensi", "Pemenuhan Pengembangan Kompetensi 20 JP",
                     components=("pelatihan",), below_nilai=100),
    ),
    real_rules=(
        "Predikat PP 30/2019 (Sangat Baik 110–120 hanya dengan inovasi)",
        "Rumus capaian PermenPANRB 8/2021; tujuh nilai BerAKHLAK",
        "Pengembangan kompetensi 20 JP per tahun",
    ),
    defaults=(
        "Bobot: SKP 60, perilaku 30, partisipasi pelatihan 10",
        "Konsultasi indikator minimal 14 hari dan tanggapan diumumkan sebelum SKP dikunci",
        "Periode triwulanan; tahunan = rata-rata; kurva distribusi off",
    ),
    report_formats=standard_report_formats(band_labels(PP30_BANDS), numeric=True, templates=TEMPLATES,
                                           context={"bands": BAND_TABLE}) + (
        ReportFormat("rekap-pelatihan", "Rekap Partisipasi Pelatihan Pegawai", "text/csv",
                     partial(render_score_recap_csv, extra_columns=("JP pelatihan",)), file_extension="csv"),
    ),
    settings_schema=SawahluntoSettingsSchema,
)


@hookimpl
def kinerja_rule_sets() -> list[RuleSet]:
    return [RULE_SET]


@hookimpl
def kinerja_plan_lock_blockers(rule_set, planning, settings):
    """Plans lock only after the indicator set was put to employees for comment
    (unless the tenant switched the consultation off)."""
    if not settings.get("criteria_consultation", True):
        return []
    consultation = planning.consultation
    if consultation is None:
        return ["Indikator periode ini belum dikonsultasikan kepada pegawai."]
    problems = []
    if consultation.closes_on - consultation.published_on < timedelta(days=settings["consultation_days"]):
        problems.append(f"Konsultasi indikator kurang dari {settings['consultation_days']} hari.")
    if consultation.closes_on > planning.lock_on:
        problems.append("Masa konsultasi indikator belum selesai.")
    if settings["require_published_responses"] and not consultation.responses_published:
        problems.append("Tanggapan atas masukan pegawai belum diumumkan.")
    return problems


@hookimpl
def kinerja_training_recommendations(rule_set, result, evaluation, settings):
    """Say how many JP are still missing, so participation can be planned."""
    hours = evaluation.training.hours if evaluation.training else 0.0
    required = settings["required_training_hours"]
    if hours >= required:
        return []
    return [TrainingRecommendation("kekurangan-jp", f"Ikuti pelatihan {required - hours:g} JP lagi",
                                   (f"partisipasi pelatihan {hours:g} dari {required:g} JP",), rule_set.code)]
