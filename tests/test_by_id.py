"""``app.database.by_id``: rows the session already holds are not asked for again (the home's
pending evidence takes its people and periods from it)."""

from __future__ import annotations

from sqlalchemy import event

from app.database import by_id
from app.extensions import db
from app.org.models import Employee, Position, PositionKind, Unit
from app.tenancy import tenant_scope
from tests.conftest import make_tenant


def _statements(fn) -> tuple[list[list], object]:
    """The bound values of each statement ``fn`` runs, and its answer."""
    seen: list[list] = []

    def record(conn, cursor, statement, parameters, *args):
        seen.append(list(parameters.values()) if isinstance(parameters, dict) else list(parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        answer = fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return seen, answer


def test_only_the_rows_the_session_lacks_are_asked_for(app, app_context):
    tenant = make_tenant("kota-a")
    with tenant_scope(tenant):
        unit = Unit(code="U", name="Unit")
        position = Position(code="P", name="Staf", kind=PositionKind.PELAKSANA, unit=unit)
        people = [Employee(nip=f"19850101201001100{i}", name=f"Pegawai {i}", sex="L", employee_type="PNS",
                           position=position) for i in range(3)]
        db.session.add_all([unit, position, *people])
        db.session.commit()
        ids, tenant_id = [p.id for p in people], tenant.id
        db.session.expunge_all()

        held = db.session.get(Employee, ids[2])  # the session holds one of the three
        statements, found = _statements(lambda: by_id(Employee, [*ids, None, ids[1], 10**9]))
        assert len(statements) == 1  # one statement, for the others only (and the tenant)
        assert set(statements[0]) == {ids[0], ids[1], 10**9, tenant_id} and ids[2] != tenant_id
        assert sorted(found) == ids and found[ids[2]] is held  # an unknown id is left out
        assert [found[i].name for i in ids] == ["Pegawai 0", "Pegawai 1", "Pegawai 2"]
        again, same = _statements(lambda: by_id(Employee, ids))
        assert again == [] and all(same[i] is found[i] for i in ids)  # all held now: no SQL
