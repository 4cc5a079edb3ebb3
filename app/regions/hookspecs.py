"""The region plugin API: every hook a region plugin may implement.

This module is the reference. Hooks are prefixed ``kinerja_`` and listed in
the order the core calls them over a performance year:

1. start-up ............ ``kinerja_rule_sets``
2. perencanaan ......... ``kinerja_plan_lock_blockers``
3. penilaian ........... ``kinerja_achievement``, ``kinerja_evaluation_blockers``,
                         ``kinerja_period_result``, ``kinerja_annual_result``,
                         ``kinerja_distribution_check``
4. tindak lanjut ....... ``kinerja_training_recommendations``, ``kinerja_follow_ups``

Most of a region is *data*: the ``RuleSet`` returned by ``kinerja_rule_sets``
(indicators, behaviours, weights, bands or the predikat matrix, the curve,
policies, report formats, the settings schema; see ``app.regions.types``).
The other hooks let a region change *behaviour*. The core registers its own
default implementations as an ordinary plugin (``kinerja.defaults``, all
``trylast``), so a region implements only the hooks it needs.

Dispatch: after start-up every hook is called through a per-rule-set caller.
A tenant's calls reach only the plugin that registered the tenant's rule set
(and the core defaults) — never other regions' plugins. Every call receives
the tenant's *effective* ``rule_set`` (its settings applied, see
``app.regions.settings.apply_settings``); hooks that need region-specific
settings also receive ``settings``, the validated dict of every setting in
force (every hook except ``kinerja_rule_sets`` receives it; scoring hooks
since API 1.0 — an implementation may leave out arguments it does not use).
A plugin providing several rule sets tells them apart by ``rule_set.code``.

Return ``None`` (or nothing) from a ``firstresult`` hook to let the next
implementation — in the end the core default — answer. An exception raised
in a hook fails only the current tenant's request: the core wraps it in
``PluginRuntimeError`` naming the plugin, logs it, and shows an error page.

Plugins import the marker from the public API module, never from here::

    from app.regions.api import hookimpl
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from app.regions.achievement import Achievement
    from app.regions.distribution import DistributionCheck
    from app.regions.inputs import EvaluationInput, FollowUpSignal, PlanningInput
    from app.regions.scoring import AnnualResult, PeriodResult
    from app.regions.training import FollowUp, TrainingRecommendation
    from app.regions.types import Indicator, RuleSet, Target

PROJECT = "kinerja"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

__all__ = ["PROJECT", "hookimpl", "hookspec"]


# --- 1. Start-up: registration ---------------------------------------------------


@hookspec
def kinerja_rule_sets() -> list[RuleSet]:
    """Register the rule sets this plugin provides.

    When: once, while the application starts (and in ``flask regions …``).
    Arguments: none.
    Returns: a list of ``RuleSet`` objects. All plugins' answers are collected.
    Each ``code`` must be unique across installed plugins; every rule set is
    validated (weights sum to 100, unique codes, bands cover their range
    without gaps or overlaps, referenced indicators exist, settings defaults
    pass their own schema, tuples not lists, …). A fault is one line naming
    the plugin: strict start-up refuses to start; degraded start-up leaves
    only the broken rule set unavailable (``REGIONS_STRICT``).

    Example::

        from app.regions.api import baseline_rule_set

        @hookimpl
        def kinerja_rule_sets():
            return [baseline_rule_set(code="contoh", name="Kota Contoh", version="1.0.0")]
    """


# --- 2. Perencanaan: before the plans of a period lock -----------------------------


@hookspec
def kinerja_plan_lock_blockers(
    rule_set: RuleSet, planning: PlanningInput, settings: dict[str, Any]
) -> list[str]:
    """Say why a period's plans (SKP) may not lock yet.

    When: an admin asks to lock the plans of a period.
    Arguments: ``rule_set`` — the tenant's effective rule set; ``planning`` —
    the period, lock date, sectors and criteria consultation (``PlanningInput``);
    ``settings`` — the tenant's settings in force.
    Returns: a list of reasons in Bahasa Indonesia (empty: no objection).
    Answers of the tenant's plugin and the core are concatenated.

    Example::

        @hookimpl
        def kinerja_plan_lock_blockers(rule_set, planning, settings):
            if planning.consultation is None:
                return ["Indikator belum dikonsultasikan kepada pegawai."]
            return []
    """


# --- 3. Penilaian: scoring a period and the year ------------------------------------


@hookspec(firstresult=True)
def kinerja_achievement(
    rule_set: RuleSet, indicator: Indicator, target: Target, realisation: float, settings: dict[str, Any]
) -> Achievement | None:
    """Turn one indicator's realisation into capaian and nilai.

    When: for every IKI realisation while a period is scored.
    Arguments: ``indicator`` from the rule set's library; ``target`` — the
    agreed target (a point or a range); ``realisation`` — the achieved value;
    ``settings`` — the tenant's settings in force (API 1.0).
    Returns: an ``Achievement`` (see ``app.regions.api.achievement``),
    or ``None`` to leave it to the core (PermenPANRB 8/2021). First result wins.

    Example::

        from app.regions.api import achievement

        @hookimpl
        def kinerja_achievement(rule_set, indicator, target, realisation, settings):
            if indicator.code == "VAKSIN-01" and realisation >= 95:
                return achievement(rule_set, indicator, target, target.upper)  # capped
            return None
    """


@hookspec
def kinerja_evaluation_blockers(
    rule_set: RuleSet, evaluation: EvaluationInput, settings: dict[str, Any]
) -> list[str]:
    """Say why a period's evaluation may not be finalised yet.

    When: before the penilai finalises an employee's period evaluation.
    Arguments: ``evaluation`` — everything the evaluation is computed from
    (``EvaluationInput``: realisations, behaviours, feedback sessions, …).
    Returns: reasons in Bahasa Indonesia (empty: may be finalised); answers
    are concatenated.

    Example::

        @hookimpl
        def kinerja_evaluation_blockers(rule_set, evaluation, settings):
            if not any(s.face_to_face for s in evaluation.feedback_sessions):
                return ["Belum ada sesi umpan balik tatap muka."]
            return []
    """


@hookspec(firstresult=True)
def kinerja_period_result(
    rule_set: RuleSet, evaluation: EvaluationInput, settings: dict[str, Any]
) -> PeriodResult | None:
    """Score one employee's period: a predikat, and a score if the scheme has one.

    When: the penilai previews or finalises a period evaluation.
    Arguments: ``evaluation`` — an ``EvaluationInput``; ``settings`` — the
    tenant's settings in force (API 1.0).
    Returns: a ``PeriodResult`` or ``None`` for the core
    (``app.regions.api.period_result``: matrix or weighted components and
    bands). First result wins. A finished evaluation stores the snapshot of
    the effective ``rule_set``, not ``settings``: to make bands or the curve a
    tenant setting, build them into the rule set you score with (``replace``)
    so the result says how it was reached.

    Example::

        from dataclasses import replace
        from app.regions.api import period_result

        @hookimpl
        def kinerja_period_result(rule_set, evaluation, settings):
            # Contoh: tugas tambahan tidak dihitung di daerah ini.
            return period_result(rule_set, replace(evaluation, additional_points=0))
    """


@hookspec(firstresult=True)
def kinerja_annual_result(
    rule_set: RuleSet, periodic: Sequence[PeriodResult], has_innovation: bool, settings: dict[str, Any]
) -> AnnualResult | None:
    """Derive the annual result from the periodic ones.

    When: the annual evaluation is prepared.
    Arguments: ``periodic`` — the year's ``PeriodResult`` objects in order;
    ``has_innovation`` — whether the employee's innovation was recognised
    this year (PP 30/2019's condition for Sangat Baik); ``settings`` — the
    tenant's settings in force (API 1.0).
    Returns: an ``AnnualResult`` or ``None`` for the core
    (``rule_set.annual_aggregation``: mean, last or lowest). First result wins.

    Example::

        from dataclasses import replace
        from app.regions.api import AnnualAggregation, annual_result

        @hookimpl
        def kinerja_annual_result(rule_set, periodic, has_innovation, settings):
            last = replace(rule_set, annual_aggregation=AnnualAggregation.LAST)
            return annual_result(last, periodic, has_innovation)
    """


@hookspec(firstresult=True)
def kinerja_distribution_check(
    rule_set: RuleSet, organisation_predikat: str, employee_predikat: Sequence[str], settings: dict[str, Any]
) -> DistributionCheck | None:
    """Check a unit's spread of predikat against the distribution curve.

    When: before a unit's results are finalised.
    Arguments: ``organisation_predikat`` — the unit's own predikat (e.g.
    ``"baik"``); ``employee_predikat`` — its employees' predikat codes (for a
    numeric scheme, band codes); ``settings`` — the tenant's settings (API 1.0).
    Returns: a ``DistributionCheck`` (``mode`` off/warn/block, violations) or
    ``None`` for the core (``app.regions.api.check_distribution``).
    First result wins.

    Example::

        from app.regions.api import check_distribution

        @hookimpl
        def kinerja_distribution_check(rule_set, organisation_predikat, employee_predikat, settings):
            if len(employee_predikat) < 3:  # contoh: unit sangat kecil dikecualikan
                return check_distribution(rule_set, "-", employee_predikat)
            return None
    """


# --- 4. Tindak lanjut: development and follow-up ------------------------------------


@hookspec
def kinerja_training_recommendations(
    rule_set: RuleSet, result: PeriodResult, evaluation: EvaluationInput, settings: dict[str, Any]
) -> list[TrainingRecommendation]:
    """Recommend training from a period's result.

    When: after a period result is computed (shown to penilai and pegawai).
    Arguments: ``result`` — the ``PeriodResult``; ``evaluation`` — its inputs.
    Returns: a list of ``TrainingRecommendation``. The core applies the rule
    set's ``training`` rules; a region's own answers are added to them.

    Example::

        from app.regions.api import TrainingRecommendation

        @hookimpl
        def kinerja_training_recommendations(rule_set, result, evaluation, settings):
            if result.predikat_code == "butuh_perbaikan":
                return [TrainingRecommendation("coaching", "Pembinaan oleh atasan",
                                               ("predikat Butuh Perbaikan",), rule_set.code)]
            return []
    """


@hookspec
def kinerja_follow_ups(
    rule_set: RuleSet, signal: FollowUpSignal, settings: dict[str, Any]
) -> list[FollowUp]:
    """Decide the follow-up an event calls for (complaint, survey, result).

    When: the complaints or survey domain reports about an employee, or an
    evaluation is finalised.
    Arguments: ``signal`` — a ``FollowUpSignal`` (complaints, the unit's
    satisfaction index, the predikat).
    Returns: a list of ``FollowUp``; answers are concatenated.

    Example::

        from app.regions.api import FollowUp

        @hookimpl
        def kinerja_follow_ups(rule_set, signal, settings):
            if any(c.substantiated for c in signal.complaints):
                return [FollowUp("evaluasi_ulang", "Evaluasi kinerja lanjutan",
                                 "pengaduan masyarakat terbukti", 30, rule_set.code)]
            return []
    """
