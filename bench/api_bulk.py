"""Benchmark: a bulk upsert of employees through the API (issue #11), against references.

Onboards fresh tenants in a scratch database and sends BENCH_API_ROWS (default
10,000) new employees to ``POST /api/v1/employees/bulk`` in requests of
1,000 rows (the endpoint's limit), to the app served by the project's
gunicorn.conf.py — then the same rows again with changed names (the update
path). In the same run, as references:

* the same rows through ``app.imports`` directly, in-process, in the same
  1,000-row batches (``validation.check`` + ``bulk.apply_employees``, one
  commit per batch): what the API adds is HTTP, JSON, the token, the
  idempotency store and the per-row report;
* on PostgreSQL, a raw psycopg ``COPY`` of the same rows (``bench.imports``'
  floor).

Each side works in its own fresh tenant; the batches go in turns (one through
app.imports, the same through the API) so the machine's load hits both alike,
after an untimed warm-up of WARM_UP other rows on both.
Prints seconds and rows per second of each, never asserts. The machine's load
average is printed first: other work on it moves every figure.

    .venv/bin/python -m bench.api_bulk                                    # SQLite, a temporary file
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python -m bench.api_bulk
    BENCH_API_ROWS=2000 .venv/bin/python -m bench.api_bulk                # a quick run

On PostgreSQL it works in its own database ``kinerja_bench_api`` (made anew
and dropped afterwards; without the right to create one, in the given
database with fresh tenants).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, pool, text
from sqlalchemy.exc import ProgrammingError

from app import create_app
from app.config import normalise_database_url
from app.extensions import db
from app.imports import bulk, validation
from app.imports.models import ImportKind
from app.imports.rows import Row, no_progress
from app.platform.services import TenantSpec, onboard
from app.tenancy import tenant_scope
from bench.imports import COLUMNS, _copy_floor, _rows
from bench.run import SECRET_KEY, serve

BATCH = 1000  # the endpoint's limit per request (app.api.bulk.MAX_ROWS)
WARM_UP = 200  # rows of no pass, created then updated untimed first: compiled statements, the first request
SCRATCH = "kinerja_bench_api"


@contextmanager
def scratch_database() -> Iterator[str]:
    """A fresh database for this run: kinerja_bench_api on PostgreSQL, a temporary SQLite file otherwise."""
    url = os.environ.get("DATABASE_URL", "")
    if not (url and normalise_database_url(url).startswith("postgresql")):
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench_api.db"
        return
    url = normalise_database_url(url)
    server = create_engine(url, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{SCRATCH}"'))
    except ProgrammingError:
        server.dispose()
        yield url  # no CREATEDB right: the given database, fresh tenants
        return
    try:
        yield make_url(url).set(database=SCRATCH).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)'))
        server.dispose()


def _new_tenant(slug: str):
    tenant, _ = onboard(TenantSpec(slug=slug, name=f"Bench {slug}", level="kota", province="Uji",
                                   rule_set="nasional", admin_password="bench-password-123"))  # noqa: S106 - throwaway
    return tenant


def _renamed(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{**row, "nama": row["nama"] + " (baru)"} for row in rows]


def _batches(rows: list[dict[str, str]]) -> Iterator[list[dict[str, str]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start:start + BATCH]


def _apply(batch: list[dict[str, str]]) -> None:
    checked = [Row(line=i + 1, values=dict(row)) for i, row in enumerate(batch)]
    plan = validation.check(ImportKind.EMPLOYEES, checked, COLUMNS)
    if plan.errors:
        raise SystemExit(f"reference batch refused: {plan.counts}")
    bulk.apply_employees(plan, no_progress)
    db.session.commit()


@contextmanager
def api_server(database: str, secret: str) -> Iterator[Callable[[list[dict[str, str]], str], None]]:
    """The app under gunicorn.conf.py with one worker (the client sends one request at a time),
    as a function that sends one batch to POST /api/v1/employees/bulk and checks it was written."""
    env = {**os.environ, "DATABASE_URL": database, "SECRET_KEY": SECRET_KEY,
           "WEB_CONCURRENCY": "1", "GUNICORN_TIMEOUT": "120"}
    env.pop("KINERJA_ENV", None)
    with tempfile.TemporaryDirectory() as tmp:
        server, base = serve("bench.app_wsgi:app", env, Path(tmp))
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {secret}"

        def send(batch: list[dict[str, str]], key: str) -> None:
            answer = http.post(f"{base}/api/v1/employees/bulk", json={"rows": batch}, timeout=300,
                               headers={"Idempotency-Key": key})
            if answer.status_code != 200 or not answer.json().get("written"):
                raise SystemExit(f"API batch {key}: {answer.status_code} {answer.text[:500]}")

        try:
            yield send
        finally:
            server.terminate()
            server.wait(timeout=30)


def measure(app, database: str, passes: list[list[dict[str, str]]],
            warm_up: list[list[dict[str, str]]]) -> tuple[list[float], list[float]]:
    """Seconds of each pass through the API and through app.imports directly, each in its own
    fresh tenant, batch by batch in turns (so the machine's load hits both alike)."""
    from app.api import tokens as api_tokens

    stamp = int(time.time())
    api, reference = [0.0] * len(passes), [0.0] * len(passes)
    with app.app_context():
        with tenant_scope(_new_tenant(f"bench-api-{stamp}")):
            secret = api_tokens.create_token("bench", ["org:write"]).secret
            db.session.commit()
        with tenant_scope(_new_tenant(f"bench-ref-{stamp}")), api_server(database, secret) as send:
            for index, batch in enumerate(warm_up):
                _apply(batch)
                send(batch, f"bench-warm-{index}")
            for number, rows in enumerate(passes):
                for index, batch in enumerate(_batches(rows)):
                    started = time.perf_counter()
                    _apply(batch)
                    reference[number] += time.perf_counter() - started
                    started = time.perf_counter()
                    send(batch, f"bench-{number}-{index}")
                    api[number] += time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    return api, reference


def _line(label: str, count: int, seconds: float) -> str:
    return f"{label:<46} {seconds:>8.2f} s {count / seconds:>9.0f} rows/s"


def main() -> None:
    count = int(os.environ.get("BENCH_API_ROWS", "10000"))
    everyone = _rows(count + WARM_UP)
    rows = everyone[:count]
    passes = [rows, _renamed(rows)]
    warm_up = [everyone[count:], _renamed(everyone[count:])]
    with scratch_database() as database:
        backend = make_url(database).get_backend_name()
        print(f"bulk upsert of {count} employees, {BATCH} rows per request, on {backend}; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
        with tempfile.TemporaryDirectory() as uploads:
            app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database, "UPLOAD_ROOT": uploads})
            with app.app_context():
                upgrade(revision="heads")
                db.session.remove()
            api, reference = measure(app, database, passes, warm_up)
        for label, index in (("create", 0), ("update (every name changed)", 1)):
            print(f"{label}:")
            print("  " + _line("POST /api/v1/employees/bulk (gunicorn, 1 client)", count, api[index]))
            print("  " + _line("app.imports directly (same batches)", count, reference[index]))
            print(f"  {'API ÷ app.imports':<46} {api[index] / reference[index]:>8.2f}×")
        if backend == "postgresql":
            floor = _copy_floor(database, rows)
            print(_line("psycopg COPY of the same rows (floor)", count, floor))
            print(f"{'API create ÷ COPY':<46} {api[0] / floor:>8.1f}×")


if __name__ == "__main__":
    main()
