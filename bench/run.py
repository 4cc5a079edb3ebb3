"""Benchmarks: admin list pages as the tenant grows.

Prints, per page and tenant size, the median time of a request and the number
of SQL statements it ran. The statement count must not grow with the rows.

    make bench                       # SQLite in a temporary file
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test make bench
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time

from flask_migrate import upgrade
from sqlalchemy import event, insert, select

from app import create_app
from app.config import normalise_database_url
from app.extensions import db
from app.org.models import Employee, Position, Unit
from app.platform.services import TenantSpec, onboard
from app.tenancy import tenant_scope

SIZES = (100, 1000, 10000)
PAGES = ("/bench/admin/pegawai", "/bench/admin/pegawai?q=pratama", "/bench/admin/pegawai?q=000000000000001",
         "/bench/admin/jabatan", "/bench/admin/unit")
PASSWORD = "Bench-Sandi-2026"  # noqa: S105 - throw-away database


def _grow_to(tenant, size: int) -> None:
    with tenant_scope(tenant):
        have = db.session.scalar(select(db.func.count()).select_from(Employee))
        unit = db.session.scalar(select(Unit).limit(1))
        if unit is None:
            unit = Unit(code="BENCH", name="Dinas Bench")
            db.session.add(unit)
            db.session.flush()
            for i in range(50):
                db.session.add(Position(code=f"P{i}", name=f"Jabatan {i}", kind="pelaksana", unit_id=unit.id))
            db.session.flush()
        positions = db.session.scalars(select(Position.id)).all()
        # Benchmark rows only need distinct NIPs, not valid ones: bulk insert,
        # bypassing the form rules, keeps set-up fast.
        rows = [
            {"tenant_id": tenant.id, "nip": f"{i:018d}", "name": f"Pegawai {i} {'Pratama' if i % 7 == 0 else 'Lestari'}",
             "sex": "L" if i % 2 == 0 else "P", "employee_type": "PNS",
             "position_id": positions[i % len(positions)], "active": True, "version": 1}
            for i in range(have, size)
        ]
        if rows:
            db.session.execute(insert(Employee), rows)
        db.session.commit()


def main() -> None:
    url = os.environ.get("DATABASE_URL")
    tmp = tempfile.TemporaryDirectory()
    database = normalise_database_url(url) if url else f"sqlite:///{tmp.name}/bench.db"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()
        tenant, _ = onboard(TenantSpec(slug="bench", name="Kota Bench", level="kota", province="Bench",
                                       rule_set="nasional", admin_password=PASSWORD))
        client = app.test_client()
        client.post("/bench/login", data={"username": "admin", "password": PASSWORD})
        statements: list[str] = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        print(f"database: {db.engine.dialect.name}")
        print(f"{'employees':>9}  {'page':<36} {'median ms':>9} {'statements':>10}")
        for size in SIZES:
            _grow_to(tenant, size)
            for path in PAGES:
                timings = []
                for _ in range(5):
                    statements.clear()
                    start = time.perf_counter()
                    response = client.get(path)
                    timings.append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200, (path, response.status_code)
                print(f"{size:>9}  {path:<36} {statistics.median(timings):>9.1f} {len(statements):>10}")
    tmp.cleanup()


if __name__ == "__main__":
    main()
