"""Which open evaluations a settings version would change, through a seam.

Settings sit below the appraisal cycle, yet the editor's preview names the
draft evaluations of the periods a new version would govern. Evaluation
provides the count here (``app.skp.evaluation.wiring.connect``); without a
provider there is nothing to show.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from app.periods.models import Period

# fn(from_day, until_day) -> [(period, draft evaluations)] for the periods that
# start on or after ``from_day`` and before ``until_day`` (None: no end).
DraftCounter = Callable[[date, date | None], list[tuple[Period, int]]]

_providers: dict[str, DraftCounter] = {}


def provide_draft_counts(fn: DraftCounter) -> None:
    _providers["drafts"] = fn


def draft_counts(from_day: date, until_day: date | None = None) -> list[tuple[Period, int]]:
    """Draft (open) evaluations per period starting in [from_day, until_day)."""
    provider = _providers.get("drafts")
    return list(provider(from_day, until_day)) if provider is not None else []
