"""What the evaluation stage announces to the stages above it.

Evaluation may not import the follow-up stages (training, objections); they
subscribe here instead (``app.skp.training.subscriptions.connect``).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

evaluation_finalised = _signals.signal("evaluation-finalised", doc="""\
Sent when an evaluation becomes FINAL, inside the finalising transaction.

sender: the ``Evaluation``; keyword arguments ``result`` (the standing
``PeriodResult``) and ``evaluation_input`` (the full ``EvaluationInput`` it
was computed from — region rules read complaints, training and sessions,
which the stored entries lack). Receivers must not commit.""")
