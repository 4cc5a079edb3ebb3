"""``per_request``: a read made from several places of one page runs once, and is forgotten as soon
as the request writes anything (a request never reads its own stale answer)."""

from __future__ import annotations

from app.extensions import db
from app.tenancy import tenant_scope
from app.tenancy.current import per_request
from tests.conftest import make_tenant


def test_a_read_runs_once_per_request_and_again_after_a_write(app):
    calls = []

    def count() -> int:
        calls.append(1)
        return len(calls)

    with app.test_request_context():
        tenant = make_tenant("per-request")
        with tenant_scope(tenant):
            assert per_request(("k",), count) == 1
            assert per_request(("k",), count) == 1  # remembered
            assert per_request(("other",), count) == 2  # another key is another read
            tenant.name = "Kota Baru"
            db.session.flush()
            assert per_request(("k",), count) == 3  # the write made it forget
    with app.test_request_context(), tenant_scope(tenant):
        assert per_request(("k",), count) == 4  # a new request starts empty


def test_outside_a_request_every_call_computes(app):
    calls = []
    with app.app_context():
        assert per_request(("k",), lambda: calls.append(1) or len(calls)) == 1
        assert per_request(("k",), lambda: calls.append(1) or len(calls)) == 2


def test_kept_for_reuses_a_value_until_it_expires_or_this_process_writes(app, monkeypatch):
    from app.tenancy import current

    clock = [1000.0]
    monkeypatch.setattr(current, "monotonic", lambda: clock[0])
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    with app.app_context():
        tenant = make_tenant("kept-for")
        with tenant_scope(tenant):
            assert current.kept_for(60, ("figures",), compute) == 1
            assert current.kept_for(60, ("figures",), compute) == 1  # reused (across requests too)
            clock[0] += 61
            assert current.kept_for(60, ("figures",), compute) == 2  # expired
            tenant.name = "Kota Lain"
            db.session.flush()
            assert current.kept_for(60, ("figures",), compute) == 3  # this process wrote
            db.session.rollback()
        other = make_tenant("kept-for-other")
        with tenant_scope(other):
            assert current.kept_for(60, ("figures",), compute) == 4  # another tenant's own value
