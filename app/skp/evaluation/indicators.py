"""The plan's IKIs as an evaluation scores them: target and realisation for the period.

Targets in the SKP are annual. For a sub-period an IKI's realisation is the
one recorded for that sub-period; IKIs that *accumulate* (``accumulates``:
kuantitas or biaya with a unit other than "%") are measured against the
annual target divided by the number of sub-periods, every other IKI against
the annual target as it is. For the YEAR, accumulating IKIs use the **sum**
of the recorded sub-period realisations against the annual target; the
others the **mean** of the recorded ones. IKIs from the region's library keep
their library code (plugins recognise them); the pegawai's own IKIs are
scored as ``IKI-<id>`` with the direction and unit written in the plan, added
to the rule set the evaluation is computed (and snapshotted) with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from statistics import mean
from types import MappingProxyType

from flask_babel import gettext as _

from app.periods.models import Period
from app.regions.manager import RuleSetRuntime
from app.regions.types import Aspect, Direction, Indicator, Target
from app.skp.evaluation.models import Evaluation
from app.skp.evaluation.outcome import IndicatorRow
from app.skp.planning.indicators import accumulates
from app.skp.planning.models import PlanIndicator, PlanResult


@dataclass(frozen=True)
class _Scope:
    """The evaluated period within the plan's year."""

    period: Period
    year: Period
    subs: tuple[Period, ...]

    @property
    def is_year(self) -> bool:
        return self.period.id == self.year.id


@dataclass(frozen=True)
class RowTexts:
    """The texts a row explains itself with, translated into the current language
    once for many rows: each ``gettext`` looks the request's locale and translations
    up again, several times per IKI. The templates are filled in as ``gettext``
    fills them (``template % values``)."""

    period: str
    split_target: str
    year_sum: str
    year_mean: str
    none_recorded: str
    no_realisation: str
    zero_target: str
    # "realisasi <period>" by period id, filled at the first row of the period.
    in_period: dict[int, str] = field(default_factory=dict, compare=False)

    @classmethod
    def current(cls) -> RowTexts:
        """The texts in the current language (``inputs.build_input`` keeps one per batch)."""
        return cls(
            period=_("realisasi %(period)s"),
            split_target=_("target periode = target tahunan %(t)s / %(n)d periode"),
            year_sum=_("jumlah realisasi periodik: %(parts)s"),
            year_mean=_("rata-rata realisasi periodik: (%(parts)s) / %(n)d"),
            none_recorded=_("tidak ada realisasi (dicatat penilai, dihitung 0)"),
            no_realisation=_("belum ada realisasi"),
            zero_target=_("target 0 tidak dapat dihitung capaiannya"),
        )


def indicator_rows(evaluation: Evaluation, rt: RuleSetRuntime, no_realisation: frozenset[int] = frozenset(),
                   texts: RowTexts | None = None, realised: Mapping[int, Mapping[int, float]] | None = None,
                   ) -> tuple[list[IndicatorRow], list[Indicator]]:
    """Every IKI of the plan with its target and realisation for the period,
    and the plan's own IKIs as rule-set indicators. An IKI without a
    realisation that the penilai marked "tidak ada realisasi" (``no_realisation``,
    plan indicator ids) counts as a realisation of 0. ``texts``: the rows' texts
    in the current language (translated here when not given); ``realised``: the
    values recorded on the plan's IKIs by IKI id and period id, when a batch read
    them (else each IKI's ``realisations``)."""
    plan = evaluation.plan
    scope = _Scope(evaluation.period, plan.period, tuple(plan.period.children))
    texts = texts or RowTexts.current()
    rows: list[IndicatorRow] = []
    extra: list[Indicator] = []
    for result in plan.results:
        for ind in result.indicators:
            library = rt.rule_set.indicator(ind.indicator_code) if ind.indicator_code else None
            if library is None:
                extra.append(Indicator(f"IKI-{ind.id}", ind.name, ind.unit, Aspect(ind.aspect),
                                       Direction(ind.direction)))
            values = (realised.get(ind.id, _NONE) if realised is not None else
                      {r.period_id: r.value for r in ind.realisations if r.value is not None})
            rows.append(_row(result, ind, values, library, scope, texts, ind.id in no_realisation))
    return rows, extra


_NONE: Mapping[int, float] = MappingProxyType({})


def _row(result: PlanResult, ind: PlanIndicator, values: Mapping[int, float], library: Indicator | None,
         scope: _Scope, texts: RowTexts, none_recorded: bool = False) -> IndicatorRow:
    """``values``: the IKI's recorded realisations by period id."""
    annual_target = str(Target(ind.target_lower, ind.target_upper))
    if scope.is_year:
        realisation, how = _year_realisation(ind, values, scope, texts)
        lower, upper = ind.target_lower, ind.target_upper
    else:
        realisation, how, (lower, upper) = _period_realisation(ind, values, scope, annual_target, texts)
    zero = realisation is None and none_recorded
    if zero:
        realisation, how = 0.0, texts.none_recorded
    return IndicatorRow(
        plan_indicator_id=ind.id, code=library.code if library is not None else f"IKI-{ind.id}",
        library=library is not None, result=result.description, result_kind=result.kind.value, name=ind.name,
        aspect=ind.aspect, direction=library.direction.value if library is not None else ind.direction,
        unit=ind.unit, annual_target=annual_target, realisation=realisation,
        target_lower=round(lower, 4), target_upper=round(upper, 4), how=how,
        missing=_missing(realisation, lower, upper, texts), no_realisation=zero)


def _year_realisation(ind: PlanIndicator, values: Mapping[int, float], scope: _Scope,
                      texts: RowTexts) -> tuple[float | None, str]:
    """The year's realisation: sum (accumulating) or mean of the recorded ones."""
    recorded = [values[p.id] for p in scope.subs if p.id in values]
    if scope.year.id in values:
        recorded.append(values[scope.year.id])
    if not recorded:
        return None, ""
    parts = " + ".join(f"{v:g}" for v in recorded)
    if accumulates(ind.aspect, ind.unit):
        return round(sum(recorded), 4), texts.year_sum % {"parts": parts}
    return round(mean(recorded), 4), texts.year_mean % {"parts": parts, "n": len(recorded)}


def _period_realisation(ind: PlanIndicator, values: Mapping[int, float], scope: _Scope, annual_target: str,
                        texts: RowTexts) -> tuple[float | None, str, tuple[float, float]]:
    """A sub-period's realisation and target (an accumulating IKI's target is split)."""
    realisation, how = None, ""
    if scope.period.id in values:
        realisation = values[scope.period.id]
        how = texts.in_period.get(scope.period.id)
        if how is None:
            how = texts.in_period[scope.period.id] = texts.period % {"period": scope.period.label}
    if accumulates(ind.aspect, ind.unit) and scope.subs:
        n = len(scope.subs)
        how += "; " + texts.split_target % {"t": annual_target, "n": n}
        return realisation, how, (ind.target_lower / n, ind.target_upper / n)
    return realisation, how, (ind.target_lower, ind.target_upper)


def _missing(realisation: float | None, lower: float, upper: float, texts: RowTexts) -> str | None:
    if realisation is None:
        return texts.no_realisation
    if lower <= 0 or upper <= 0:
        return texts.zero_target
    return None
