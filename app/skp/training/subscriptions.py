"""How the training stage hooks into the evaluation stage below it.

``connect()`` (called from ``create_app``; idempotent): a finalised
evaluation's recommendations become training records, and an evaluation
weighs the training completed in the year.
"""

from __future__ import annotations

from typing import Any

from app.skp.evaluation.events import evaluation_finalised
from app.skp.evaluation.models import Evaluation
from app.skp.evaluation.seams import provide_training_participation
from app.skp.training.services import participation, recommend_training


def _on_evaluation_finalised(evaluation: Evaluation, **data: Any) -> None:
    recommend_training(evaluation, result=data.get("result"), evaluation_input=data.get("evaluation_input"))


def connect() -> None:
    evaluation_finalised.connect(_on_evaluation_finalised)
    provide_training_participation(participation)
