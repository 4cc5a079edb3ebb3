"""`make bench`: the key pages against a bare Flask app, both under gunicorn.conf.py.

Builds (or reuses) tenants of 100 and 10,000 employees (bench/tenant.py),
serves the app and a one-route Flask app (bench/bare.py) with the project's
gunicorn.conf.py on free ports, and drives both with Debian's ``wrk``,
interleaved page by page (the references right before each page, so machine
load hits all alike). Per page and tenant size it prints the app's and the bare
app's requests per second and their ratio, the ratio to the "floor" reference
(bench/bare.py ``/floor``: one pooled query and a page-sized template, the
least any database-backed Flask page does), the app's p50/p99 latency and the
SQL statements one request runs (counted in-process through the test client).
Printed figures, never asserts.

    make bench                                               # SQLite in instance/bench.db
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test make bench   # a kinerja_bench database
    BENCH_SECONDS=1 BENCH_SIZES=100 make bench               # a quick run

After the pages it prints the other figures of issue #13, each beside its
reference or target: serving (bench/serving.py: create_app, time to the first
answer, memory per worker), the import of 10,000 employees against a COPY of
the same rows (bench/imports.py) and re-applying the rules to 10,000 drafts
(bench/reapply.py). Last, every target of the issue with this run's figure,
met or not, and for the pages the floor's own ratio to the bare app
(bench/targets.py).

Settings: BENCH_SIZES (100,10000), BENCH_SECONDS per wrk run (3),
BENCH_CONNECTIONS (8), BENCH_FRESH=1 rebuilds the database, BENCH_PAGES a
comma-separated filter on page names, BENCH_EXTRAS which of serving,imports,reapply
to run after the pages (all; "none" for none), BENCH_IMPORT_ROWS and
BENCH_DRAFTS their sizes (10000).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, make_url, pool, text
from sqlalchemy.exc import ProgrammingError

from app import create_app
from app.config import normalise_database_url
from app.extensions import db
from bench import targets
from bench.private_postgres import free_port
from bench.tenant import PASSWORD, Built, build
from bench.wrk import CSRF, Result, wrk

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SIZES = tuple(int(s) for s in os.environ.get("BENCH_SIZES", "100,10000").split(","))
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
SECRET_KEY = "bench-" + "k" * 40  # noqa: S105 - throw-away server


def pages(built: Built) -> list[tuple[str, str | None, str]]:
    """(name, role signed in or None, path) of every key page of one tenant."""
    s = f"/{built.slug}"
    return [
        ("home pegawai", "pegawai", f"{s}/"), ("home penilai", "penilai", f"{s}/"),
        ("home atasan", "atasan", f"{s}/"), ("home admin", "admin", f"{s}/"),
        ("plan", "pegawai", f"{s}/skp/{built.plan_id}"),
        ("evaluation", "penilai", f"{s}/penilaian/{built.evaluation_id}"),
        ("evaluation list", "penilai", f"{s}/penilaian/"),
        ("employee list", "admin", f"{s}/admin/pegawai"),
        ("employee search", "admin", f"{s}/admin/pegawai?q=pratama"),
        ("employee list p.5", "admin", f"{s}/admin/pegawai?page=5"),
        ("recap page", "admin", f"{s}/admin/rekap/pegawai"),
        ("public page", None, f"{s}/publik/"), ("login page", None, f"{s}/login"),
        ("API employees", "api", "/api/v1/employees"),
        ("API SIASN exports", "api", "/api/v1/siasn/exports"),
        ("API realisations", "api", f"/api/v1/plans/{built.plan_id}/realisations"),
    ]


def database_url() -> tuple[str, bool]:
    """The benchmark's database: its own PostgreSQL database, or instance/bench.db. (url, fresh?)"""
    fresh = os.environ.get("BENCH_FRESH") == "1"
    url = os.environ.get("DATABASE_URL")
    if url and normalise_database_url(url).startswith("postgresql"):
        url = normalise_database_url(url)
        server = create_engine(url, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
        try:
            with server.connect() as conn:
                exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = 'kinerja_bench'"))
                if fresh and exists:
                    conn.execute(text('DROP DATABASE "kinerja_bench" WITH (FORCE)'))
                if fresh or not exists:
                    conn.execute(text('CREATE DATABASE "kinerja_bench"'))
                    fresh = True
        except ProgrammingError:
            return url, fresh  # no CREATEDB right: the given database
        finally:
            server.dispose()
        return make_url(url).set(database="kinerja_bench").render_as_string(hide_password=False), fresh
    path = ROOT / "instance" / "bench.db"
    path.parent.mkdir(exist_ok=True)
    if fresh or not path.exists():
        path.unlink(missing_ok=True)
        fresh = True
    return f"sqlite:///{path}", fresh


def prepare(database: str) -> tuple[list[Built], dict[str, str]]:
    from app.api import tokens as api_tokens
    from app.tenancy import tenant_scope
    from app.tenancy.models import Tenant

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database})
    built, secrets = [], {}
    with app.app_context():
        upgrade()
        for size in SIZES:
            start = time.perf_counter()
            tenant = build(f"bench-{size}", size)
            built.append(tenant)
            print(f"tenant {tenant.slug}: {tenant.employees} employees ready in {time.perf_counter() - start:.1f} s",
                  flush=True)
            with tenant_scope(db.session.scalar(db.select(Tenant).where(Tenant.slug == tenant.slug))):
                secrets[tenant.slug] = api_tokens.create_token("bench", ["org:read", "skp:read", "siasn:export"]).secret
                db.session.commit()
    if make_url(database).get_backend_name() == "postgresql":
        # As autovacuum would soon after a bulk load (statistics, and the visibility map that
        # index-only scans need); as the tables' owner (the app's role may not).
        owner = create_engine(database, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
        with owner.connect() as conn:
            conn.execute(text("VACUUM ANALYZE"))
        owner.dispose()
    return built, secrets


def count_statements(database: str, built: Built, secret: str) -> dict[str, int]:
    """Statements per request of every page, through the test client (after one warm-up request)."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        engine = db.engine
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    clients: dict[str | None, object] = {}
    answer = {}
    for name, role, path in pages(built):
        if role not in clients:
            clients[role] = app.test_client()
            if role not in (None, "api"):
                clients[role].post(f"/{built.slug}/login", data={"username": role, "password": PASSWORD})
        headers = {"Authorization": f"Bearer {secret}"} if role == "api" else {}
        clients[role].get(path, headers=headers)
        seen.clear()
        status = clients[role].get(path, headers=headers).status_code
        answer[name] = len(seen) if status == 200 else -status
    return answer


def serve(module: str, env: dict, log_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own command
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", module], cwd=ROOT,
        env={**env, "PORT": str(port), "GUNICORN_CONTROL_SOCKET": "off"},
        stdout=subprocess.DEVNULL, stderr=(log_dir / f"{module}.log").open("w"))
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            requests.get(base + "/", timeout=2)
            return server, base
        except requests.RequestException:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit(f"gunicorn {module} did not start; see {log_dir}")


def cookie_for(base: str, slug: str, role: str) -> str:
    """Signs in through the real form and answers the Cookie header of the session."""
    http = requests.Session()
    html = http.get(f"{base}/{slug}/login", timeout=10).text
    match = CSRF.search(html)
    http.post(f"{base}/{slug}/login", timeout=10, allow_redirects=False,
              data={"username": role, "password": PASSWORD, "csrf_token": (match.group(1) or match.group(2))
                    if match else ""})
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


def measure(base: str, bare: str, built: Built, secret: str, statements: dict[str, int]) -> list[tuple]:
    rows = []
    cookies = {role: cookie_for(base, built.slug, role) for role in ("pegawai", "penilai", "atasan", "admin")}
    only = [p for p in os.environ.get("BENCH_PAGES", "").split(",") if p]
    for name, role, path in pages(built):
        if only and not any(o in name for o in only):
            continue
        headers = {"Cookie": cookies[role]} if role in cookies else {}
        if role == "api":
            headers = {"Authorization": f"Bearer {secret}"}
        reference = wrk(f"{bare}/", {}, SECONDS, CONNECTIONS)
        floor = wrk(f"{bare}/floor", {}, SECONDS, CONNECTIONS)
        result = wrk(base + path, headers, SECONDS, CONNECTIONS)
        rows.append((built.employees, name, reference, floor, result, statements.get(name, 0)))
        print_row(*rows[-1])
    return rows


def print_row(size: int, name: str, reference: Result, floor: Result, result: Result, statements: int) -> None:
    ratio = result.rps / reference.rps if reference.rps else 0.0
    to_floor = result.rps / floor.rps if floor.rps else 0.0
    flag = "" if not result.errors else f"  ({result.errors} non-2xx/3xx or errors)"
    print(f"{size:>9} {name:<18} {result.rps:>9.1f} {reference.rps:>9.1f} {ratio:>7.3f} {floor.rps:>9.1f} "
          f"{to_floor:>7.3f} {result.p50_ms:>8.1f} {result.p99_ms:>8.1f} {statements:>5}{flag}", flush=True)


def main() -> None:
    database, fresh = database_url()
    print(f"database: {make_url(database).get_backend_name()} ({'built' if fresh else 'reused'}); "
          f"wrk {CONNECTIONS} connections, {SECONDS:g} s per run; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores", flush=True)
    built, secrets = prepare(database)
    counts = {b.slug: count_statements(database, b, secrets[b.slug]) for b in built}
    env = {**os.environ, "DATABASE_URL": database, "SECRET_KEY": SECRET_KEY}
    env.pop("KINERJA_ENV", None)
    with tempfile.TemporaryDirectory() as tmp:
        app_server, base = serve("bench.app_wsgi:app", env, Path(tmp))
        bare_server, bare = serve("bench.bare:app", env, Path(tmp))
        try:
            print(f"{'employees':>9} {'page':<18} {'app r/s':>9} {'bare r/s':>9} {'ratio':>7} {'floor r/s':>9} "
                  f"{'÷floor':>7} {'p50 ms':>8} {'p99 ms':>8} {'SQL':>5}")
            for _name, role, path in pages(built[0]):  # every worker renders every page once first
                wrk(base + path, {"Cookie": cookie_for(base, built[0].slug, role)} if role not in (None, "api")
                    else {}, 1, CONNECTIONS)
            rows = [row for b in built for row in measure(base, bare, b, secrets[b.slug], counts[b.slug])]
        finally:
            for server in (app_server, bare_server):
                server.terminate()
                server.wait(timeout=30)
    targets.report(rows, extras(database, built))


def extras(database: str, built: list[Built]) -> dict:
    """The figures beyond the pages, one after another on the idle servers."""
    wanted = os.environ.get("BENCH_EXTRAS", "serving,imports,reapply").split(",")
    figures = {}
    if "serving" in wanted:
        from bench import serving
        print(flush=True)
        figures["serving"] = serving.measure(database, built[0])
        serving.report(figures["serving"])
    if "imports" in wanted:
        from bench import imports
        print(flush=True)
        figures["imports"] = imports.measure(database, int(os.environ.get("BENCH_IMPORT_ROWS", "10000")))
        imports.report(figures["imports"])
    if "reapply" in wanted:
        from bench import reapply
        done = figures["reapply"] = reapply.measure(database, int(os.environ.get("BENCH_DRAFTS", "10000")))
        print(f"\nre-apply of the rules to {done['drafts']} drafts (job, batches): {done['job_seconds']:.2f} s "
              f"= {done['job_per_10000']:.2f} s per 10,000 (target ≤ 10 s); the scoring alone "
              f"{done['scoring_per_10000']:.2f} s per 10,000", flush=True)
    return figures


if __name__ == "__main__":
    main()
