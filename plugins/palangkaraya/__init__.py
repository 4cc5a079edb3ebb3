"""Region plugin: Palangkaraya.

What the seed document asks for, and how this rule set answers it:

* legal basis in BKN rules and the government regulation on ASN performance
  management — PP 30/2019 and its technical guidance (``legal_basis``);
* an annual work plan (SKP) is the basis, assessed periodically during the
  year — annual targets, quarterly assessments, annual = mean of quarters;
* both process and result count — the SKP share of PP 30/2019 (70%) is split
  into result (``hasil``: the indicators) and process (``proses``: how the
  work was done, scored by the penilai);
* face-to-face feedback sessions — a period cannot be finalised without at
  least one recorded face-to-face session (``FeedbackSession`` input,
  ``kinerja_evaluation_blockers``);
* training recommended from the results, e.g. IT training — weak IT
  indicators or a weak *Adaptif* behaviour recommend IT training;
* documents — the evaluation form shows process and result apart, and both
  evaluation documents list the face-to-face feedback sessions
  (templates/documents/).

Real rules: SKP 70% + perilaku 30% and the bands of PP 30/2019 incl. the
innovation condition; PermenPANRB 8/2021 capaian. Defaults a tenant can change
(no Palangka Raya regulation with numbers was found): the 70% split as hasil 50
/ proses 20; one face-to-face session per quarter; quarterly periods; annual =
mean.
"""

from __future__ import annotations

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
    Indicator,
    NationalSettingsSchema,
    PeriodScheme,
    ReportFormat,
    RuleSet,
    Target,
    TrainingRule,
    band_labels,
    hookimpl,
    pp30_rule_set,
    render_score_recap_csv,
    standard_report_formats,
)

KINERJA_API = ">=1.2,<2"  # the plugin API versions this plugin works with (docs/plugins.md)

TEMPLATES = Path(__file__).resolve().parent / "templates"  # documents/… extend the national baseline

INDICATORS: tuple[Indicator, ...] = (
    Indicator("PKY-TI-01", "Persentase layanan administrasi melalui aplikasi", "%", Aspect.KUALITAS,
              target=Target.point(80)),
    Indicator("PKY-TI-02", "Jumlah data kepegawaian dimutakhirkan dalam sistem informasi", "data",
              Aspect.KUANTITAS, target=Target.point(400)),
    Indicator("PKY-SKP-01", "Persentase target SKP tahunan tercapai", "%", Aspect.KUANTITAS,
              target=Target.point(100)),
)


class PalangkarayaSettingsSchema(NationalSettingsSchema):
    min_face_to_face_sessions = fields.Integer(
        load_default=1, validate=validate.Range(min=0, max=12),
        metadata={"description": "Sesi umpan balik tatap muka minimal per periode."})


RULE_SET: RuleSet = pp30_rule_set(
    code="palangkaraya",
    name="Kota Palangka Raya",
    version="1.0.0",
    description=("SKP tahunan sebagai dasar dengan penilaian triwulanan; proses dan hasil sama-sama dinilai; "
                 "sesi umpan balik tatap muka dicatat; rekomendasi pelatihan dari hasil (mis. pelatihan TI)."),
    period_scheme=PeriodScheme.QUARTERLY,
    legal_basis=(
        "PP 30/2019 tentang Penilaian Kinerja PNS",
        "Peraturan BKN tentang petunjuk teknis penilaian kinerja PNS",
        "PermenPANRB 8/2021 (capaian dan nilai)",
    ),
    indicators=GENERAL_INDICATORS + INDICATORS,
    components=(
        Component("hasil", "Hasil Kerja (SKP)", 50, ComponentSource.HASIL_KERJA),
        Component("proses", "Proses Kerja", 20, ComponentSource.INPUT),
        Component("perilaku", "Perilaku Kerja", 30, ComponentSource.PERILAKU),
    ),
    training=NATIONAL_TRAINING + (
        TrainingRule("pelatihan-ti", "Pelatihan Teknologi Informasi (aplikasi perkantoran dan sistem informasi)",
                     indicators=("PKY-TI-01", "PKY-TI-02"), behaviours=("adaptif",)),
        TrainingRule("perencanaan-kinerja", "Bimbingan Teknis Perencanaan dan Pelaksanaan SKP",
                     components=("proses",)),
    ),
    real_rules=(
        "SKP 70% + perilaku 30% dan predikat PP 30/2019 (Sangat Baik hanya dengan inovasi)",
        "Rumus capaian PermenPANRB 8/2021",
    ),
    defaults=(
        "Bagian SKP 70% dibagi hasil 50 dan proses 20",
        "Minimal satu sesi umpan balik tatap muka per triwulan",
        "Periode triwulanan dari SKP tahunan; tahunan = rata-rata triwulan",
    ),
    report_formats=(
        *standard_report_formats(band_labels(PP30_BANDS), numeric=True, templates=TEMPLATES),
        ReportFormat("rekomendasi-pelatihan", "Rekap Rekomendasi Pelatihan", "text/csv",
                     partial(render_score_recap_csv, extra_columns=("Rekomendasi pelatihan",)),
                     file_extension="csv"),
    ),
    settings_schema=PalangkarayaSettingsSchema,
)


@hookimpl
def kinerja_rule_sets() -> list[RuleSet]:
    return [RULE_SET]


@hookimpl
def kinerja_evaluation_blockers(rule_set, evaluation, settings):
    held = sum(1 for s in evaluation.feedback_sessions if s.face_to_face)
    need = settings["min_face_to_face_sessions"]
    if held < need:
        return [f"Sesi umpan balik tatap muka baru {held}, minimal {need} per periode."]
    return []
