"""Start-up time and worker memory of the app under gunicorn.conf.py (issue #13, item 5).

Prints, never asserts:

- ``create_app`` in a fresh interpreter (what gunicorn's master runs before it
  forks), best and median of a few runs, wall and CPU time (the CPU time barely
  moves with the machine's load), next to a bare interpreter's start-up;
- the packages that cost most to import (``python -X importtime``, own time of
  all their modules) and the first module of the app that imports each;
- the time from starting ``gunicorn -c gunicorn.conf.py bench.app_wsgi:app`` until
  it listens (the master has built the app; its CPU seconds too) and until its
  first answered request, and how fast the master replaces a worker that ended;
- RSS, PSS and USS of the master and of every worker, right after start-up and
  after every worker has rendered the key pages (``wrk``, more connections
  than workers), read from ``/proc/<pid>/smaps_rollup``. Workers are not
  recycled (``--max-requests 0``) while measuring, so these are warm workers.

Which figure meets "≤ 80 MB per worker": **PSS**. With ``preload_app`` the
workers are forked from the master and share its pages copy-on-write, so RSS
counts the shared code and data once per process (the sum of RSS overstates the
machine's use several times over). PSS divides every shared page among the
processes that map it, so the PSS of the master and the workers adds up to
what the instance really holds; a worker's PSS is its honest share. USS (the
worker's private pages) is printed too: it is what one more worker adds.

    .venv/bin/python -m bench.serving                  # SQLite in instance/serving.db
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python -m bench.serving   # kinerja_serving

Run alone, it builds (or reuses) a tenant of 100 employees (bench/tenant.py) in
a database of its own. bench/run.py calls ``measure(database_url)`` (a database prepared by it) and
``report(figures)``. Settings: SERVING_RUNS (fresh interpreters timed, 3),
WEB_CONCURRENCY (workers, as gunicorn.conf.py reads it), SERVING_CONFIG
(another gunicorn settings file, to compare; gunicorn.conf.py).
"""

from __future__ import annotations

import os
import re
import runpy
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from bench.private_postgres import free_port
from bench.wrk import wrk

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RUNS = int(os.environ.get("SERVING_RUNS", "3"))
CONFIG = os.environ.get("SERVING_CONFIG", "gunicorn.conf.py")  # another settings file, to compare
TARGET_MB = 80.0
SECRET_KEY = "bench-" + "k" * 40  # noqa: S105 - throw-away server
_CREATE_APP = (  # what the master does before it forks: import bench.app_wsgi (create_app)
    "import time\n"
    "start, cpu = time.perf_counter(), time.process_time()\n"
    "import bench.app_wsgi\n"
    "print(time.perf_counter() - start, time.process_time() - cpu)\n"
)
_IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)\s*$")


def _environment(database_url: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": os.environ.get("SECRET_KEY", SECRET_KEY),
           "GUNICORN_CONTROL_SOCKET": "off"}
    env.pop("KINERJA_ENV", None)
    return env


# --- create_app in a fresh interpreter -------------------------------------------------------------

def _python(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,  # noqa: S603
                          check=False)
    if done.returncode:
        raise SystemExit(f"python {' '.join(args)[:60]}… failed:\n{done.stderr[-3000:]}")
    return done


def time_create_app(env: dict[str, str], runs: int = RUNS) -> list[tuple[float, float]]:
    """(wall, CPU) seconds from the first import to a built app, each in a fresh interpreter.
    The CPU time barely moves with the machine's load; the wall time does."""
    _python(env, "-c", _CREATE_APP)  # untimed: brings every module's bytecode cache up to date
    answer = []
    for _ in range(runs):
        wall, cpu = _python(env, "-c", _CREATE_APP).stdout.split()[-2:]
        answer.append((float(wall), float(cpu)))
    return answer


