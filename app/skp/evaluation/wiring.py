"""Connects the evaluation stage to the lower stage that asks about it.

``connect()`` is called once from ``create_app``: realisation learns which
sub-periods of a plan are closed by a final evaluation (``final_period_ids``)
without importing this stage, and the transparency page gets the final
predikat figures through ``app.providers``.
"""

from __future__ import annotations

from app import providers
from app.settings.affected import provide_draft_counts
from app.skp.evaluation import figures
from app.skp.evaluation.reapply import drafts_by_period
from app.skp.evaluation.staleness import watch
from app.skp.evaluation.worklist import final_period_ids
from app.skp.realisation.services import provide_closed_periods


def connect() -> None:
    watch()  # a draft's stored result is refreshed when its inputs change
    provide_closed_periods(final_period_ids)
    provide_draft_counts(drafts_by_period)  # the settings editor's preview names the drafts a version governs
    providers.provide(predikat_rows=figures.predikat_rows,
                      evaluated_period_dates=figures.evaluated_period_dates,
                      stored_predikat_labels=figures.stored_predikat_labels)
