"""Opening an assessment year: dates per scheme, idempotence, tenant isolation."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.errors import Invalid
from app.extensions import db
from app.periods.models import Period, PeriodKind
from app.periods.services import open_year, periods_of_year, year_period
from app.regions.types import PeriodScheme
from app.tenancy import TenantRef, TenantScopeError, all_tenants, tenant_scope
from tests.conftest import make_tenant


@pytest.fixture
def tenant(app_context):
    return make_tenant("kota-a")


def _spans(periods: list[Period]) -> list[tuple[PeriodKind, int, date, date]]:
    return [(p.kind, p.sequence, p.starts_on, p.ends_on) for p in periods]


def test_quarterly_year_has_four_quarters_linked_to_the_year(tenant):
    with tenant_scope(tenant):
        year = open_year(2026, PeriodScheme.QUARTERLY)
        db.session.commit()
        periods = periods_of_year(2026)
        labels = [p.label for p in year.children]
    assert (year.kind, year.starts_on, year.ends_on) == (PeriodKind.YEAR, date(2026, 1, 1), date(2026, 12, 31))
    assert periods[0].id == year.id
    assert _spans(periods[1:]) == [
        (PeriodKind.QUARTER, 1, date(2026, 1, 1), date(2026, 3, 31)),
        (PeriodKind.QUARTER, 2, date(2026, 4, 1), date(2026, 6, 30)),
        (PeriodKind.QUARTER, 3, date(2026, 7, 1), date(2026, 9, 30)),
        (PeriodKind.QUARTER, 4, date(2026, 10, 1), date(2026, 12, 31)),
    ]
    assert all(p.parent_id == year.id and p.tenant_id == tenant.id for p in periods[1:])
    assert labels == [f"Triwulan {n} 2026" for n in range(1, 5)]


def test_semester_year_has_two_halves(tenant):
    with tenant_scope(tenant):
        year = open_year(2027, PeriodScheme.SEMESTER)
        assert _spans(year.children) == [
            (PeriodKind.SEMESTER, 1, date(2027, 1, 1), date(2027, 6, 30)),
            (PeriodKind.SEMESTER, 2, date(2027, 7, 1), date(2027, 12, 31)),
        ]


@pytest.mark.parametrize(("year", "february_ends"), [(2026, 28), (2028, 29)])
def test_monthly_year_has_twelve_months_with_their_real_last_days(tenant, year, february_ends):
    with tenant_scope(tenant):
        months = open_year(year, "monthly").children
    assert [p.sequence for p in months] == list(range(1, 13))
    assert all(p.kind is PeriodKind.MONTH for p in months)
    assert months[1].ends_on == date(year, 2, february_ends)
    assert [p.ends_on.day for p in months] == [31, february_ends, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    # Contiguous: each month starts the day after the previous one ends.
    assert all((b.starts_on - a.ends_on).days == 1 for a, b in zip(months, months[1:], strict=False))


def test_annual_year_has_no_sub_periods(tenant):
    with tenant_scope(tenant):
        year = open_year(2026, PeriodScheme.ANNUAL)
        db.session.commit()
        assert year.children == []
        assert [p.id for p in periods_of_year(2026)] == [year.id]


def test_opening_an_open_year_again_returns_it_unchanged(tenant):
    with tenant_scope(tenant):
        first = open_year(2026, PeriodScheme.QUARTERLY)
        db.session.commit()
        again = open_year(2026, PeriodScheme.QUARTERLY)
        db.session.commit()
        assert again.id == first.id
        assert db.session.scalar(select(func.count(Period.id))) == 5


def test_opening_with_another_scheme_is_refused_in_indonesian(tenant):
    with tenant_scope(tenant):
        open_year(2026, PeriodScheme.QUARTERLY)
        db.session.commit()
        with pytest.raises(Invalid) as caught:
            open_year(2026, PeriodScheme.SEMESTER)
        assert "sudah dibuka" in str(caught.value)
        assert "triwulanan" in str(caught.value) and "semesteran" in str(caught.value)
        db.session.rollback()
        assert db.session.scalar(select(func.count(Period.id))) == 5


def test_deadlines_are_stored_and_can_be_set_when_reopening(tenant):
    with tenant_scope(tenant):
        year = open_year(2026, PeriodScheme.QUARTERLY, plans_lock_on=date(2026, 1, 31))
        assert (year.plans_lock_on, year.evaluation_due_on) == (date(2026, 1, 31), None)
        # Children carry no deadlines of their own.
        assert all(p.plans_lock_on is None for p in year.children)
        again = open_year(2026, PeriodScheme.QUARTERLY, evaluation_due_on=date(2027, 1, 31))
        assert again.id == year.id
        assert (again.plans_lock_on, again.evaluation_due_on) == (date(2026, 1, 31), date(2027, 1, 31))


@pytest.mark.parametrize(("year", "lock", "due"), [
    (1999, None, None),
    (2101, None, None),
    (2026, date(2025, 12, 31), None),
    (2026, None, date(2025, 12, 1)),
    (2026, date(2026, 3, 1), date(2026, 2, 1)),
])
def test_impossible_years_and_deadlines_are_refused(tenant, year, lock, due):
    with tenant_scope(tenant), pytest.raises(Invalid):
        open_year(year, PeriodScheme.QUARTERLY, lock, due)


def test_opening_a_year_needs_a_tenant(app_context):
    with pytest.raises(TenantScopeError):
        open_year(2026, PeriodScheme.QUARTERLY)
    with all_tenants("test"), pytest.raises(TenantScopeError):
        open_year(2026, PeriodScheme.QUARTERLY)


def test_each_tenant_sees_and_opens_only_its_own_periods(app_context):
    a, b = (TenantRef(t.id, t.slug) for t in (make_tenant("kota-a"), make_tenant("kota-b")))
    with tenant_scope(a):
        year_a_id = open_year(2026, PeriodScheme.QUARTERLY).id
        db.session.commit()
    db.session.expunge_all()  # nothing of A's left in the identity map
    with tenant_scope(b):
        assert periods_of_year(2026) == []
        assert year_period(2026) is None
        assert db.session.scalar(select(Period).where(Period.id == year_a_id)) is None
        # B opens the same year with its own scheme; A's year is no obstacle.
        year_b = open_year(2026, PeriodScheme.SEMESTER)
        db.session.commit()
        assert [p.kind for p in periods_of_year(2026)] == [PeriodKind.YEAR] + [PeriodKind.SEMESTER] * 2
    assert year_b.id != year_a_id
    db.session.expunge_all()
    with tenant_scope(a):
        assert [p.kind for p in periods_of_year(2026)] == [PeriodKind.YEAR] + [PeriodKind.QUARTER] * 4
        assert {p.tenant_id for p in periods_of_year(2026)} == {a.id}
