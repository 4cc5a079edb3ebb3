"""Keeping a draft's stored result current: refreshed when one of its inputs changes.

The evaluation page shows a draft's stored outcome (``compute.current_outcome``)
instead of computing it on every view, so every write that changes an input
must refresh it. The stages below evaluation (planning, realisation,
feedback) may not call this one, and their rows are written by many paths
(services, imports, the API, the demo), so the session itself is watched:
after each flush the inputs written are noted, and before the transaction
commits the draft evaluations they feed are refreshed (``compute.refresh``,
one UPDATE each, neither versioned nor audited: the input's own change is).

Watched inputs, and the drafts they feed:

* a realisation (added, changed, removed) → every draft of its plan (the
  period's and the year's, which aggregates the sub-periods);
* an IKI, a result or a behaviour of the plan → every draft of the plan;
* a feedback session → every draft of its plan;
* a 360° peer rating → its evaluation;
* a final evaluation (finalised, or its predikat changed by an objection
  decision) → the drafts of the same plan (the year's result is computed from
  the final periodic ones).

The penilai's own entries are recomputed where they are saved
(``services``); the rules, the figures from the stages above and a unit
head's unit achievement are checked when the page is shown
(``compute.stored_outcome``). Writes that bypass the ORM's unit of work
(Core ``insert``/``update``) are not seen: a draft never computed (empty
``result``) is computed when shown, and "terapkan ulang aturan" refreshes a
whole period.
"""

from __future__ import annotations

import logging
from itertools import groupby
from typing import Any

from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.org.models import Employee, Position
from app.periods.models import Period
from app.regions.errors import PluginRuntimeError
from app.settings.services import rules_for_period
from app.skp.evaluation.compute import refresh
from app.skp.evaluation.inputs import batch_inputs
from app.skp.evaluation.models import Evaluation, EvaluationStatus, PeerRating
from app.skp.feedback.models import FeedbackSession
from app.skp.planning.models import Plan, PlanBehaviour, PlanIndicator, PlanResult
from app.skp.realisation.models import Realisation
from app.tenancy import tenant_scope
from app.tenancy.context import current_tenant_id
from app.tenancy.models import Tenant

log = logging.getLogger(__name__)

_KEY = "kinerja.stale_evaluation_inputs"
_ROUNDS = 5  # refreshing is not itself watched; a few rounds cover inputs written while refreshing


def _pending(session: Session) -> dict[int, dict[str, set[int]]]:
    """Per tenant: the plans, results, IKIs and evaluations whose drafts need refreshing."""
    return session.info.setdefault(_KEY, {})


def _note(session: Session, obj: Any, kind: str, ident: int | None) -> None:
    tenant_id = getattr(obj, "tenant_id", None)
    if ident is None or tenant_id is None:
        return
    _pending(session).setdefault(tenant_id, {}).setdefault(kind, set()).add(ident)


def _watch_flush(session: Session, _flush_context: Any) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Realisation):
            _note(session, obj, "indicator", obj.indicator_id)
        elif isinstance(obj, PlanIndicator):
            _note(session, obj, "result", obj.result_id)
        elif isinstance(obj, PlanResult | PlanBehaviour | FeedbackSession):
            _note(session, obj, "plan", obj.plan_id)
        elif isinstance(obj, PeerRating):
            _note(session, obj, "evaluation", obj.evaluation_id)
        elif isinstance(obj, Evaluation) and obj.status is EvaluationStatus.FINAL:
            _note(session, obj, "plan", obj.plan_id)


def _refresh_pending(session: Session) -> None:
    session.flush()  # the commit's own flush comes after this hook: note what it writes first
    for _round in range(_ROUNDS):
        pending = session.info.pop(_KEY, None)
        if not pending:
            return
        for tenant_id, kinds in pending.items():
            if tenant_id == current_tenant_id():
                refresh_drafts(**kinds)
                continue
            row = session.get(Tenant, tenant_id)
            if row is not None:  # None: written in a transaction rolled back since
                with tenant_scope(row):
                    refresh_drafts(**kinds)


