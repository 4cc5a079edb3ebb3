"""Serving: fingerprinted static files cached for a year, compressed pages, the gunicorn settings."""

from __future__ import annotations

import logging
import os
import re
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import url_for
from gunicorn.config import Config as GunicornConfig

from app.extensions import db
from app.web.serving import Fingerprints

ROOT = Path(__file__).resolve().parent.parent
FINGERPRINT = re.compile(r"/static/app\.css\?v=([0-9a-f]{12})$")


def _static_url(app, filename: str = "app.css") -> str:
    with app.test_request_context():
        return url_for("static", filename=filename)


def test_static_urls_carry_a_content_hash_and_are_cached_for_a_year(app, client):
    url = _static_url(app)
    assert FINGERPRINT.search(url), url
    response = client.get(url)
    assert response.status_code == 200
    cache = response.cache_control
    assert cache.public and cache.max_age == 365 * 24 * 3600 and cache.immutable


def test_a_static_file_without_its_current_hash_is_revalidated(app, client):
    for url in ("/static/app.css", "/static/app.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.cache_control.no_cache and not response.cache_control.immutable
        assert response.cache_control.max_age is None


def test_pages_link_the_fingerprinted_files(app, client):
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'href="/static/app\.css\?v=[0-9a-f]{12}"', html)
    assert re.search(r'src="/static/app\.js\?v=[0-9a-f]{12}"', html)


def test_the_fingerprint_changes_with_the_content(app, client, tmp_path, monkeypatch):
    style = tmp_path / "site.css"
    style.write_text("body { color: black; }")
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    first = _static_url(app, "site.css")
    assert client.get(first).cache_control.immutable
    style.write_text("body { color: navy; }")
    os.utime(style, ns=(style.stat().st_atime_ns, style.stat().st_mtime_ns + 1_000_000))
    second = _static_url(app, "site.css")
    assert first != second and second.startswith("/static/site.css?v=")
    assert not client.get(first).cache_control.immutable  # the old URL no longer gets the long cache
    assert client.get(second).cache_control.immutable


def test_fingerprints_are_cached_until_the_file_changes(tmp_path):
    (tmp_path / "a.js").write_text("1")
    hashes = Fingerprints()
    assert hashes.of(str(tmp_path), "a.js") == hashes.of(str(tmp_path), "a.js")
    assert hashes.of(str(tmp_path), "missing.js") is None


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_pages_are_compressed_when_the_client_accepts_it(app, client, encoding):
    response = client.get("/", headers={"Accept-Encoding": encoding})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    plain = client.get("/", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert len(response.data) < len(plain.data)


# --- gunicorn.conf.py ------------------------------------------------------------------------

def _settings(monkeypatch, **env) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_CONTROL_SOCKET", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_preloads_and_sizes_workers_from_the_cores(monkeypatch):
    settings = _settings(monkeypatch)
    assert settings["preload_app"] is True
    formula = settings["default_workers"]
    assert [formula(1), formula(2), formula(4), formula(64)] == [3, 5, 9, settings["MAX_WORKERS"]]
    assert settings["workers"] == formula(os.cpu_count() or 1)
    assert _settings(monkeypatch, WEB_CONCURRENCY="3")["workers"] == 3
    assert 10 <= settings["timeout"] <= 60


def test_gunicorn_access_log_has_method_and_path_but_no_query_or_client(monkeypatch):
    log_format = _settings(monkeypatch)["access_log_format"]
    assert "%(m)s" in log_format and "%(U)s" in log_format
    for atom in ("%(q)s", "%(r)s", "%(h)s", "%({", "%(f)s", "%(a)s"):
        assert atom not in log_format


def test_gunicorn_error_lines_lose_query_strings_and_addresses(monkeypatch):
    settings = _settings(monkeypatch)
    logger = settings["RedactingLogger"](GunicornConfig())
    seen: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(record.getMessage())
    logger.error_log.addHandler(handler)
    try:
        logger.error("Error handling request %s %s", "GET", "/kota-a/admin/pegawai?q=196512311990031001")
        logger.warning("Invalid request from ip=10.1.2.3: Invalid HTTP request line: 'GET /x?nip=1 HTTP/9'")
    finally:
        logger.error_log.removeHandler(handler)
    assert seen[0] == "Error handling request GET /kota-a/admin/pegawai"
    assert "10.1.2.3" not in seen[1] and "nip=1" not in seen[1]


def test_each_instance_has_its_own_control_socket(monkeypatch):
    first = _settings(monkeypatch, PORT="8001")["control_socket"]
    second = _settings(monkeypatch, PORT="8002")["control_socket"]
    assert first != second and first.endswith(".ctl")
    assert _settings(monkeypatch, GUNICORN_CONTROL_SOCKET="/run/kinerja/a.ctl")["control_socket"] == "/run/kinerja/a.ctl"
    assert _settings(monkeypatch, GUNICORN_CONTROL_SOCKET="off")["control_socket_disable"] is True


def test_post_fork_drops_the_masters_pool(app, monkeypatch):
    post_fork = _settings(monkeypatch)["post_fork"]
    with app.app_context():
        engine = db.engine
        before = engine.pool
    post_fork(None, SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app)))
    assert engine.pool is not before
    post_fork(None, SimpleNamespace(app=SimpleNamespace(wsgi=lambda: lambda environ, start: [])))  # a bare app
