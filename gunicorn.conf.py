"""gunicorn settings used by `make demo`, `make loadtest` and production (docs/operations.md).

- The app is loaded once in the master (``preload_app``) and the workers are
  forked from it: they share its memory and start at once. ``create_app``
  opens no database connection; ``post_fork`` still drops any pooled one, so
  no two processes ever share a socket to PostgreSQL.
- Before the workers are forked, the master does once what each worker
  would otherwise do on its first request (configuring SQLAlchemy's mappers,
  compiling the URL matcher),
  then freezes its objects out of the garbage collector's reach
  (``gc.freeze``): a worker's collections no longer write to every object it
  inherited, so those pages stay shared instead of being copied into each
  worker (``python -m bench.serving`` measures it).
- Workers: ``2 × cores + 1``, at most ``MAX_WORKERS``; ``WEB_CONCURRENCY``
  overrides. Each sync worker holds at most one database connection per
  request, so PostgreSQL sees about ``workers`` connections per instance.
- Logs hold no personal data: the access log has the method and the path
  without the query string and no client address (search boxes put names and
  NIPs in query strings); gunicorn's own error lines have query strings and
  client addresses cut out too.
- Each instance has its own control socket (``gunicornc``), named after its
  port, so stopping one instance never removes another's;
  ``GUNICORN_CONTROL_SOCKET=off`` turns it off, a path chooses it.
"""

import gc
import logging
import multiprocessing
import os
import re

from gunicorn import glogging

MAX_WORKERS = 12

port = os.environ.get("PORT", "8000")
bind = f"127.0.0.1:{port}"  # behind the reverse proxy; `-b` to change


def default_workers(cores: int) -> int:
    return max(2, min(2 * cores + 1, MAX_WORKERS))


workers = int(os.environ.get("WEB_CONCURRENCY") or default_workers(multiprocessing.cpu_count()))
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # long work runs as a background job
graceful_timeout = 30
keepalive = 5  # behind a reverse proxy that reuses connections
# Workers are replaced now and then (forked from the preloaded master, so cheaply):
# memory a long-lived process accumulates is given back.
max_requests = 5000
max_requests_jitter = 500

accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'

_control = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
if _control.lower() in ("off", "none", "0", "no"):
    control_socket_disable = True
else:
    _runtime = os.environ.get("XDG_RUNTIME_DIR") or os.path.join(os.path.expanduser("~"), ".gunicorn")
    control_socket = _control or os.path.join(_runtime, f"kinerja-{re.sub(r'[^A-Za-z0-9_.-]', '_', bind)}.ctl")


def _flask_app(server):
    """The preloaded app of the master, or None (not preloaded: loading it here would load it twice)."""
    if server is None or not server.cfg.preload_app:
        return None
    return server.app.wsgi()


def when_ready(server):
    """Work every worker would repeat on its first request, done once in the master and shared."""
    flask_app = _flask_app(server)
    if flask_app is None or not hasattr(flask_app, "url_map"):
        return
    flask_app.url_map.update()  # the URL matcher, built on the first request otherwise
    if "sqlalchemy" in flask_app.extensions:
        from sqlalchemy.orm import configure_mappers

        configure_mappers()


def pre_fork(server, worker):  # noqa: ARG001
    """Objects the master holds now are left alone by the workers' garbage collections (copy-on-write)."""
    gc.freeze()


def post_fork(server, worker):  # noqa: ARG001
    """A forked worker must not reuse a connection the master may have opened."""
    flask_app = worker.app.wsgi()
    database = getattr(flask_app, "extensions", {}).get("sqlalchemy")
    if database is not None:
        with flask_app.app_context():
            for engine in database.engines.values():
                engine.dispose(close=False)


_QUERY = re.compile(r"\?[^\s'\"]*")
_CLIENT = re.compile(r"\bip=\S+")


def redact(text: str) -> str:
    """A log line without query strings or client addresses."""
    return _CLIENT.sub("ip=-", _QUERY.sub("", text))


class _Redact(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class RedactingLogger(glogging.Logger):
    """gunicorn's logger, with query strings and client addresses cut from its
    error lines ("Error handling request /path?nip=…", "Invalid request from ip=…")."""

    def setup(self, cfg):
        super().setup(cfg)
        if not any(isinstance(f, _Redact) for f in self.error_log.filters):
            self.error_log.addFilter(_Redact())


logger_class = RedactingLogger
