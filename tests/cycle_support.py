"""Kota A's 2026 appraisal year (``tests.conftest.make_cycle``) seen from a frozen
day, for the page tests that read a cycle under way (tests/test_evaluation_stored.py,
tests/test_performance.py, tests/test_worklists.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from app.extensions import db
from app.tenancy import frozen_clock
from tests.conftest import Org, make_cycle

# In Triwulan 2 2026: Q1's evaluation is final and the cycle's draft evaluation (Q2) is current.
IN_QUARTER_TWO = date(2026, 5, 20)


def cycle_under_way(app, org: Org, today: date = IN_QUARTER_TWO) -> Iterator[Org]:
    """For a fixture to ``yield from``: ``org`` with ``org.cycle`` (its 2026 cycle), while
    the tenant's clock stands still on ``today``."""
    with app.app_context():
        org.cycle = make_cycle(org, year=2026)
        db.session.remove()
    with frozen_clock(today):
        yield org
