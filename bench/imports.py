"""Benchmark: an import of employees (web path, apply step) against the COPY floor (issue #13).

Onboards a fresh tenant, stores BENCH_IMPORT_ROWS (default 10,000) new
employees as a checked import batch, and times ``services.apply_batch`` —
the job the "terapkan" button submits: the check against the database
again, the bulk insert, the audit entries, ANALYZE. Then it imports the same
NIPs again with a changed name and e-mail address (every row an update: the
version-checked UPDATE and an audit entry per row) and times that too.

In the same run it times psycopg ``COPY``s of the same rows, each committed,
as floors:

(a) the employee rows into a temporary table (primary key and ``(tenant_id,
    nip)`` only): what the issue first compared with;
(b) the employee rows into a logged table with ``employee``'s indexes
    (trigram too) and foreign keys;
(c) (b) and, in the same transaction, the very audit entries the import
    wrote (one per employee: read back from ``audit_entry``) into a logged
    table with ``audit_entry``'s indexes and foreign key. The target
    (≤ 10×) is judged against (c): an import's contract is the employee
    rows *and* an audit entry per row, durably in their indexed tables, and
    a COPY of that data into the real tables would do all of it (the
    foreign-key checks too). What COPY skips and the import cannot — the
    row-level security check per row, the hash chain, the version checks —
    is the import's own cost, not the floor's.

It also COPYs the audit entries alone into a table without indexes, so that
the share of ``audit_entry``'s index maintenance shows. Printed, never
asserted.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python -m bench.imports

``measure(database_url, rows)`` returns the figures for ``bench/run.py``. On
SQLite there is no COPY floor: the floors and ratios are None. The floors
connect as the URL's user, which must be allowed to create tables (the
scratch tables are dropped again).
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


FLOORS = ("copy_s", "copy_indexed_s", "copy_with_audit_s")
JUDGED = "copy_with_audit_s"
WHY_JUDGED = ("the import's contract is the employee rows and an audit entry per row, durably in indexed "
              "tables; (a) and (b) leave out work every import must do")


def measure(database_url: str, rows: int) -> dict[str, Any]:
    """Seconds to apply ``rows`` new employees and to apply the same NIPs again with
    changes, on a fresh tenant of the database at ``database_url``; with the
    seconds of the COPY floors and the ratios on PostgreSQL (else None)."""
    database = normalise_database_url(database_url)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database, "UPLOAD_ROOT": f"{tmp}/uploads"})
        created = _rows(rows)
        with app.app_context():
            upgrade(revision="heads")
            slug = f"bench-impor-{time.time_ns()}"
            tenant, _ = onboard(TenantSpec(slug=slug, name="Bench Impor", level="kota", province="Uji",
                                           rule_set="nasional", admin_password="bench-password-123"))  # noqa: S106 - a throwaway tenant
            tenant_id = tenant.id
            with tenant_scope(tenant):
                admin_id = db.session.scalar(select(User.id).where(User.username == "admin"))
                create_s, create_status, create_counts = _apply(created, COLUMNS, admin_id)
                update_s, update_status, update_counts = _apply(_changed(created), UPDATE_COLUMNS, admin_id)
            db.session.remove()
            postgres = db.engine.dialect.name == "postgresql"
            db.engine.dispose()
    figures: dict[str, Any] = {
        "rows": rows,
        "create_s": create_s, "create_status": create_status, "create_counts": create_counts,
        "update_s": update_s, "update_status": update_status, "update_counts": update_counts,
        "copy_s": None, "copy_indexed_s": None, "copy_with_audit_s": None,
        "copy_audit_s": None, "copy_audit_bare_s": None, "judged": JUDGED,
    }
    if postgres:
        employees = [(n, tenant_id, row["nip"], row["nama"], row["jenis_kelamin"], row["jenis_asn"], True, 1)
                     for n, row in enumerate(created, start=1)]
        entries = _created_entries(database, tenant_id)
        figures["copy_s"] = _copy_floor(database, employees)
        figures["copy_indexed_s"] = _copy_floor_logged(database, employees, [])["total"]
        with_audit = _copy_floor_logged(database, employees, entries)
        figures["copy_with_audit_s"] = with_audit["total"]
        figures["copy_audit_s"] = with_audit["audit"]
        figures["copy_audit_bare_s"] = _copy_audit_bare(database, entries)
    for floor in FLOORS:
        for step in ("create", "update"):
            figures[f"{step}_ratio_{floor}"] = figures[f"{step}_s"] / figures[floor] if figures[floor] else None
    return figures


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
    labels = {
        "copy_s": "(a) employee rows, temporary table, primary key and (tenant_id, nip) only",
        "copy_indexed_s": "(b) employee rows, logged table, employee's indexes (trigram too) and foreign keys",
        "copy_with_audit_s": f"(c) (b) + the import's {count} audit entries, audit_entry's indexes and foreign key",
    }
    print("floors, psycopg COPY of the same rows, committed:")
    for floor in FLOORS:
        judged = "  ← target ≤ 10× judged here" if floor == figures["judged"] else ""
        print(f"  {labels[floor]}: {figures[floor]:.3f} s; create ÷ floor "
              f"{figures[f'create_ratio_{floor}']:.1f}×, update ÷ floor {figures[f'update_ratio_{floor}']:.1f}×{judged}")
    indexes = figures["copy_audit_s"] - figures["copy_audit_bare_s"]
    print(f"  in (c) the audit entries took {figures['copy_audit_s']:.3f} s; into a table without indexes "
          f"{figures['copy_audit_bare_s']:.3f} s, so audit_entry's six indexes ≈ {indexes:.3f} s")
    print(f"judged against (c) because {WHY_JUDGED}.")


def _dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


_AUDIT_COLUMNS = ("id, tenant_id, seq, occurred_at, actor_user_id, actor_label, action, object_type, object_id, "
                  "employee_id, before, after, reason, prev_hash, hash")


def _created_entries(url: str, tenant_id: int) -> list[tuple]:
    """The audit entries the create wrote, as stored (JSON columns as their text)."""
    with psycopg.connect(_dsn(url)) as conn:
        return conn.execute(
            f"SELECT {_AUDIT_COLUMNS.replace('before, after', 'before::text, after::text')} "  # noqa: S608 - our own columns
            "FROM audit_entry WHERE tenant_id = %s AND action = 'employee.create' ORDER BY seq",
            (tenant_id,)).fetchall()


_EMPLOYEE_COLUMNS = "id, tenant_id, nip, name, sex, employee_type, active, version"


def _copy_floor(url: str, employees: list[tuple]) -> float:
    """(a): the employee rows into a temporary table with a primary key and ``(tenant_id, nip)``."""
    with psycopg.connect(_dsn(url)) as conn:
        conn.execute("CREATE TEMP TABLE bench_employee_copy (id integer PRIMARY KEY, tenant_id integer NOT NULL, "
                     "nip varchar(18) NOT NULL, name varchar(200) NOT NULL, sex varchar(1) NOT NULL, "
                     "employee_type varchar(10) NOT NULL, active boolean NOT NULL, version integer NOT NULL, "
                     "UNIQUE (tenant_id, nip))")
        conn.commit()
        started = time.perf_counter()
        with conn.cursor().copy(f"COPY bench_employee_copy ({_EMPLOYEE_COLUMNS}) FROM STDIN") as copy:
            for row in employees:
                copy.write_row(row)
        conn.commit()
        return time.perf_counter() - started


def _scratch_like(conn: psycopg.Connection, table: str, model: str, indexed: bool) -> None:
    """A logged table shaped like ``model``: with its indexes and foreign keys, or bare."""
    conn.execute(f"DROP TABLE IF EXISTS {table}")
    if not indexed:
        conn.execute(f"CREATE TABLE {table} (LIKE {model})")
        return
    conn.execute(f"CREATE TABLE {table} (LIKE {model} INCLUDING INDEXES INCLUDING CONSTRAINTS)")
    foreign_keys = conn.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                                "WHERE conrelid = %s::regclass AND contype = 'f'", (model,)).fetchall()
    for (definition,) in foreign_keys:
        conn.execute(f"ALTER TABLE {table} ADD {definition}")


def _copy_floor_logged(url: str, employees: list[tuple], entries: list[tuple]) -> dict[str, float]:
    """(b), or (c) when ``entries`` are given: one transaction COPYing the employee rows
    (and the audit entries) into logged tables with the real tables' indexes and
    foreign keys, committed. Seconds in all, and of the audit entries' COPY."""
    employee_table, audit_table = f"bench_employee_copy_{os.getpid()}", f"bench_audit_copy_{os.getpid()}"
    with psycopg.connect(_dsn(url), autocommit=True) as conn:
        _scratch_like(conn, employee_table, "employee", indexed=True)
        _scratch_like(conn, audit_table, "audit_entry", indexed=True)
        try:
            started = time.perf_counter()
            with conn.transaction():
                with conn.cursor().copy(f"COPY {employee_table} ({_EMPLOYEE_COLUMNS}) FROM STDIN") as copy:
                    for row in employees:
                        copy.write_row(row)
                audit_started = time.perf_counter()
                if entries:
                    with conn.cursor().copy(f"COPY {audit_table} ({_AUDIT_COLUMNS}) FROM STDIN") as copy:
                        for row in entries:
                            copy.write_row(row)
                audit_s = time.perf_counter() - audit_started
            return {"total": time.perf_counter() - started, "audit": audit_s}
        finally:
            conn.execute(f"DROP TABLE {audit_table}, {employee_table}")


def _copy_audit_bare(url: str, entries: list[tuple]) -> float:
    """The audit entries alone into a logged table without indexes or keys, committed."""
    table = f"bench_audit_bare_{os.getpid()}"
    with psycopg.connect(_dsn(url), autocommit=True) as conn:
        _scratch_like(conn, table, "audit_entry", indexed=False)
        try:
            started = time.perf_counter()
            with conn.transaction(), conn.cursor().copy(f"COPY {table} ({_AUDIT_COLUMNS}) FROM STDIN") as copy:
                for row in entries:
                    copy.write_row(row)
            return time.perf_counter() - started
        finally:
            conn.execute(f"DROP TABLE {table}")


if __name__ == "__main__":
    main()
