"""SKP planning: the pegawai writes a plan, the pejabat penilai agrees or returns it.

The public surface of the planning stage, gathered from its modules:

- ``plans``: reading plans, creating one, copying last year's;
- ``editing``: RHK, IKI and the plan's attachments (lampiran);
- ``review``: submit, agree, return, reassign the penilai;
- ``indicator_sets``: the admin's indicators per unit or position;
- ``locking``: locking a year's plans after the region's rules allow it;
- ``guards``: editability, the version check, the lock date;
- ``labels``: the labels of statuses, kinds, aspects and directions.

Every function checks ``app.skp.planning.access`` again (views check first, to
answer 403 early) and raises the domain errors of ``app.errors``: ``Forbidden``
(may not), ``Invalid`` (a rule was broken; shown on ``field``), ``Stale`` (the
plan changed since the form was opened). Every transition and every edit of
an RHK or IKI is audited with before → after; the caller commits.
"""

from __future__ import annotations

from app.skp.planning.editing import (
    IndicatorData,
    ResultData,
    add_indicator,
    add_result,
    delete_indicator,
    delete_result,
    update_attachments,
    update_indicator,
    update_result,
)
from app.skp.planning.guards import check_version, plans_locked
from app.skp.planning.indicator_sets import assign_indicators, assignments
from app.skp.planning.labels import ASPECT_LABELS, DIRECTION_LABELS, KIND_LABELS, STATUS_LABELS
from app.skp.planning.locking import lock_blockers, lock_plans, plan_counts, set_year_dates
from app.skp.planning.plans import (
    copy_from_last_year,
    creatable_years,
    create_plan,
    load_plan,
    plans_of,
    previous_plan,
    supervisor_results,
    team_plans,
)
from app.skp.planning.review import (
    agree,
    reassign_penilai,
    return_plan,
    submission_problems,
    submit,
)
from app.skp.planning.sectors import active_sectors, library_for, sector_of

__all__ = [
    "ASPECT_LABELS", "DIRECTION_LABELS", "KIND_LABELS", "STATUS_LABELS",
    "IndicatorData", "ResultData",
    "active_sectors", "add_indicator", "add_result", "agree", "assign_indicators", "assignments",
    "check_version", "copy_from_last_year", "creatable_years", "create_plan", "delete_indicator",
    "delete_result", "library_for", "load_plan", "lock_blockers", "lock_plans", "plan_counts",
    "plans_locked", "plans_of", "previous_plan", "reassign_penilai", "return_plan", "sector_of",
    "set_year_dates", "submission_problems", "submit", "supervisor_results", "team_plans",
    "update_attachments", "update_indicator", "update_result",
]
