"""A team's evaluations of one period, started or finalised together.

The penilai ticks team members on the bulk page; each tick is one call of
the ordinary service — ``get_or_start`` or ``finalise`` with every blocker it
checks (readiness, the region's blockers, the distribution curve) — in its
own transaction (``app.web.bulk.run_each``), so the result is a per-row list:
done, or refused with the blocker's message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from app.auth.models import User
from app.errors import Invalid
from app.periods.models import Period
from app.skp.evaluation import services as service
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.evaluation.worklist import due_for
from app.skp.planning.models import Plan
from app.web.bulk import Row, refused

START = "mulai"
FINALISE = "finalkan"


@dataclass(frozen=True)
class TeamRow:
    """One team member's plan and its evaluation of the chosen period (None: not started)."""

    plan: Plan
    evaluation: Evaluation | None


def periods_of_year(user: User, year: int) -> list[Period]:
    """The periods the user's team is evaluated in for ``year``: sub-periods, then the year."""
    seen: dict[int, Period] = {}
    for row in due_for(user, year):
        for period, _evaluation in row.periods:
            seen.setdefault(period.id, period)
    return sorted(seen.values(), key=lambda p: (p.parent_id is None, p.starts_on, p.id))


def team_for_period(user: User, period: Period) -> list[TeamRow]:
    """The user's team with its evaluation of ``period`` (only plans of that period's year)."""
    rows = []
    for row in due_for(user, period.year):
        for candidate, evaluation in row.periods:
            if candidate.id == period.id:
                rows.append(TeamRow(row.plan, evaluation))
    return rows


def _start(user: User, plan: Plan, period: Period, existing: Evaluation | None) -> str:
    service.get_or_start(user, plan, period)
    return _("Sudah dimulai sebelumnya.") if existing is not None else _("Penilaian dimulai.")


def _finalise(user: User, evaluation: Evaluation | None, shown_version: int | None) -> str:
    if evaluation is None:
        raise Invalid(_("Penilaian belum dimulai."))
    if evaluation.status is EvaluationStatus.FINAL:
        raise Invalid(_("Penilaian ini sudah final."))
    # The version the page showed: a draft changed since is refused as stale, never finalised unseen.
    warnings = service.finalise(user, evaluation, shown_version if shown_version is not None else -1)
    return " ".join([_("Difinalkan."), *warnings])


def rows_for(user: User, period: Period, action: str, plan_ids: list[int],
             link: Callable[[TeamRow], str] | None = None,
             versions: Mapping[int, int | None] | None = None) -> list[Row]:
    """One row per ticked plan of the user's team for ``period``; ``action`` is START or FINALISE.
    ``versions``: plan id → the evaluation's version as the page showed it."""
    versions = versions or {}
    if action not in (START, FINALISE):
        raise Invalid(_("Pilih: mulai menilai atau finalkan."))
    wanted = set(plan_ids)
    rows = []
    for team_row in team_for_period(user, period):
        if team_row.plan.id not in wanted:
            continue
        wanted.discard(team_row.plan.id)
        plan, evaluation = team_row.plan, team_row.evaluation
        act = ((lambda plan=plan, evaluation=evaluation: _start(user, plan, period, evaluation)) if action == START
               else (lambda evaluation=evaluation, plan=plan: _finalise(user, evaluation, versions.get(plan.id))))
        rows.append(Row(f"{plan.employee.name} · {period.label}", act, link(team_row) if link else None))
    if wanted:
        rows.append(refused(_("%(n)d pegawai lain yang dicentang", n=len(wanted)),
                            _("Bukan pegawai yang Anda nilai pada periode ini.")))
    return rows
