"""Region plugin: Ambon.

What the seed document asks for, and how this rule set answers it:

* multi-party assessment — behaviour is rated 360°: by the superior, peers
  and subordinates, and the public; the PP 30/2019 60/40 scheme applies;
* community input to make the assessment more objective — the citizens'
  satisfaction index (IKM, from the SKM survey) of the employee's unit is the
  public's share of the 360° behaviour score (``UnitSatisfaction`` input);
* indicators known in advance — only indicators from the published library
  can be evaluated, and every evaluation needs at least one peer rating
  (``kinerja_evaluation_blockers``);
* socialisation, training and workshops — weak results and a weak unit IKM
  call for a workshop or training (``kinerja_follow_ups``);
* documents — the Dokumen Evaluasi carries the objection procedure
  (6. KEBERATAN, 7. PENJELASAN PEJABAT PENILAI ATAS KEBERATAN, 8. KEPUTUSAN
  ATASAN PEJABAT PENILAI KINERJA) and the atasan's signature
  (templates/documents/).

Real rules: SKP 60% + perilaku 40% when peers and subordinates also rate
behaviour, and the PP 30/2019 bands incl. the innovation condition; the SKM
quality bands of PermenPANRB 14/2017 [S]. Defaults a tenant can change (no
Ambon regulation with numbers was found): 360° weights atasan 40 / rekan 20 /
bawahan 20 / masyarakat (unit IKM) 20; follow-up when the unit IKM is below
76.61 (below quality band B); at least one peer rating; quarterly periods.
"""

from __future__ import annotations

from pathlib import Path

from marshmallow import fields, validate

from app.regions.api import (
    GENERAL_INDICATORS,
    NATIONAL_TRAINING,
    PP30_BANDS,
    Aspect,
    FollowUp,
    Indicator,
    NationalSettingsSchema,
    Rater,
    RuleSet,
    Target,
    TrainingRule,
    band_labels,
    hookimpl,
    pp30_rule_set,
    standard_report_formats,
)

KINERJA_API = ">=1.2,<2"  # the plugin API versions this plugin works with (docs/plugins.md)

TEMPLATES = Path(__file__).resolve().parent / "templates"  # documents/… extend the national baseline

SKM_BAND_B_LOWER = 76.61  # PermenPANRB 14/2017: B (Baik) 76.61–88.30 [S]

INDICATORS: tuple[Indicator, ...] = (
    Indicator("AMB-01", "Jumlah permohonan layanan publik diselesaikan", "permohonan", Aspect.KUANTITAS,
              sector="pelayanan", target=Target.point(300)),
    Indicator("AMB-02", "Persentase pengaduan masyarakat dijawab tepat waktu", "%", Aspect.WAKTU,
              sector="pelayanan", target=Target.range(90, 100)),
    Indicator("AMB-03", "Jumlah sosialisasi dan lokakarya kinerja yang difasilitasi", "kegiatan",
              Aspect.KUANTITAS, target=Target.point(4)),
)


class AmbonSettingsSchema(NationalSettingsSchema):
    ikm_follow_up_below = fields.Float(
        load_default=SKM_BAND_B_LOWER, validate=validate.Range(min=25, max=100),
        metadata={"description": "IKM unit di bawah nilai ini memicu pelatihan pelayanan publik."})
    min_peer_ratings = fields.Integer(
        load_default=1, validate=validate.Range(min=0, max=10),
        metadata={"description": "Jumlah minimal penilaian perilaku oleh rekan kerja."})
    workshop_for = fields.List(
        fields.String(), load_default=["cukup", "kurang", "sangat_kurang"],
        metadata={"description": "Predikat yang memicu lokakarya peningkatan kinerja."})


RULE_SET: RuleSet = pp30_rule_set(
    code="ambon",
    name="Kota Ambon",
    version="1.0.0",
    with_360=True,
    description=("Penilaian multi-pihak 360° (atasan, rekan, bawahan, masyarakat melalui IKM unit) "
                 "dengan skema PP 30/2019 60/40; indikator diumumkan sebelum berlaku."),
    indicators=GENERAL_INDICATORS + INDICATORS,
    rater_weights=((Rater.ATASAN, 40), (Rater.REKAN, 20), (Rater.BAWAHAN, 20), (Rater.MASYARAKAT, 20)),
    training=NATIONAL_TRAINING + (
        TrainingRule("komunikasi-publik", "Pelatihan Komunikasi dan Pelayanan Publik",
                     behaviours=("berorientasi-pelayanan", "harmonis")),
    ),
    real_rules=(
        "SKP 60% + perilaku 40% dengan penilaian rekan dan bawahan (PP 30/2019 Pasal 41)",
        "Predikat PP 30/2019 (Sangat Baik 110–120 hanya dengan inovasi)",
        "Mutu IKM menurut PermenPANRB 14/2017",
    ),
    defaults=(
        "Bobot 360°: atasan 40, rekan 20, bawahan 20, masyarakat (IKM unit) 20",
        "Pelatihan pelayanan publik bila IKM unit < 76,61; lokakarya bila predikat Cukup atau lebih rendah",
        "Minimal satu penilaian rekan kerja; periode triwulanan; tahunan = rata-rata",
    ),
    report_formats=standard_report_formats(band_labels(PP30_BANDS), numeric=True, templates=TEMPLATES),
    settings_schema=AmbonSettingsSchema,
)


@hookimpl
def kinerja_rule_sets() -> list[RuleSet]:
    return [RULE_SET]


@hookimpl
def kinerja_evaluation_blockers(rule_set, evaluation, settings):
    """Indicators must come from the published library; peers must have rated."""
    problems = [f"Indikator {r.indicator_code} tidak ada dalam pustaka indikator yang diumumkan."
                for r in evaluation.indicator_results if rule_set.indicator(r.indicator_code) is None]
    peers = sum(1 for b in evaluation.behaviours if b.rater is Rater.REKAN and b.score is not None)
    if peers < settings["min_peer_ratings"]:
        problems.append(f"Penilaian perilaku oleh rekan kerja baru {peers}, "
                        f"minimal {settings['min_peer_ratings']}.")
    return problems


@hookimpl
def kinerja_follow_ups(rule_set, signal, settings):
    follow_ups = []
    if signal.predikat_code in settings["workshop_for"]:
        follow_ups.append(FollowUp("lokakarya", "Lokakarya Peningkatan Kinerja Pegawai",
                                   f"predikat {signal.predikat_code}", 60, rule_set.code))
    ikm = signal.unit_satisfaction
    if ikm is not None and ikm.ikm < settings["ikm_follow_up_below"]:
        follow_ups.append(FollowUp("pelatihan", "Pelatihan Pelayanan Publik bagi Unit Kerja",
                                   f"IKM unit {ikm.unit_code} {ikm.ikm:.2f} < {settings['ikm_follow_up_below']:g}",
                                   90, rule_set.code))
    return follow_ups
