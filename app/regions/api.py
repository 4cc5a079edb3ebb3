"""The public plugin API: everything a region plugin may use, and nothing else.

A plugin imports from here only (plus the standard library, marshmallow and
its own package)::

    from app.regions.api import baseline_rule_set, hookimpl

    KINERJA_API = ">=1.0,<2"   # the API versions this plugin works with

Every other module of ``app.regions`` is the core's own and may change
without notice. ``API_VERSION`` follows semantic versioning: a new name or a
new hook argument is a minor release (pluggy lets an implementation accept
fewer arguments than the hookspec, so old plugins keep working); removing or
changing a name is a major release. A deprecated name keeps working and warns
with ``KinerjaDeprecationWarning`` for at least one minor release before the
next major release removes it (``app.regions.compat``). docs/plugins.md
documents exactly ``__all__`` (tests/test_regions_docs.py checks it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.regions.achievement import Achievement, achievement, capaian
from app.regions.berakhlak import BERAKHLAK_GUIDES
from app.regions.cases import ScoredCase, case_from_json, score_case
from app.regions.compat import (
    API_VERSION,
    Deprecation,
    KinerjaDeprecationWarning,
    deprecated_getattr,
)
from app.regions.distribution import DistributionCheck, QuotaViolation, check_distribution
from app.regions.documents import (
    Approach,
    BehaviourBlock,
    Choice,
    ComponentLine,
    DistributionFigure,
    DocumentSubject,
    EvaluationDocumentData,
    FeedbackNote,
    IndicatorRow,
    Letterhead,
    ObjectionBlock,
    PeriodSummary,
    Person,
    RenderedDocument,
    ResultBlock,
    ScoreStep,
    SkpDocumentData,
    Verification,
    is_jpt,
    sample_evaluation_document,
    sample_skp_document,
    skp_approach,
)
from app.regions.formats import document_format, document_formats
from app.regions.hookspecs import hookimpl
from app.regions.inputs import (
    BehaviourAssessment,
    Complaint,
    ComponentValue,
    CriteriaConsultation,
    EvaluationInput,
    FeedbackSession,
    FollowUpSignal,
    IndicatorRealisation,
    PlanningInput,
    TrainingParticipation,
    UnitSatisfaction,
)
from app.regions.national import (
    BERAKHLAK,
    DISTRIBUTION_QUOTAS_6_2022,
    DISTRIBUTION_WARN,
    GENERAL_INDICATORS,
    HASIL_KERJA_RATING_BANDS,
    LEGAL_BASIS_6_2022,
    MATRIX_6_2022,
    MATRIX_CELLS_6_2022,
    NATIONAL_TRAINING,
    OBJECTION_WINDOW_DAYS,
    ORGANISATION_PREDIKAT,
    PERILAKU,
    PERMENPANRB_8_2021_CURVE,
    PP30_BANDS,
    PP30_COMPONENTS_60_40,
    PP30_COMPONENTS_70_30,
    PP30_SCHEME,
    PP46_BANDS,
    PP46_COMPONENTS,
    PP46_CURVE,
    PP46_SCHEME,
    PREDIKAT_6_2022,
    SKP,
    NationalSettingsSchema,
    band_labels,
    baseline_rule_set,
    matrix_predikat_labels,
    pp30_rule_set,
    public_report_format,
    standard_report_formats,
)
from app.regions.pdf import render_html, render_pdf
from app.regions.reports import (
    ComplaintLine,
    ComplaintStatistics,
    EmployeeEvaluation,
    IndicatorLine,
    PredikatRow,
    PredikatTable,
    ProgrammeResult,
    PublicReportData,
    ReportData,
    UnitSatisfactionLine,
    evaluations_by_period,
    mask_nip,
    render_evaluation_document,
    render_period_recap_xlsx,
    render_predikat_recap_csv,
    render_predikat_recap_xlsx,
    render_public_report,
    render_score_recap_csv,
    sample_data_for,
    sample_public_report_data,
    sample_report_data,
)
from app.regions.scoring import (
    AnnualResult,
    ComponentScore,
    PeriodResult,
    ScoringInputError,
    annual_result,
    band_for,
    period_result,
    round_score,
)
from app.regions.settings import TenantSettingsSchema, effective_settings
from app.regions.training import FollowUp, TrainingRecommendation, training_recommendations
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
    PendingEvidencePolicy,
    PeriodScheme,
    Predikat,
    QuotaRule,
    Rater,
    ReportAudience,
    ReportFormat,
    RuleSet,
    SmallUnitRounding,
    Target,
    TrainingRule,
    UnitQuota,
)

if TYPE_CHECKING:  # resolved lazily by __getattr__ below: the kit imports pytest
    from app.regions.conformance import RegionConformance, check_plugin

__all__ = [
    # versioning
    "API_VERSION",
    "KinerjaDeprecationWarning",
    # the hook marker
    "hookimpl",
    # rule-set types
    "AchievementCurve",
    "AnnualAggregation",
    "Aspect",
    "Band",
    "Behaviour",
    "Component",
    "ComponentSource",
    "CurveSegment",
    "Direction",
    "DistributionMode",
    "DistributionPolicy",
    "Expectation",
    "Indicator",
    "MatrixCell",
    "MatrixScheme",
    "NumericScheme",
    "PeriodScheme",
    "Predikat",
    "QuotaRule",
    "Rater",
    "ReportAudience",
    "ReportFormat",
    "RuleSet",
    "PendingEvidencePolicy",
    "SmallUnitRounding",
    "Target",
    "TrainingRule",
    "UnitQuota",
    # settings
    "NationalSettingsSchema",
    "TenantSettingsSchema",
    "effective_settings",
    # inputs hooks receive
    "BehaviourAssessment",
    "Complaint",
    "ComponentValue",
    "CriteriaConsultation",
    "EvaluationInput",
    "FeedbackSession",
    "FollowUpSignal",
    "IndicatorRealisation",
    "PlanningInput",
    "TrainingParticipation",
    "UnitSatisfaction",
    # results hooks return, and the pure functions that compute them
    "Achievement",
    "AnnualResult",
    "ComponentScore",
    "DistributionCheck",
    "FollowUp",
    "PeriodResult",
    "QuotaViolation",
    "ScoringInputError",
    "TrainingRecommendation",
    "achievement",
    "annual_result",
    "band_for",
    "round_score",
    "capaian",
    "check_distribution",
    "period_result",
    "training_recommendations",
    # scoring as a tenant would
    "ScoredCase",
    "case_from_json",
    "score_case",
    # the national building blocks
    "BERAKHLAK",
    "DISTRIBUTION_QUOTAS_6_2022",
    "DISTRIBUTION_WARN",
    "GENERAL_INDICATORS",
    "HASIL_KERJA_RATING_BANDS",
    "LEGAL_BASIS_6_2022",
    "MATRIX_6_2022",
    "MATRIX_CELLS_6_2022",
    "NATIONAL_TRAINING",
    "OBJECTION_WINDOW_DAYS",
    "ORGANISATION_PREDIKAT",
    "PERILAKU",
    "PERMENPANRB_8_2021_CURVE",
    "PP30_BANDS",
    "PP30_COMPONENTS_60_40",
    "PP30_COMPONENTS_70_30",
    "PP30_SCHEME",
    "PP46_BANDS",
    "PP46_COMPONENTS",
    "PP46_CURVE",
    "PP46_SCHEME",
    "PREDIKAT_6_2022",
    "SKP",
    "band_labels",
    "baseline_rule_set",
    "matrix_predikat_labels",
    "pp30_rule_set",
    "public_report_format",
    "standard_report_formats",
    # report data and renderers
    "ComplaintLine",
    "ComplaintStatistics",
    "EmployeeEvaluation",
    "IndicatorLine",
    "PredikatRow",
    "PredikatTable",
    "ProgrammeResult",
    "PublicReportData",
    "ReportData",
    "UnitSatisfactionLine",
    "evaluations_by_period",
    "mask_nip",
    "render_evaluation_document",
    "render_period_recap_xlsx",
    "render_predikat_recap_csv",
    "render_predikat_recap_xlsx",
    "render_public_report",
    "render_score_recap_csv",
    "sample_data_for",
    "sample_public_report_data",
    "sample_report_data",
    # official documents (API 1.2): their data, the variant rule, the formats and the renderers
    "Approach",
    "BehaviourBlock",
    "Choice",
    "ComponentLine",
    "DistributionFigure",
    "DocumentSubject",
    "EvaluationDocumentData",
    "FeedbackNote",
    "IndicatorRow",
    "Letterhead",
    "ObjectionBlock",
    "PeriodSummary",
    "Person",
    "RenderedDocument",
    "ResultBlock",
    "ScoreStep",
    "SkpDocumentData",
    "Verification",
    "BERAKHLAK_GUIDES",
    "document_format",
    "document_formats",
    "is_jpt",
    "render_html",
    "render_pdf",
    "sample_evaluation_document",
    "sample_skp_document",
    "skp_approach",
    # the conformance kit (imported on first use: it needs pytest)
    "RegionConformance",
    "check_plugin",
]


def _conformance(name: str) -> Any:
    from app.regions import conformance

    return getattr(conformance, name)


# Names that resolve on first use, so that importing the API never imports pytest.
_LAZY = {
    "RegionConformance": lambda: _conformance("RegionConformance"),
    "check_plugin": lambda: _conformance("check_plugin"),
}

# Deprecated names of this module: name → Deprecation(replacement, since, removed_in, value).
# None yet; an entry here keeps the name working with a KinerjaDeprecationWarning.
_DEPRECATED: dict[str, Deprecation] = {}

__getattr__ = deprecated_getattr(__name__, _DEPRECATED, _LAZY)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
