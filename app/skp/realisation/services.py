"""Realisation (realisasi): what the pegawai achieved on each IKI in each
sub-period of the plan's year.

- Only the pegawai records it, only once the plan is agreed
  (``can_record_realisation``), and never for a sub-period whose
  evaluation — or the year's — is final: from then on it is read-only.
- The value entered is the realisation *within the sub-period* (not a
  running total): the evaluation (``app.skp.evaluation``) scores a
  sub-period with exactly that value and the year with the sum (IKIs that
  accumulate) or the mean (the others) of the sub-periods. The achievement
  shown is therefore measured against the same target the evaluation uses
  (``period_target``: for an accumulating IKI the annual target divided by
  the number of sub-periods) with the region's rule set
  (``tenant_rules().achievement(...)``).
- Which periods are final is asked through a seam the evaluation stage
  fills (``provide_closed_periods``): realisation does not import evaluation.
- A save from a stale form (someone saved after it was opened) is refused
  with ``Stale``; the view keeps the user's input.
- Every change goes to the audit trail with before → after.

Nothing here commits; the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import audit
from app.auth.models import User
from app.errors import Forbidden, Invalid, Stale
from app.extensions import db
from app.periods.models import Period
from app.regions.achievement import Achievement, capaian
from app.regions.manager import RuleSetRuntime
from app.regions.scoring import ScoringInputError
from app.regions.types import Aspect, Direction, Indicator, Target
from app.skp.planning.access import is_owner
from app.skp.planning.indicators import sub_period_target
from app.skp.planning.models import Plan, PlanIndicator, PlanResult
from app.skp.realisation.access import can_record_realisation
from app.skp.realisation.models import Evidence, EvidenceReview, Realisation

# --- the plan's sub-periods and which of them are closed ------------------------------

def sub_periods(plan: Plan) -> list[Period]:
    """The sub-periods of the plan's year in calendar order; the year itself
    when the region assesses only once a year."""
    children = db.session.scalars(
        select(Period).where(Period.parent_id == plan.period_id).order_by(Period.starts_on, Period.sequence)
    ).all()
    return list(children) or [plan.period]


# Who knows which periods are closed: the evaluation stage, above this one,
# registers it (``provide_closed_periods``); with none registered nothing is closed.
_closed_periods: Callable[[Plan], set[int]] | None = None


def provide_closed_periods(fn: Callable[[Plan], set[int]] | None) -> None:
    """Register ``fn(plan) -> ids of the plan's periods whose evaluation is
    final`` (the evaluation stage does, at import). None unregisters."""
    global _closed_periods
    _closed_periods = fn


def final_period_ids(plan: Plan) -> set[int]:
    """Periods of this plan whose evaluation is final (as the evaluation stage says)."""
    return set(_closed_periods(plan)) if _closed_periods is not None else set()


def is_closed(plan: Plan, period: Period, finals: set[int] | None = None) -> bool:
    """Read-only: the sub-period's evaluation (or the whole year's) is final."""
    finals = final_period_ids(plan) if finals is None else finals
    return period.id in finals or plan.period_id in finals


def can_edit(user: User, plan: Plan, period: Period, finals: set[int] | None = None) -> bool:
    return can_record_realisation(user, plan) and not is_closed(plan, period, finals)


def require_edit(user: User, plan: Plan, period: Period) -> None:
    """Raise ``Forbidden`` with the reason when the user may not change this cell."""
    if not is_owner(user, plan):
        raise Forbidden(_("Hanya pemilik SKP yang dapat mengisi realisasi dan bukti dukung."))
    if not can_record_realisation(user, plan):
        raise Forbidden(_("Realisasi hanya dapat diisi setelah SKP disetujui pejabat penilai."))
    if is_closed(plan, period):
        raise Forbidden(_("Penilaian periode %(period)s sudah final; realisasinya tidak dapat diubah lagi.",
                           period=period.label))


# --- achievement --------------------------------------------------------------------

def as_indicator(indicator: PlanIndicator) -> Indicator:
    """The rule-set ``Indicator`` of a plan's IKI, built from its own fields
    (its library code when it has one, else ``IKI-<id>``)."""
    try:
        aspect = Aspect(indicator.aspect)
    except ValueError:
        aspect = Aspect.KUANTITAS
    try:
        direction = Direction(indicator.direction)
    except ValueError:
        direction = Direction.HIGHER_IS_BETTER
    return Indicator(code=indicator.indicator_code or f"IKI-{indicator.id}", name=indicator.name,
                     unit=indicator.unit, aspect=aspect, direction=direction, target=target_of(indicator))


def target_of(indicator: PlanIndicator) -> Target:
    lower, upper = sorted((indicator.target_lower, indicator.target_upper))
    return Target(lower, upper)


def period_target(indicator: PlanIndicator, period: Period, sub_period_count: int) -> Target:
    """The target a sub-period's realisation is measured against — the same
    one the evaluation uses: an IKI that accumulates (kuantitas or biaya, not
    in %) shares its annual target out over the year's sub-periods; every
    other IKI, and the year itself, keeps the annual target."""
    target = target_of(indicator)
    if period.parent_id is None:
        return target
    return sub_period_target(target, indicator.aspect, indicator.unit, sub_period_count)


def achievement_of(runtime: RuleSetRuntime, indicator: PlanIndicator, value: float | None,
                   target: Target | None = None) -> Achievement | None:
    """Capaian and nilai of ``value`` against ``target`` (default: the plan's
    annual target), or None when there is no value or the target cannot be
    measured (a target of 0)."""
    if value is None:
        return None
    code = indicator.indicator_code
    library = runtime.rule_set.indicator(code) if code else None
    # The library's definition (direction, aspect) when the IKI came from it;
    # the plan's own target either way.
    subject: Indicator | str = code if library is not None else as_indicator(indicator)
    target = target or target_of(indicator)
    try:
        # A target of 0 has no capaian: find out here rather than as a plugin failure.
        capaian((library or as_indicator(indicator)).direction, target, value)
        return runtime.achievement(subject, target, value)
    except (ScoringInputError, ValueError):
        return None


# --- the grid: every IKI × every sub-period, in a constant number of queries -----------

@dataclass
class Cell:
    indicator: PlanIndicator
    period: Period
    realisation: Realisation | None
    evidence_count: int = 0
    pending_count: int = 0
    achievement: Achievement | None = None
    closed: bool = False


@dataclass
class Grid:
    plan: Plan
    results: Sequence[PlanResult]
    periods: list[Period]
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    finals: set[int] = field(default_factory=set)

    def cell(self, indicator_id: int, period_id: int) -> Cell:
        return self.cells[(indicator_id, period_id)]


def grid(plan: Plan, runtime: RuleSetRuntime) -> Grid:
    results = db.session.scalars(
        select(PlanResult).where(PlanResult.plan_id == plan.id)
        .options(selectinload(PlanResult.indicators)).order_by(PlanResult.position, PlanResult.id)
    ).all()
    periods = sub_periods(plan)
    finals = final_period_ids(plan)
    indicators = [i for r in results for i in r.indicators]
    realisations: dict[tuple[int, int], Realisation] = {}
    counts: dict[int, tuple[int, int]] = {}
    if indicators:
        ids = [i.id for i in indicators]
        for r in db.session.scalars(select(Realisation).where(Realisation.indicator_id.in_(ids))):
            realisations[(r.indicator_id, r.period_id)] = r
        rows = db.session.execute(
            select(Evidence.realisation_id, func.count(Evidence.id),
                   func.sum(case((Evidence.review == EvidenceReview.PENDING, 1), else_=0)))
            .join(Realisation, Evidence.realisation_id == Realisation.id)
            .where(Realisation.indicator_id.in_(ids))
            .group_by(Evidence.realisation_id)
        ).all()
        counts = {row[0]: (row[1], int(row[2] or 0)) for row in rows}
    out = Grid(plan, results, periods, finals=finals)
    for indicator in indicators:
        for period in periods:
            r = realisations.get((indicator.id, period.id))
            total, pending = counts.get(r.id, (0, 0)) if r is not None else (0, 0)
            out.cells[(indicator.id, period.id)] = Cell(
                indicator, period, r, total, pending,
                achievement_of(runtime, indicator, r.value if r is not None else None,
                               period_target(indicator, period, len(periods))),
                is_closed(plan, period, finals))
    return out


# --- one cell ----------------------------------------------------------------------

def indicator_of_plan(plan: Plan, indicator_id: int) -> PlanIndicator | None:
    indicator = db.session.get(PlanIndicator, indicator_id)
    if indicator is None or indicator.result.plan_id != plan.id:
        return None
    return indicator


def period_of_plan(plan: Plan, period_id: int) -> Period | None:
    period = db.session.get(Period, period_id)
    if period is None or period.id not in {p.id for p in sub_periods(plan)}:
        return None
    return period


def find(indicator: PlanIndicator, period: Period) -> Realisation | None:
    return db.session.scalar(select(Realisation).where(Realisation.indicator_id == indicator.id,
                                                       Realisation.period_id == period.id))


def ensure(user: User, plan: Plan, indicator: PlanIndicator, period: Period) -> Realisation:
    """The cell's realisation, created empty (no value yet) when evidence
    comes before the number."""
    require_edit(user, plan, period)
    realisation = find(indicator, period)
    if realisation is None:
        realisation = Realisation(indicator=indicator, period=period, value=None)
        db.session.add(realisation)
        audit.record("realisation.create", realisation, None, employee_id=plan.employee_id)
    return realisation


def _stale() -> str:
    return _("Realisasi ini sudah diubah orang lain sejak formulir dibuka. "
             "Isian Anda masih di bawah: periksa, lalu simpan lagi untuk menimpa.")


@dataclass(frozen=True)
class RealisationData:
    value: float
    note: str | None
    version: int | None  # the version the form was opened at; None: none existed


def save(user: User, plan: Plan, indicator: PlanIndicator, period: Period, data: RealisationData) -> Realisation:
    """Record or change the value and note of one IKI in one sub-period."""
    require_edit(user, plan, period)
    if data.value < 0:
        raise Invalid(_("Realisasi tidak boleh negatif."), "value")
    realisation = find(indicator, period)
    if realisation is None:
        if data.version is not None:
            raise Stale(_stale())  # it was there when the form opened, and is gone now
        realisation = Realisation(indicator=indicator, period=period, value=data.value,
                                  note=(data.note or "").strip() or None)
        db.session.add(realisation)
        try:
            db.session.flush()
        except IntegrityError:  # someone else created it meanwhile; the caller rolls back
            raise Stale(_stale()) from None
        audit.record("realisation.create", realisation, None, employee_id=plan.employee_id)
        return realisation
    if data.version is None or realisation.version != data.version:
        raise Stale(_stale())
    before = audit.snapshot(realisation)
    realisation.value = data.value
    realisation.note = (data.note or "").strip() or None
    audit.record("realisation.update", realisation, before, employee_id=plan.employee_id)
    return realisation


def link_values(realisation_id: int) -> dict[str, int] | None:
    """The URL values of a realisation's page (for notifications about it)."""
    row = db.session.execute(
        select(PlanResult.plan_id, Realisation.indicator_id, Realisation.period_id)
        .join(PlanIndicator, Realisation.indicator_id == PlanIndicator.id)
        .join(PlanResult, PlanIndicator.result_id == PlanResult.id)
        .where(Realisation.id == realisation_id)).first()
    return {"plan_id": row.plan_id, "indicator_id": row.indicator_id, "period_id": row.period_id} if row else None
