"""`make loadtest`: mixed traffic with a PostgreSQL restart in the middle.

Starts a private PostgreSQL (bench/private_postgres.py), migrates it, onboards
the demo tenants and seeds the demo year, serves the app with gunicorn and the
project's gunicorn.conf.py, and runs LOADTEST_SECONDS (60) of traffic from
LOADTEST_CLIENTS (16) clients across roles — reads of the key pages, and
writes: realisations, feedback messages, complaints. Halfway through it stops
PostgreSQL for LOADTEST_OUTAGE seconds (2) and starts it again. It prints the
requests and errors by kind before, during and after the outage, the time to
recover, the size of the log, then checks that every write answered with
success is in the database and that every tenant's audit chain verifies.
Exit status 1 when a write was lost, a chain is broken, an error page was not
the 503, or a query string reached a log.

    make loadtest
    LOADTEST_SECONDS=20 LOADTEST_CLIENTS=8 make loadtest
"""

from __future__ import annotations

import collections
import glob
import os
import subprocess
import sys
import time
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

from bench.load_clients import SECRET_QUERY, Client, Recorder, Target
from bench.private_postgres import PrivatePostgres, free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ROLES = ("pegawai", "penilai", "publik", "admin", "pegawai", "atasan", "publik", "penilai")


def flask(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,  # noqa: S603
                          capture_output=True, text=True, check=False)
    if check and done.returncode:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done


def prepare(env: dict) -> list[str]:
    flask(env, "db", "upgrade")
    for path in sorted(glob.glob(str(ROOT / "tenants" / "*.toml"))):
        done = flask(env, "tenants", "onboard", path, check=False)
        if done.returncode:
            print(f"  skipped {Path(path).name}: {done.stderr.strip().splitlines()[-1][:160]}")
    flask(env, "demo", "seed")
    owner = create_engine(env["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://"))
    with owner.connect() as conn:
        slugs = conn.scalars(text("SELECT slug FROM tenant WHERE active ORDER BY slug")).all()
    owner.dispose()
    return list(slugs)


def discover(base: str, database_url: str, slug: str) -> Target:
    """The pegawai's plan, the cells the pegawai may write, a unit for complaints."""
    owner = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    with owner.connect() as conn:
        plan_id, year_period = conn.execute(text(
            "SELECT p.id, p.period_id FROM skp_plan p JOIN user_account u ON u.employee_id = p.employee_id "
            "JOIN tenant t ON t.id = u.tenant_id WHERE t.slug = :s AND u.username = 'pegawai' "
            "ORDER BY p.id DESC LIMIT 1"), {"s": slug}).one()
        indicators = conn.scalars(text("SELECT i.id FROM skp_indicator i JOIN skp_result r ON r.id = i.result_id "
                                       "WHERE r.plan_id = :p ORDER BY i.id"), {"p": plan_id}).all()
        periods = conn.scalars(text("SELECT id FROM period WHERE parent_id = :y ORDER BY sequence"),
                               {"y": year_period}).all()
        unit_id = conn.scalar(text("SELECT u.id FROM unit u JOIN tenant t ON t.id = u.tenant_id "
                                   "WHERE t.slug = :s AND u.active ORDER BY u.id LIMIT 1"), {"s": slug})
    owner.dispose()
    probe = Client("probe", base, "pegawai", Target(slug, plan_id, [], unit_id), Recorder(time.monotonic()), 0, 0)
    probe.sign_in()
    cells = []
    for indicator in indicators:
        for period in periods:
            page = probe.http.get(probe.url(f"/skp/{plan_id}/realisasi/{indicator}/{period}"), timeout=15)
            if page.status_code == 200 and 'name="value"' in page.text:
                cells.append((indicator, period))
    return Target(slug, plan_id, cells, unit_id)


def serve(env: dict, port: int, log_dir: Path) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
        env={**env, "PORT": str(port), "GUNICORN_CONTROL_SOCKET": str(log_dir / "gunicorn.ctl")},
        stdout=(log_dir / "access.log").open("w"), stderr=(log_dir / "error.log").open("w"))
    for _ in range(300):
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.1)
    server.terminate()
    raise SystemExit(f"gunicorn did not start; see {log_dir / 'error.log'}")


def report(recorder: Recorder, stopped: float, ready: float, seconds: float) -> bool:
    phases = {"before": (0, stopped), "outage": (stopped, ready), "after": (ready, float("inf"))}
    print(f"\nrequests: {len(recorder.outcomes)} in {seconds:.0f} s "
          f"({len(recorder.outcomes) / seconds:.0f}/s); PostgreSQL down {stopped:.1f}–{ready:.1f} s")
    for name, (lo, hi) in phases.items():
        kinds = collections.Counter(o.kind for o in recorder.outcomes if lo <= o.at < hi)
        print(f"  {name:>7}: {sum(kinds.values()):6d} requests  " + "  ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    failures_after = [o.at for o in recorder.outcomes if o.at >= ready and o.kind not in ("ok", "conflict", "refused")
                      and not o.kind.startswith("client-error")]
    first_ok = min((o.at for o in recorder.outcomes if o.at >= ready and o.kind == "ok"), default=None)
    last_failure = max(failures_after, default=ready)
    print(f"recovery: first success {((first_ok or ready) - ready):.2f} s after PostgreSQL accepted connections; "
          f"last failure {last_failure - ready:.2f} s after")
    bad_pages = sum(1 for o in recorder.outcomes if o.kind in ("bare-500", "app-500", "connection"))
    if bad_pages:
        print(f"FAIL: {bad_pages} requests got a 500 or no answer instead of the 503 page")
    return bad_pages == 0


