"""Figures the evaluation reads from stages above it, through a registry.

Training sits above evaluation, yet an evaluation weighs the training an
employee completed in the year. The training stage provides the figure here
(``app.skp.training.subscriptions.connect``); without a provider it is none.
"""

from __future__ import annotations

from collections.abc import Callable

from app.regions.inputs import TrainingParticipation

TrainingProvider = Callable[[int, int], TrainingParticipation]

_providers: dict[str, TrainingProvider] = {}


def provide_training_participation(fn: TrainingProvider) -> None:
    """Register ``fn(employee_id, year) -> TrainingParticipation``."""
    _providers["training"] = fn


def training_participation(employee_id: int, year: int) -> TrainingParticipation:
    """Completed training of the employee in ``year`` (JP and number of courses)."""
    provider = _providers.get("training")
    return provider(employee_id, year) if provider is not None else TrainingParticipation(0.0, 0)