def time_interpreter(runs: int = RUNS) -> float:
    """Seconds a bare interpreter takes to start and stop (the floor of any start-up)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)  # noqa: S603
        times.append(time.perf_counter() - start)
    return min(times)


def parse_importtime(text: str) -> list[tuple[int, int, int, str]]:
    """(own µs, cumulative µs, depth, module) per line of ``-X importtime``, in its (post-)order."""
    rows = []
    for line in text.splitlines():
        if m := _IMPORT_LINE.match(line):
            rows.append((int(m.group(1)), int(m.group(2)), len(m.group(3)) // 2, m.group(4)))
    return rows


def import_offenders(rows: list[tuple[int, int, int, str]], top: int = 12) -> list[tuple[str, float, str]]:
    """(package, ms of its own modules, first app module importing it), costliest first; "app" is the app itself."""
    parent: list[int | None] = [None] * len(rows)
    waiting: list[int] = []
    for i, (_own, _cum, depth, _name) in enumerate(rows):  # a line's parent is the next shallower line
        while waiting and rows[waiting[-1]][2] > depth:
            parent[waiting.pop()] = i
        waiting.append(i)
    own: dict[str, int] = {}
    via: dict[str, str] = {}
    for i, (us, _cum, _depth, name) in enumerate(rows):
        package = name.split(".")[0]
        own[package] = own.get(package, 0) + us
        if package in via or package == "app":
            continue
        j = parent[i]
        while j is not None and rows[j][3].split(".")[0] != "app":
            j = parent[j]
        if j is not None:
            via[package] = rows[j][3]
    ranked = sorted(own.items(), key=lambda item: -item[1])[:top]
    return [(package, us / 1000, via.get(package, "-")) for package, us in ranked]


def importtime(env: dict[str, str]) -> tuple[float, list[tuple[str, float, str]]]:
    """(total ms as -X importtime counts it, top offenders)."""
    rows = parse_importtime(_python(env, "-X", "importtime", "-c", _CREATE_APP).stderr)
    return sum(r[0] for r in rows) / 1000, import_offenders(rows)


# --- memory from /proc -----------------------------------------------------------------------------

def memory(pid: int) -> dict[str, float]:
    """RSS, PSS and USS (private clean + dirty) of one process in MB, from /proc/<pid>/smaps_rollup."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, value = line.partition(":")
        parts = value.split()
        if parts and parts[0].isdigit():
            fields[name.strip()] = int(parts[0])  # kB
    mb = 1024.0
    return {"rss": fields.get("Rss", 0) / mb, "pss": fields.get("Pss", 0) / mb,
            "uss": (fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)) / mb}


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:  # field 4, after "(comm)"
            found.append(int(entry.name))
    return sorted(found)


def snapshot(master: int) -> dict:
    workers = children(master)
    per_worker = [memory(pid) for pid in workers]
    answer = {"master": memory(master), "workers": per_worker}
    for key in ("rss", "pss", "uss"):
        answer[f"worker_{key}_mean"] = statistics.fmean(w[key] for w in per_worker) if per_worker else 0.0
    answer["total_pss"] = answer["master"]["pss"] + sum(w["pss"] for w in per_worker)
    return answer


# --- gunicorn --------------------------------------------------------------------------------------

def configured_workers(env: dict[str, str]) -> int:
    saved = os.environ.get("WEB_CONCURRENCY")
    try:
        if env.get("WEB_CONCURRENCY"):
            os.environ["WEB_CONCURRENCY"] = env["WEB_CONCURRENCY"]
        return int(runpy.run_path(str(ROOT / CONFIG))["workers"])
    finally:
        if saved is None:
            os.environ.pop("WEB_CONCURRENCY", None)
        else:
            os.environ["WEB_CONCURRENCY"] = saved


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime: fields 14, 15