def refresh_drafts(plan: set[int] = frozenset(), result: set[int] = frozenset(),  # type: ignore[assignment]
                   indicator: set[int] = frozenset(), evaluation: set[int] = frozenset()) -> int:  # type: ignore[assignment]
    """Refresh the drafts of the given plans (or of the plans of the results and IKIs)
    and the given evaluations; returns how many were refreshed."""
    plans = set(plan)
    if indicator:
        plans |= set(db.session.scalars(select(PlanResult.plan_id).join(PlanIndicator)
                                         .where(PlanIndicator.id.in_(indicator))))
    if result:
        plans |= set(db.session.scalars(select(PlanResult.plan_id).where(PlanResult.id.in_(result))))
    if not plans and not evaluation:
        return 0
    # Only the parts that name something: an empty IN ORed with a long one plans badly.
    parts = [Evaluation.plan_id.in_(plans)] if plans else []
    if evaluation:
        parts.append(Evaluation.id.in_(evaluation))
    drafts = db.session.scalars(
        select(Evaluation).where(or_(*parts), Evaluation.status == EvaluationStatus.DRAFT)
        .options(*computing()).order_by(Evaluation.id)).unique().all()
    # In id order as ever; the inputs of each run of drafts of one period are loaded
    # together (``inputs.batch_inputs``), not one query per draft and kind.
    for start in range(0, len(drafts), BATCH):
        for _period_id, run in groupby(drafts[start:start + BATCH], key=lambda d: d.period_id):
            run = list(run)
            with batch_inputs(run, rules_for_period(run[0].period)):
                for draft in run:
                    _refresh_one(draft)
    return len(drafts)


BATCH = 500


def _refresh_one(draft: Evaluation) -> None:
    try:
        refresh(draft)
    except PluginRuntimeError:
        # The region plugin fails on this draft: the input's own change still commits, and
        # the draft's stored result is dropped, so that its page computes it and shows the
        # plugin's failure as it always has (``compute.stored_outcome``: nothing stored).
        log.warning("Draft evaluation %s not refreshed: its region plugin failed", draft.id)
        db.session.execute(update(Evaluation).where(Evaluation.id == draft.id).values(
            result={}, updated_at=Evaluation.updated_at).execution_options(synchronize_session=False))
        set_committed_value(draft, "result", {})


def loading() -> tuple:
    """The loader options of the evaluation page: what a computation reads, the
    IKIs' realisations (``computing`` leaves them to ``inputs.batch_inputs``) and
    the plan's behaviours."""
    return (*computing(),
            joinedload(Evaluation.plan).selectinload(Plan.results).selectinload(PlanResult.indicators)
            .selectinload(PlanIndicator.realisations),
            joinedload(Evaluation.plan).selectinload(Plan.behaviours))


def computing() -> tuple:
    """The loader options of drafts computed in a batch (``inputs.batch_inputs``, which
    reads the values of their realisations itself): the periods, the plan's IKIs, the
    employee's position and unit, and the position it reports to (``unit.is_unit_head``
    asks; else one query per batch and superior position)."""
    return (
        joinedload(Evaluation.period),
        joinedload(Evaluation.plan).joinedload(Plan.employee).joinedload(Employee.position)
        .options(joinedload(Position.unit), selectinload(Position.reports_to)),
        joinedload(Evaluation.plan).joinedload(Plan.period).selectinload(Period.children),
        joinedload(Evaluation.plan).selectinload(Plan.results).selectinload(PlanResult.indicators),
    )


_installed = False


def watch() -> None:
    """Attach the session hooks once per process (``wiring.connect``; idempotent)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _watch_flush)
    # Marks of a transaction rolled back are kept: refreshing a draft whose input
    # did not change after all rewrites the same outcome.
    event.listen(Session, "before_commit", _refresh_pending)
    _installed = True

