"""The core's default hook implementations, registered as an ordinary plugin
(``kinerja.defaults``) and marked ``trylast`` so a region's own answer wins.

They apply the rule set's declarative rules with the pure functions of
``app.regions.achievement``, ``scoring``, ``distribution`` and ``training``.
"""

from __future__ import annotations

from app.regions import achievement, distribution, scoring, training
from app.regions.hookspecs import hookimpl

PLUGIN_NAME = "kinerja.defaults"


@hookimpl(trylast=True)
def kinerja_plan_lock_blockers(rule_set, planning, settings):  # noqa: ARG001
    return []


@hookimpl(trylast=True)
def kinerja_achievement(rule_set, indicator, target, realisation, settings):  # noqa: ARG001
    return achievement.achievement(rule_set, indicator, target, realisation)


@hookimpl(trylast=True)
def kinerja_evaluation_blockers(rule_set, evaluation, settings):  # noqa: ARG001
    if not evaluation.indicator_results:
        return ["Belum ada realisasi indikator kinerja."]
    return []


@hookimpl(trylast=True)
def kinerja_period_result(rule_set, evaluation, settings):  # noqa: ARG001
    return scoring.period_result(rule_set, evaluation)


@hookimpl(trylast=True)
def kinerja_annual_result(rule_set, periodic, has_innovation, settings):  # noqa: ARG001
    return scoring.annual_result(rule_set, periodic, has_innovation)


@hookimpl(trylast=True)
def kinerja_distribution_check(rule_set, organisation_predikat, employee_predikat, settings):  # noqa: ARG001
    return distribution.check_distribution(rule_set, organisation_predikat, employee_predikat)


@hookimpl(trylast=True)
def kinerja_training_recommendations(rule_set, result, evaluation, settings):  # noqa: ARG001
    return list(training.training_recommendations(rule_set, result, evaluation))


@hookimpl(trylast=True)
def kinerja_follow_ups(rule_set, signal, settings):  # noqa: ARG001
    return []
