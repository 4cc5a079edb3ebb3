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