def check_writes(database_url: str, recorder: Recorder) -> bool:
    markers = {o.write_marker: o.action for o in recorder.outcomes if o.write_marker}
    queries = {
        "realisation-save": "SELECT count(*) FROM audit_entry WHERE CAST(after AS TEXT) LIKE :m",
        "message-post": "SELECT count(*) FROM skp_feedback_message WHERE body LIKE :m",
        "complaint-post": "SELECT count(*) FROM complaint WHERE description LIKE :m",
    }
    owner = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    lost = collections.Counter()
    with owner.connect() as conn:
        for marker, action in markers.items():
            if not conn.scalar(text(queries[action]), {"m": f"%{marker}%"}):
                lost[action] += 1
    owner.dispose()
    by_action = collections.Counter(markers.values())
    print("acknowledged writes: " + ", ".join(f"{a} {n} (lost {lost[a]})" for a, n in sorted(by_action.items())))
    return not lost


def check_logs(log_dir: Path) -> bool:
    ok = True
    for name in ("error.log", "access.log"):
        content = (log_dir / name).read_text(errors="replace")
        lines = content.count("\n")
        print(f"{name}: {lines} lines, {len(content) / 1024:.0f} KiB, {content.count('Traceback')} tracebacks")
        if SECRET_QUERY in content:
            print(f"FAIL: a query string reached {name}")
            ok = False
    return ok


def check_chains(env: dict, slugs: list[str]) -> bool:
    ok = True
    for slug in slugs:
        done = flask(env, "audit", "verify", slug, check=False)
        print(f"audit chain {slug}: {done.stdout.strip().splitlines()[0] if done.stdout.strip() else done.stderr[-200:]}")
        ok = ok and done.returncode == 0
    return ok


def main() -> int:
    seconds = float(os.environ.get("LOADTEST_SECONDS", "60"))
    clients = int(os.environ.get("LOADTEST_CLIENTS", "16"))
    outage = float(os.environ.get("LOADTEST_OUTAGE", "2"))
    pg = PrivatePostgres()
    server = None
    try:
        print(f"PostgreSQL {pg.bin.parent.name} on port {pg.port} in {pg.root}")
        pg.start()
        pg.create_database()
        log_dir = pg.root / "logs"
        log_dir.mkdir()
        env = {**os.environ, "DATABASE_URL": pg.url, "KINERJA_DEMO": "1", "SECRET_KEY": "loadtest-" + "k" * 32,
               "UPLOAD_ROOT": str(pg.root / "uploads"), "PROXY_HOPS": "1", "KINERJA_ENV": "development"}
        env.pop("PUBLIC_BASE_URL", None)
        env.pop("TRUSTED_HOSTS", None)
        started = time.monotonic()
        slugs = prepare(env)
        print(f"migrated and seeded {', '.join(slugs)} in {time.monotonic() - started:.0f} s")
        port = free_port()
        server = serve(env, port, log_dir)
        base = f"http://127.0.0.1:{port}"
        targets = [discover(base, pg.url, slug) for slug in slugs]
        print("writable realisation cells: " + ", ".join(f"{t.slug} {len(t.cells)}" for t in targets))
        recorder = Recorder(time.monotonic())
        deadline = recorder.start + seconds
        crowd = [Client(f"c{i}", base, ROLES[i % len(ROLES)], targets[i % len(targets)], recorder, deadline, i)
                 for i in range(clients)]
        print(f"{clients} clients for {seconds:.0f} s; PostgreSQL stops at {seconds / 2:.0f} s for {outage:.0f} s")
        for client in crowd:
            client.start()
        time.sleep(max(0.0, recorder.start + seconds / 2 - time.monotonic()))
        stopped = time.monotonic() - recorder.start
        pg.stop()
        time.sleep(outage)
        pg.start()
        ready = time.monotonic() - recorder.start
        for client in crowd:
            client.join()
        results = [report(recorder, stopped, ready, seconds), check_writes(pg.url, recorder),
                   check_logs(log_dir), check_chains(env, slugs)]
        print("loadtest: " + ("OK" if all(results) else "FAILED"))
        return 0 if all(results) else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if os.environ.get("LOADTEST_KEEP"):
            pg.stop()
            print(f"kept {pg.root}")
        else:
            pg.close()


if __name__ == "__main__":
    sys.exit(main())
