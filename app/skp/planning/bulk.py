"""Agreeing several plans at once: the penilai ticks submitted plans of the
team and each is agreed through ``review.agree`` (its checks, audit entry,
webhook and notification), in its own transaction. Nothing here commits."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask_babel import gettext as _

from app.auth.models import User
from app.skp.planning import review
from app.skp.planning.models import Plan, PlanStatus
from app.skp.planning.plans import team_plans
from app.web.bulk import Row, refused


def waiting_plans(user: User) -> list[Plan]:
    """The team's plans awaiting the user's agreement."""
    return [p for p in team_plans(user) if p.status is PlanStatus.SUBMITTED]


def agree_rows(user: User, plan_ids: list[int], versions: Mapping[int, int | None],
               link: Callable[[Plan], str] | None = None) -> list[Row]:
    """One row per ticked plan still awaiting the user (others are not the user's to agree).
    ``versions``: each plan's version as the page showed it — a plan changed since
    (withdrawn, edited, resubmitted) is refused as stale, as on its own page."""
    wanted = set(plan_ids)
    rows = []
    for plan in waiting_plans(user):
        if plan.id in wanted:
            wanted.discard(plan.id)
            rows.append(Row(f"{plan.employee.name} · SKP {plan.period.year}",
                            lambda plan=plan: review.agree(user, plan, _shown_version(versions, plan), {}),
                            link(plan) if link else None))
    if wanted:
        rows.append(refused(_("%(n)d SKP lain yang dicentang", n=len(wanted)),
                            _("Tidak (lagi) menunggu persetujuan Anda; muat ulang halaman ini.")))
    return rows


def _shown_version(versions: Mapping[int, int | None], plan: Plan) -> int:
    shown = versions.get(plan.id)
    return shown if shown is not None else -1  # no version sent: never agree unseen
