"""What the tenant's rule set asks of an evaluation: its scheme, its input
components, 360° and the behaviours rated."""

from __future__ import annotations

import dataclasses

from app.regions.manager import RuleSetRuntime
from app.regions.types import ComponentSource, Indicator, MatrixScheme, NumericScheme
from app.skp.evaluation.models import Evaluation

DEFAULT_MAXIMUM = 120.0


def input_components(rt: RuleSetRuntime) -> list[tuple[str, str]]:
    """The components the penilai fills in (``ComponentSource.INPUT``)."""
    return [(c.code, c.name) for c in rt.rule_set.components if c.source is ComponentSource.INPUT]


def uses_360(rt: RuleSetRuntime) -> bool:
    return bool(rt.rule_set.rater_weights)


def is_matrix(rt: RuleSetRuntime) -> bool:
    return isinstance(rt.rule_set.scheme, MatrixScheme)


def maximum_score(rt: RuleSetRuntime) -> float:
    scheme = rt.rule_set.scheme
    return scheme.maximum if scheme is not None else DEFAULT_MAXIMUM


def max_additional_points(rt: RuleSetRuntime) -> float:
    scheme = rt.rule_set.scheme
    return scheme.max_additional_points if isinstance(scheme, NumericScheme) else 0.0


def behaviour_codes(evaluation: Evaluation, rt: RuleSetRuntime) -> list[tuple[str, str]]:
    """(code, name) of the behaviours rated: the plan's own, else the rule set's."""
    own = [(b.behaviour_code, b.name) for b in evaluation.plan.behaviours]
    return own or [(b.code, b.name) for b in rt.rule_set.behaviours]


def with_indicators(rt: RuleSetRuntime, extra: list[Indicator]) -> RuleSetRuntime:
    """A runtime whose rule set also knows the plan's own IKIs (scored and snapshotted with it)."""
    if not extra:
        return rt
    augmented = RuleSetRuntime.__new__(RuleSetRuntime)
    augmented.__dict__.update(rt.__dict__)
    augmented.rule_set = dataclasses.replace(rt.rule_set, indicators=rt.rule_set.indicators + tuple(extra))
    return augmented