def start(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str, float, float, float]:
    """(server, base URL, seconds from the process start until it listens (the master has
    built the app) and until its first answered request, the master's CPU seconds until it listens)."""
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen(  # noqa: S603 - our own command
        # No recycling after max_requests while measuring: a fast warm-up must not swap a warm worker for a new one.
        [str(BIN / "gunicorn"), "-c", CONFIG, "--max-requests", "0", "bench.app_wsgi:app"], cwd=ROOT,
        env={**env, "PORT": str(port)}, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    base = f"http://127.0.0.1:{port}"
    deadline = started + 60
    listening = None
    while time.perf_counter() < deadline and server.poll() is None:
        if listening is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                listening = time.perf_counter() - started
                master_cpu = cpu_seconds(server.pid)
            except OSError:
                time.sleep(0.01)
                continue
        try:
            requests.get(base + "/", timeout=5, allow_redirects=False)
            return server, base, listening, time.perf_counter() - started, master_cpu
        except requests.RequestException:
            time.sleep(0.01)
    stop(server)
    raise SystemExit(f"gunicorn did not answer:\n{log.read_text()[-2000:]}")


def stop(server: subprocess.Popen) -> None:
    """SIGTERM (workers finish their request, graceful_timeout), then SIGKILL."""
    server.terminate()
    try:
        server.wait(timeout=45)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def wait_for_workers(master: int, count: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while len(children(master)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # the last ones finish booting


def respawn(master: int, count: int, seconds: float = 30) -> float:
    """Seconds for the master to replace a worker that ended (as one does after ``max_requests``):
    from SIGKILL to one worker (an idle worker would linger on SIGTERM until its wait times out)
    until a new one is up, forked from the preloaded master: it imports nothing."""
    before = children(master)
    started = time.perf_counter()
    os.kill(before[0], signal.SIGKILL)
    while time.perf_counter() - started < seconds:
        now = children(master)
        if len(now) >= count and set(now) - set(before):
            return time.perf_counter() - started
        time.sleep(0.005)
    return float("nan")


def warm_up(base: str, built) -> list[str]:
    """Every worker renders the key pages (wrk, 8 connections, 1 s a page); answers the pages' names."""
    from bench.run import cookie_for, pages

    paths: list[tuple[str, dict[str, str], str]] = [("root", {}, "/")]
    if built is not None:
        cookies: dict[str, str] = {}
        for name, role, path in pages(built):
            if role == "api":
                continue  # needs a token; the API's modules are imported at create_app anyway
            if role is not None and role not in cookies:
                cookies[role] = cookie_for(base, built.slug, role)
            paths.append((name, {"Cookie": cookies[role]} if role else {}, path))
    for _name, headers, path in paths:
        wrk(base + path, headers, 1, 8)
    return [name for name, _, _ in paths]


def bench_tenant(database_url: str):
    """The first bench tenant (bench/tenant.py) of the database, or None."""
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.tenancy.models import Tenant
    from bench.tenant import build

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        slugs = db.session.scalars(select(Tenant.slug).where(Tenant.slug.like("bench-%")).order_by(Tenant.id))
        slug = next(iter(slugs), None)
        return build(slug, 0) if slug else None


def measure(database_url: str, built=None) -> dict:
    """Start-up and memory figures of the app served by gunicorn.conf.py (SERVING_CONFIG) on ``database_url``.

    ``built`` (bench.tenant.Built) chooses the tenant whose pages warm the workers up; by default
    the database's first ``bench-*`` tenant (only "/" when there is none).
    """
    env = _environment(database_url)
    figures: dict = {"load_average": os.getloadavg(), "cores": os.cpu_count()}
    figures["interpreter_s"] = time_interpreter()
    runs = time_create_app(env)
    walls, cpus = [wall for wall, _ in runs], [cpu for _, cpu in runs]
    figures["create_app_s"] = {"best": min(walls), "median": statistics.median(walls), "runs": walls,
                               "cpu_best": min(cpus), "cpu_median": statistics.median(cpus)}
    figures["importtime_ms"], figures["import_offenders"] = importtime(env)
    if built is None:
        built = bench_tenant(database_url)
    figures["workers"] = configured_workers(env)
    with tempfile.TemporaryDirectory() as tmp:
        server, base, listening, first, master_cpu = start(env, Path(tmp) / "gunicorn.log")
        try:
            figures["listening_s"], figures["first_answer_s"] = listening, first
            figures["master_cpu_until_listening_s"] = master_cpu
            wait_for_workers(server.pid, figures["workers"])
            figures["booted"] = snapshot(server.pid)
            figures["warmed_pages"] = warm_up(base, built)
            time.sleep(0.5)
            figures["warm"] = snapshot(server.pid)
            figures["respawn_s"] = respawn(server.pid, figures["workers"])
        finally:
            stop(server)
    figures["load_average_after"] = os.getloadavg()
    return figures


def report(figures: dict) -> None:
    load = figures["load_average"]
    print(f"serving ({CONFIG}): {figures['workers']} workers on {figures['cores']} cores; load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} before, {figures['load_average_after'][0]:.2f} after")
    create = figures["create_app_s"]
    print(f"  create_app in a fresh interpreter: best {create['best']:.2f} s, median {create['median']:.2f} s "
          f"({', '.join(f'{r:.2f}' for r in create['runs'])}); CPU best {create['cpu_best']:.2f} s, median "
          f"{create['cpu_median']:.2f} s; bare interpreter {figures['interpreter_s']:.3f} s")
    print(f"  gunicorn started: listening after {figures['listening_s']:.2f} s (master CPU "
          f"{figures['master_cpu_until_listening_s']:.2f} s), first answered request after "
          f"{figures['first_answer_s']:.2f} s   (target ≤ 0.5 s: {'met' if figures['first_answer_s'] <= 0.5 else 'not met'})")
    print(f"  a worker that ended is replaced (forked from the master) in {figures['respawn_s']:.3f} s")
    print(f"  import time (-X importtime, inflated by the tracing): {figures['importtime_ms']:.0f} ms; "
          "costliest packages (own modules, first imported by):")
    labels = {"app": "app (own modules)", "bench": "create_app's work"}  # bench.app_wsgi runs create_app
    for package, ms, via in figures["import_offenders"]:
        print(f"    {labels.get(package, package):<18} {ms:>7.0f} ms  {via}")
    for stage in ("booted", "warm"):
        snap = figures[stage]
        master = snap["master"]
        print(f"  {stage:<6} master RSS {master['rss']:.0f} PSS {master['pss']:.0f} USS {master['uss']:.0f} MB; "
              f"per worker mean RSS {snap['worker_rss_mean']:.0f} PSS {snap['worker_pss_mean']:.0f} "
              f"USS {snap['worker_uss_mean']:.0f} MB; all processes PSS {snap['total_pss']:.0f} MB")
        print("         workers PSS/USS: " + ", ".join(f"{w['pss']:.0f}/{w['uss']:.0f}" for w in snap["workers"]))
    warm = figures["warm"]
    status = "met" if warm["worker_pss_mean"] <= TARGET_MB else "not met"
    print(f"  worker memory after warm-up: PSS {warm['worker_pss_mean']:.0f} MB per worker (target ≤ {TARGET_MB:.0f} MB "
          f"PSS: {status}); each further worker adds about its USS, {warm['worker_uss_mean']:.0f} MB")


def database() -> str:
    """Its own database, so a concurrent `make bench` is left alone: kinerja_serving on the
    PostgreSQL server of DATABASE_URL, else instance/serving.db."""
    from sqlalchemy import create_engine, make_url, pool, text

    from app.config import normalise_database_url

    url = os.environ.get("DATABASE_URL")
    if not (url and normalise_database_url(url).startswith("postgresql")):
        (ROOT / "instance").mkdir(exist_ok=True)
        return f"sqlite:///{ROOT / 'instance' / 'serving.db'}"
    url = normalise_database_url(url)
    server = create_engine(url, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = 'kinerja_serving'")):
            conn.execute(text('CREATE DATABASE "kinerja_serving"'))
    server.dispose()
    return make_url(url).set(database="kinerja_serving").render_as_string(hide_password=False)


def main() -> None:
    from flask_migrate import upgrade

    from app import create_app
    from bench.tenant import build

    url = database()
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        built = build("bench-100", 100)
    report(measure(url, built))


if __name__ == "__main__":
    main()
