"""Tenant scoping in the ORM, and PostgreSQL row-level security beneath it."""

import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.org.models import Employee, Unit
from app.tenancy import TenantScopeError, all_tenants, tenant_scope
from app.tenancy.models import Tenant
from app.tenancy.rls import tenant_tables
from app.web.listing import contains_pattern


def _tenant(slug):
    with all_tenants("test lookup"):
        return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def test_queries_see_only_the_current_tenant(app_context, two_tenants):
    a, b = _tenant("kota-a"), _tenant("kota-b")
    with tenant_scope(a):
        names = db.session.scalars(select(Employee.name)).all()
        assert names and all("Kota-A" in n for n in names)
        assert db.session.get(Employee, two_tenants[1].pegawai_id) is None
    with tenant_scope(b):
        assert all("Kota-B" in n for n in db.session.scalars(select(Employee.name)))


def test_joins_and_relationships_are_scoped_too(app_context, two_tenants):
    with tenant_scope(_tenant("kota-a")):
        rows = db.session.execute(select(Employee.name, Unit.name).join(Unit, Unit.id == Employee.id)).all()
        assert all("Beta" not in unit for _, unit in rows)


def test_without_a_tenant_no_tenant_row_is_visible(app_context, two_tenants):
    assert db.session.scalar(select(func.count()).select_from(Employee)) == 0


def test_crossing_tenants_must_be_explicit(app_context, two_tenants):
    with all_tenants("test: count every tenant's employees"):
        assert db.session.scalar(select(func.count()).select_from(Employee)) == 10


def test_new_rows_are_stamped_with_the_current_tenant(app_context, two_tenants):
    a = _tenant("kota-a")
    with tenant_scope(a):
        unit = Unit(code="BARU", name="Unit Baru")
        db.session.add(unit)
        db.session.commit()
        assert unit.tenant_id == a.id


def test_writing_without_a_tenant_is_refused(app_context, two_tenants):
    db.session.add(Unit(code="YATIM", name="Tanpa Tenant"))
    with pytest.raises(TenantScopeError):
        db.session.flush()
    db.session.rollback()


def test_writing_another_tenants_row_is_refused(app_context, two_tenants):
    a, b = _tenant("kota-a"), _tenant("kota-b")
    with tenant_scope(a):
        db.session.add(Unit(code="SELUNDUP", name="Selundupan", tenant_id=b.id))
        with pytest.raises(TenantScopeError):
            db.session.flush()
        db.session.rollback()


# --- PostgreSQL row-level security -------------------------------------------------

