"""Benchmark: an import of employees (web path, apply step) against the COPY floor (issue #13).

Onboards a fresh tenant, stores BENCH_IMPORT_ROWS (default 10,000) new
employees as a checked import batch, and times ``services.apply_batch`` —
the job the "terapkan" button submits: the check against the database
again, the bulk insert, the audit entries, ANALYZE. In the same run it times
a raw psycopg ``COPY`` of the same rows into a scratch table shaped like
``employee``, and prints both and the ratio. Printed, never asserted.

PostgreSQL only (the floor is PostgreSQL's COPY):

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python -m bench.imports
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

import psycopg
from flask_migrate import upgrade
from sqlalchemy import select

from app import create_app
from app.auth.models import User
from app.config import normalise_database_url
from app.extensions import db
from app.imports import services
from app.imports.models import ImportBatch, ImportKind, ImportStatus
from app.platform.services import TenantSpec, onboard
from app.tenancy import tenant_scope, utc_now

COLUMNS = ["nip", "nama", "jenis_kelamin", "jenis_asn"]


def _rows(count: int) -> list[dict[str, str]]:
    """Valid PNS NIPs: born 1960-1979, appointed 2000-2019, a sequence number per birth day."""
    rows = []
    n = 0
    while len(rows) < count:
        year, month, day = 1960 + n % 20, 1 + (n // 20) % 12, 1 + (n // 240) % 28
        sex = "1" if n % 2 == 0 else "2"
        nip = f"{year}{month:02d}{day:02d}{2000 + n % 20}{1 + n % 12:02d}{sex}{(n // 6720) + 1:03d}"
        rows.append({"nip": nip, "nama": f"Pegawai Uji {n}", "jenis_kelamin": "L" if sex == "1" else "P",
                     "jenis_asn": "PNS"})
        n += 1
    return rows


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("bench.imports measures against PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL "
              "database (SQLite has no COPY floor to compare with).")
        sys.exit(0)
    count = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
    tmp = tempfile.TemporaryDirectory()
    database = normalise_database_url(url)
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database, "UPLOAD_ROOT": f"{tmp.name}/uploads"})
    rows = _rows(count)
    with app.app_context():
        upgrade(revision="heads")
        slug = f"bench-impor-{int(time.time())}"
        tenant, _ = onboard(TenantSpec(slug=slug, name="Bench Impor", level="kota", province="Uji",
                                       rule_set="nasional", admin_password="bench-password-123"))  # noqa: S106 - a throwaway tenant
        with tenant_scope(tenant):
            admin_id = db.session.scalar(select(User.id).where(User.username == "admin"))
            batch = ImportBatch(kind=ImportKind.EMPLOYEES, filename="bench.csv", status=ImportStatus.APPLYING,
                                total_rows=count, processed_rows=0,
                                rows=[{"line": i + 2, "values": row} for i, row in enumerate(rows)],
                                errors=[], summary={"columns": COLUMNS}, created_by_id=admin_id,
                                job_started_at=utc_now())
            db.session.add(batch)
            db.session.commit()
            started = time.perf_counter()
            services.apply_batch(batch.id)
            applied = time.perf_counter() - started
            batch = db.session.get(ImportBatch, batch.id)
            status = batch.status.value
        db.session.remove()
    floor = _copy_floor(url, rows)
    print(f"import of {count} employees (apply step): {applied:.2f} s, status {status}")
    print(f"psycopg COPY of the same rows:            {floor:.3f} s")
    print(f"import ÷ COPY:                            {applied / floor:.1f}× (target ≤ 10×)")


def _copy_floor(url: str, rows: list[dict[str, str]]) -> float:
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        conn.execute("CREATE TEMP TABLE bench_employee_copy (id serial PRIMARY KEY, tenant_id integer NOT NULL, "
                     "nip varchar(18) NOT NULL, name varchar(200) NOT NULL, sex varchar(1) NOT NULL, "
                     "employee_type varchar(10) NOT NULL, active boolean NOT NULL, version integer NOT NULL, "
                     "UNIQUE (tenant_id, nip))")
        started = time.perf_counter()
        with conn.cursor().copy("COPY bench_employee_copy (tenant_id, nip, name, sex, employee_type, active, version) "
                                "FROM STDIN") as copy:
            for row in rows:
                copy.write_row((1, row["nip"], row["nama"], row["jenis_kelamin"], row["jenis_asn"], True, 1))
        conn.commit()
        return time.perf_counter() - started


if __name__ == "__main__":
    main()
