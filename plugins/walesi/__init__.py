"""Region plugin: Walesi.

What the seed document asks for, and how this rule set answers it:

* clear indicators tied to programmes — a programme indicator library:
  families lifted out of poverty (Pengentasan Kemiskinan) and vaccination
  coverage (Vaksinasi), each indicator naming its programme;
* evaluation every six months — semester periods, annual = mean of the two;
* a rapat evaluasi kinerja in each agency every six months — the rule set
  requires a held evaluation meeting of the employee's unit (or of the OPD
  above it) before a semester's or the year's evaluations are finalised;
* documents — the SKP and evaluation forms word the intervened column
  "RENCANA HASIL KERJA ATASAN YANG DIINTERVENSI" (as the e-Kinerja BKN export
  does), the SKP of a pejabat pimpinan tinggi uses the kualitatif approach,
  and the BKPSDM gets a semester recap as XLSX (``rekap-semester-xlsx``: each
  employee's predikat per semester side by side);
* public transparency — a public performance report format
  ("Laporan Kinerja untuk Publik", ``audience=PUBLIC``) for the transparency
  page, due a set number of days after each semester closes. Being public, it
  receives a ``PublicReportData``: only what the tenant has already published,
  after small-group suppression — predikat counts per unit, IKM per unit,
  complaint statistics, programme results — never a name or a NIP.

Real rules: evaluation every six months (the seed document); the national
PermenPANRB 6/2022 regime (predikat matrix, BerAKHLAK) and PermenPANRB 8/2021
capaian. Defaults a tenant can change: annual = mean of the two semesters;
distribution curve on warn; 14-day objection window; the public report within
30 days of a semester's end; the programme targets in the library.

Walesi is smaller than a kota/kabupaten; its name, province and level are
tenant data, not part of these rules.
"""

from __future__ import annotations

from functools import partial

from marshmallow import fields, validate

from app.regions.api import (
    GENERAL_INDICATORS,
    NATIONAL_TRAINING,
    Aspect,
    Indicator,
    NationalSettingsSchema,
    PeriodScheme,
    ReportFormat,
    RuleSet,
    Target,
    TrainingRule,
    baseline_rule_set,
    hookimpl,
    matrix_predikat_labels,
    public_report_format,
    render_period_recap_xlsx,
    standard_report_formats,
)

KINERJA_API = ">=1.3,<2"  # the plugin API versions this plugin works with (docs/plugins.md)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
POVERTY, VACCINATION = "Pengentasan Kemiskinan", "Vaksinasi"

PROGRAMME_INDICATORS: tuple[Indicator, ...] = (
    Indicator("WLS-KMS-01", "Jumlah keluarga keluar dari kemiskinan", "keluarga", Aspect.KUANTITAS,
              sector="sosial", target=Target.point(40), programme=POVERTY),
    Indicator("WLS-KMS-02", "Persentase keluarga miskin menerima pendampingan", "%", Aspect.KUALITAS,
              sector="sosial", target=Target.range(90, 100), programme=POVERTY),
    Indicator("WLS-VAK-01", "Cakupan imunisasi dasar lengkap", "%", Aspect.KUANTITAS,
              sector="kesehatan", target=Target.range(90, 95), programme=VACCINATION),
    Indicator("WLS-VAK-02", "Jumlah anak divaksinasi", "anak", Aspect.KUANTITAS,
              sector="kesehatan", target=Target.point(300), programme=VACCINATION),
)


class WalesiSettingsSchema(NationalSettingsSchema):
    public_report_within_days = fields.Integer(
        load_default=30, validate=validate.Range(min=1, max=120),
        metadata={"description": "Laporan kinerja publik terbit paling lambat sekian hari setelah semester."})


PUBLIC_REPORT_TITLE = "Laporan Kinerja untuk Publik"
DOCUMENT_LABELS = {"intervened": "RENCANA HASIL KERJA ATASAN YANG DIINTERVENSI"}
SEMESTER_RECAP_TITLE = "Rekap Predikat Kinerja per Semester"

RULE_SET: RuleSet = baseline_rule_set(
    code="walesi",
    name="Walesi",
    version="1.0.0",
    description=("Indikator terkait program (pengentasan kemiskinan, vaksinasi); evaluasi setiap semester; "
                 "laporan kinerja diterbitkan berkala untuk warga."),
    period_scheme=PeriodScheme.SEMESTER,
    indicators=GENERAL_INDICATORS + PROGRAMME_INDICATORS,
    training=NATIONAL_TRAINING + (
        TrainingRule("pendampingan-keluarga", "Pelatihan Pendampingan Keluarga Miskin",
                     indicators=("WLS-KMS-01", "WLS-KMS-02")),
        TrainingRule("imunisasi", "Pelatihan Pengelolaan Program Imunisasi",
                     indicators=("WLS-VAK-01", "WLS-VAK-02")),
    ),
    defaults=(
        "Periode semester; tahunan = rata-rata peringkat dua semester",
        "Kurva distribusi: warn; masa keberatan 14 hari",
        "Laporan kinerja publik paling lambat 30 hari setelah semester berakhir",
        "SKP pejabat pimpinan tinggi dengan pendekatan hasil kerja kualitatif",
    ),
    qualitative_position_kinds=("jpt",),
    # The seed: a rapat evaluasi kinerja in each agency every six months. A semester's
    # (and the year's) evaluations are finalised only after the unit's meeting was held.
    evaluation_meeting_required=True,
    report_formats=standard_report_formats(matrix_predikat_labels(), labels=DOCUMENT_LABELS) + (
        ReportFormat("rekap-semester-xlsx", SEMESTER_RECAP_TITLE, XLSX,
                     partial(render_period_recap_xlsx, title=SEMESTER_RECAP_TITLE), file_extension="xlsx"),
        public_report_format(PUBLIC_REPORT_TITLE),
    ),
    settings_schema=WalesiSettingsSchema,
)


@hookimpl
def kinerja_rule_sets() -> list[RuleSet]:
    return [RULE_SET]