@pytest.fixture
def pg(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("row-level security exists only on PostgreSQL (CI runs this on PostgreSQL)")
    return app


def test_app_role_owns_nothing_and_cannot_bypass_rls(pg, app_context):
    with db.engine.connect() as conn:
        role, superuser, bypass = conn.execute(text(
            "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).one()
        assert role == pg.config["DATABASE_APP_ROLE"]
        assert not superuser and not bypass
        owned = conn.execute(text(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")).scalar()
        assert owned == 0


def test_every_tenant_table_has_row_level_security(pg, app_context):
    with db.engine.connect() as conn:
        enabled = set(conn.execute(text(
            "SELECT relname FROM pg_class WHERE relrowsecurity AND relkind = 'r'")).scalars())
    assert set(tenant_tables(db.metadata)) <= enabled


def test_rls_hides_every_tenant_row_when_no_tenant_is_set(pg, app_context, two_tenants):
    # Raw SQL on the application's own connection: no ORM scoping involved.
    with db.engine.connect() as conn:
        for table in tenant_tables(db.metadata):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0, table  # noqa: S608


def test_rls_shows_only_the_set_tenant(pg, app_context, two_tenants):
    a, b = _tenant("kota-a"), _tenant("kota-b")
    db.session.remove()
    with db.engine.connect() as conn:
        conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(a.id)})
        tenant_ids = set(conn.execute(text("SELECT tenant_id FROM employee")).scalars())
        assert tenant_ids == {a.id}
        assert conn.execute(text("SELECT count(*) FROM user_account WHERE tenant_id = :b"), {"b": b.id}).scalar() == 0
        with pytest.raises(Exception, match="row-level security"):
            conn.execute(text("INSERT INTO unit (tenant_id, code, name, kind, active, version) "
                              "VALUES (:b, 'X', 'X', 'lainnya', true, 1)"), {"b": b.id})


@pytest.mark.parametrize(("function", "table"), [("kinerja_employee_ids_named", "employee"),
                                                   ("kinerja_position_ids_named", "position")])
def test_name_search_functions_see_only_the_set_tenant(pg, app_context, owner_engine, two_tenants,
                                                       function, table):
    # They run as the tables' owner, past the policy (migration 0025): the tenant filter is their own.
    a, b = _tenant("kota-a"), _tenant("kota-b")
    db.session.remove()
    with owner_engine.begin() as conn:
        every = {tenant: sorted(conn.execute(text(f'SELECT id FROM "{table}" WHERE tenant_id = :t'),  # noqa: S608
                                             {"t": tenant}).scalars()) for tenant in (a.id, b.id)}
        for row_id, name in zip(every[a.id], ("Budi_Santoso", "BudixSantoso"), strict=False):
            conn.execute(text(f'UPDATE "{table}" SET name = :n WHERE id = :i'), {"n": name, "i": row_id})  # noqa: S608
    with db.engine.connect() as conn:
        count = text(f"SELECT count(*) FROM {function}('%')")  # noqa: S608 - our own function names
        assert conn.execute(count).scalar() == 0  # no tenant: none
        conn.execute(text("SELECT set_config('app.all_tenants', 'on', true)"))
        assert conn.execute(count).scalar() == 0  # not across tenants
        conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(a.id)})
        assert set(conn.execute(text(f"SELECT {function}('%')")).scalars()) == set(every[a.id])
        # The pattern is contains_pattern's: "_" typed in the search box is an underscore, not any character.
        named = conn.execute(text(f"SELECT {function}(:p)"), {"p": contains_pattern("budi_s")}).scalars()  # noqa: S608
        assert list(named) == every[a.id][:1]
        acl, definer, config = conn.execute(text(
            "SELECT proacl::text, prosecdef, proconfig::text FROM pg_proc WHERE proname = :f"), {"f": function}).one()
    assert every[a.id] and every[b.id]
    assert definer and "search_path=pg_catalog" in config and "public" not in config
    assert "{=" not in acl and ",=" not in acl  # PUBLIC may not call it; the app role may
    assert f"{pg.config['DATABASE_APP_ROLE']}=X" in acl


def test_orm_and_rls_agree_inside_a_request(pg, client, two_tenants):
    from tests.conftest import login

    login(client, "kota-a", "admin")
    page = client.get("/kota-a/admin/pegawai").get_data(as_text=True)
    assert "Pegawai Kota-A" in page and "Kota-B" not in page


def test_tenant_scope_inside_all_tenants_is_still_one_tenant(app_context, two_tenants):
    with all_tenants("test: outer crossing"):
        a = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-a"))
        with tenant_scope(a):
            assert {e.tenant_id for e in db.session.scalars(select(Employee))} == {a.id}
        assert db.session.scalar(select(func.count()).select_from(Employee)) == 10



def test_two_databases_creating_the_app_role_at_once_both_succeed(pg, owner_engine):
    """Roles are cluster-wide: parallel test workers (or two deployments) migrate
    at the same moment. Before the fix, all but one failed with UniqueViolation."""
    import threading

    from sqlalchemy import create_engine, pool

    from app.tenancy.rls import ensure_role

    role = "kinerja_race_probe"
    with owner_engine.connect() as conn:
        conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
        conn.commit()
    engines = [create_engine(owner_engine.url, poolclass=pool.NullPool) for _ in range(4)]
    barrier, errors = threading.Barrier(4), []

    def create(engine):
        try:
            with engine.connect() as conn:
                barrier.wait()
                ensure_role(conn, role)
                conn.commit()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=create, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        with owner_engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar() == 1
    finally:
        with owner_engine.connect() as conn:
            conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
            conn.commit()
        for engine in engines:
            engine.dispose()
