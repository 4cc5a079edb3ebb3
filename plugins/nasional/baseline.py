"""Deprecated: the national building blocks moved to ``app.regions.api``.

Every name this module offered before plugin API 1.0 still works, with a
``KinerjaDeprecationWarning``, until plugin API 2.0 removes the module.
"""

from __future__ import annotations

import warnings

from app.regions import api

_MOVED = frozenset({
    "BERAKHLAK", "DISTRIBUTION_QUOTAS_6_2022", "DISTRIBUTION_WARN", "GENERAL_INDICATORS",
    "HASIL_KERJA_RATING_BANDS", "LEGAL_BASIS_6_2022", "MATRIX_6_2022", "MATRIX_CELLS_6_2022",
    "NATIONAL_TRAINING", "OBJECTION_WINDOW_DAYS", "ORGANISATION_PREDIKAT", "PERILAKU",
    "PERMENPANRB_8_2021_CURVE", "PP30_BANDS", "PP30_COMPONENTS_60_40", "PP30_COMPONENTS_70_30",
    "PP30_SCHEME", "PP46_BANDS", "PP46_COMPONENTS", "PP46_CURVE", "PP46_SCHEME", "PREDIKAT_6_2022",
    "SKP", "NationalSettingsSchema", "band_labels", "baseline_rule_set", "matrix_predikat_labels",
    "pp30_rule_set", "public_report_format", "standard_report_formats",
})


def __getattr__(name: str) -> object:
    if name not in _MOVED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(f"{__name__}.{name} is deprecated since Kinerja plugin API 1.0 and will be removed in 2.0; "
                  f"import it from app.regions.api", api.KinerjaDeprecationWarning, stacklevel=2)
    return getattr(api, name)
