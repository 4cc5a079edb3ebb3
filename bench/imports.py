"""Benchmark: an import of employees (web path, apply step) against the COPY floor (issue #13).

Onboards a fresh tenant, stores BENCH_IMPORT_ROWS (default 10,000) new
employees as a checked import batch, and times ``services.apply_batch`` —
the job the "terapkan" button submits: the check against the database
again, the bulk insert, the audit entries, ANALYZE. Then it imports the same
NIPs again with a changed name and e-mail address (every row an update: the
version-checked UPDATE and an audit entry per row) and times that too. In the
same run it times a raw psycopg ``COPY`` of the same rows into a scratch
table shaped like ``employee``, and prints the times and the ratios. Printed,
never asserted.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python -m bench.imports

``measure(database_url, rows)`` returns the figures for ``bench/run.py``. On
SQLite there is no COPY floor: the ratios are None.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from typing import Any

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
UPDATE_COLUMNS = [*COLUMNS, "email"]


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


def _changed(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The same employees with another name and an e-mail address: every row an update."""
    return [{**row, "nama": f"{row['nama']} Baru", "email": f"pegawai{n}@contoh.go.id"}
            for n, row in enumerate(rows)]


def _apply(rows: list[dict[str, str]], columns: list[str], admin_id: int | None) -> tuple[float, str, dict]:
    """Store ``rows`` as a batch waiting to be applied, apply it: (seconds, status, applied counts)."""
    batch = ImportBatch(kind=ImportKind.EMPLOYEES, filename="bench.csv", status=ImportStatus.APPLYING,
                        total_rows=len(rows), processed_rows=0,
                        rows=[{"line": i + 2, "values": row} for i, row in enumerate(rows)],
                        errors=[], summary={"columns": columns}, created_by_id=admin_id,
                        job_started_at=utc_now())
    db.session.add(batch)
    db.session.commit()
    batch_id = batch.id
    db.session.expire_all()  # as in the job: the batch is read from the database
    started = time.perf_counter()
    services.apply_batch(batch_id)
    seconds = time.perf_counter() - started
    batch = db.session.get(ImportBatch, batch_id)
    return seconds, batch.status.value, (batch.summary or {}).get("applied", {})


def measure(database_url: str, rows: int) -> dict[str, Any]:
    """Seconds to apply ``rows`` new employees and to apply the same NIPs again with
    changes, on a fresh tenant of the database at ``database_url``; with the
    seconds of a psycopg COPY of the rows and the ratios on PostgreSQL (else None)."""
    database = normalise_database_url(database_url)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database, "UPLOAD_ROOT": f"{tmp}/uploads"})
        created = _rows(rows)
        with app.app_context():
            upgrade(revision="heads")
            slug = f"bench-impor-{time.time_ns()}"
            tenant, _ = onboard(TenantSpec(slug=slug, name="Bench Impor", level="kota", province="Uji",
                                           rule_set="nasional", admin_password="bench-password-123"))  # noqa: S106 - a throwaway tenant
            with tenant_scope(tenant):
                admin_id = db.session.scalar(select(User.id).where(User.username == "admin"))
                create_s, create_status, create_counts = _apply(created, COLUMNS, admin_id)
                update_s, update_status, update_counts = _apply(_changed(created), UPDATE_COLUMNS, admin_id)
            db.session.remove()
            postgres = db.engine.dialect.name == "postgresql"
            db.engine.dispose()
    floor = _copy_floor(database, created) if postgres else None
    indexed = _copy_floor_indexed(database, created) if postgres else None
    return {
        "rows": rows,
        "create_s": create_s, "create_status": create_status, "create_counts": create_counts,
        "update_s": update_s, "update_status": update_status, "update_counts": update_counts,
        "copy_s": floor,
        "create_ratio": create_s / floor if floor else None,
        "update_ratio": update_s / floor if floor else None,
        "copy_indexed_s": indexed,
        "create_ratio_indexed": create_s / indexed if indexed else None,
        "update_ratio_indexed": update_s / indexed if indexed else None,
    }


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("bench.imports measures against PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL "
              "database (SQLite has no COPY floor to compare with).")
        sys.exit(0)
    count = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
    report(measure(url, count))


def report(figures: dict[str, Any]) -> None:
    count = figures["rows"]
    print(f"import of {count} new employees (apply step): {figures['create_s']:.2f} s, "
          f"status {figures['create_status']} {figures['create_counts']}")
    print(f"import of the same {count} with changes:      {figures['update_s']:.2f} s, "
          f"status {figures['update_status']} {figures['update_counts']}")
    if figures["copy_s"] is None:
        print("(no COPY floor on SQLite)")
        return
    print(f"psycopg COPY of the same rows:               {figures['copy_s']:.3f} s")
    print(f"create ÷ COPY:                               {figures['create_ratio']:.1f}× (target ≤ 10×)")
    print(f"update ÷ COPY:                               {figures['update_ratio']:.1f}×")
    print(f"COPY into a logged table with employee's indexes (trigram too): {figures['copy_indexed_s']:.3f} s; "
          f"create ÷ that {figures['create_ratio_indexed']:.1f}×, update ÷ that {figures['update_ratio_indexed']:.1f}×")


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


def _copy_floor_indexed(url: str, rows: list[dict[str, str]]) -> float:
    """The same COPY into a (logged, scratch) table with every index and constraint of
    ``employee`` — what writing these rows into that table costs at the least."""
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    table = f"bench_employee_copy_{os.getpid()}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(f"CREATE TABLE {table} (LIKE employee INCLUDING INDEXES INCLUDING CONSTRAINTS)")
        try:
            started = time.perf_counter()
            with conn.transaction(), conn.cursor().copy(
                    f"COPY {table} (id, tenant_id, nip, name, sex, employee_type, active, version) FROM STDIN") as copy:
                for n, row in enumerate(rows, start=1):
                    copy.write_row((n, 1, row["nip"], row["nama"], row["jenis_kelamin"], row["jenis_asn"], True, 1))
            return time.perf_counter() - started
        finally:
            conn.execute(f"DROP TABLE {table}")


if __name__ == "__main__":
    main()
