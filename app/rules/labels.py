"""Plain Indonesian labels for every value of the rule set's vocabularies.

The rules page never shows a raw code ("mean", "warn", "hasil_kerja"): each
enum the page can meet maps to a label here, and ``label`` falls back to a
neutral dash rather than the code when a value is unknown.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.org.models import PositionKind
from app.regions.types import (
    AnnualAggregation,
    ComponentSource,
    DistributionMode,
    Expectation,
    PendingEvidencePolicy,
    PeriodScheme,
    Rater,
    SmallUnitRounding,
)

PERIOD_SCHEME = {
    PeriodScheme.MONTHLY: _l("Bulanan"),
    PeriodScheme.QUARTERLY: _l("Triwulanan"),
    PeriodScheme.SEMESTER: _l("Semesteran"),
    PeriodScheme.ANNUAL: _l("Tahunan"),
}
ANNUAL_AGGREGATION = {
    AnnualAggregation.MEAN: _l("Rata-rata hasil periodik"),
    AnnualAggregation.LAST: _l("Hasil periode terakhir"),
    AnnualAggregation.LOWEST: _l("Hasil periodik terendah"),
}
DISTRIBUTION_MODE = {
    DistributionMode.OFF: _l("Tidak diterapkan"),
    DistributionMode.WARN: _l("Peringatan"),
    DistributionMode.BLOCK: _l("Mencegah finalisasi"),
}
ROUNDING = {
    SmallUnitRounding.LENIENT: _l("Longgar"),
    SmallUnitRounding.STRICT: _l("Ketat"),
}
PENDING_EVIDENCE = {
    PendingEvidencePolicy.BLOCK: _l("Finalisasi ditolak"),
    PendingEvidencePolicy.WARN: _l("Hanya peringatan"),
}
COMPONENT_SOURCE = {
    ComponentSource.HASIL_KERJA: _l("rata-rata nilai IKI ditambah nilai tugas tambahan"),
    ComponentSource.PERILAKU: _l("rata-rata nilai perilaku kerja"),
    ComponentSource.UNIT_IKM: _l("indeks kepuasan masyarakat (IKM) unit kerja"),
    ComponentSource.PELATIHAN: _l("jam pelatihan (JP) dibanding JP wajib, dalam skala 0–100"),
    ComponentSource.INPUT: _l("diisi oleh pejabat penilai"),
}
RATER = {
    Rater.ATASAN: _l("Atasan"),
    Rater.REKAN: _l("Rekan kerja"),
    Rater.BAWAHAN: _l("Bawahan"),
    Rater.MASYARAKAT: _l("Masyarakat (IKM unit)"),
}
EXPECTATION = {
    Expectation.DI_ATAS: _l("Di atas ekspektasi"),
    Expectation.SESUAI: _l("Sesuai ekspektasi"),
    Expectation.DI_BAWAH: _l("Di bawah ekspektasi"),
}
POSITION_KIND = {
    PositionKind.JPT: _l("Jabatan pimpinan tinggi"),
    PositionKind.ADMINISTRATOR: _l("Administrator"),
    PositionKind.PENGAWAS: _l("Pengawas"),
    PositionKind.PELAKSANA: _l("Pelaksana"),
    PositionKind.FUNGSIONAL: _l("Fungsional"),
}
ORGANISATION_PREDIKAT = {
    "istimewa": _l("Istimewa"),
    "baik": _l("Baik"),
    "butuh_perbaikan": _l("Butuh Perbaikan"),
    "kurang": _l("Kurang"),
    "sangat_kurang": _l("Sangat Kurang"),
}
VERSION_SOURCE = {
    "editor": _l("Penyunting pengaturan"),
    "consultation": _l("Hasil konsultasi"),
    "onboarding": _l("Pendaftaran instansi"),
}

# The settings whose value is one of an enum's values, and that enum's labels.
SETTING_CHOICES: dict[str, dict[Any, Any]] = {
    "annual_aggregation": ANNUAL_AGGREGATION,
    "distribution_mode": DISTRIBUTION_MODE,
    "distribution_rounding": ROUNDING,
    "pending_evidence": PENDING_EVIDENCE,
}

# Every enum whose values the page may meet; a test checks none of them shows raw.
ENUMS = (PeriodScheme, AnnualAggregation, DistributionMode, SmallUnitRounding, PendingEvidencePolicy,
         ComponentSource, Rater, Expectation)


def label(labels: dict[Any, Any], value: Any) -> str:
    """The label of an enum value (given as the enum or its string value)."""
    for key, text in labels.items():
        if key == value or getattr(key, "value", key) == value:
            return str(text)
    return "—"
