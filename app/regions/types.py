"""Typed, immutable objects that region plugins return to the core."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class PeriodScheme(enum.StrEnum):
    """How a year is divided for periodic assessment."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMESTER = "semester"
    ANNUAL = "annual"


@dataclass(frozen=True)
class RuleSet:
    """A region's rule set. ``code`` is what a tenant selects."""

    code: str
    name: str
    version: str
    description: str = ""
    period_scheme: PeriodScheme = PeriodScheme.QUARTERLY
