"""The references of `make bench`, served by the same gunicorn.conf.py as the app.

``/``: the issue's reference, a one-route Flask app answering a constant string.

``/floor``: the least a database-backed page of any Flask application does —
one indexed query through a SQLAlchemy connection pool (with the app's
``pool_pre_ping``) to the same database, and a Jinja template of about the
size of the app's ``base.html`` chrome rendered with its rows. No sessions,
no CSRF, no ORM: what is left when everything the app adds is taken away.
Comparing a page with both says how much is the framework's floor and how
much is the app's own work.

    gunicorn -c gunicorn.conf.py bench.bare:app
"""

import os

from flask import Flask, render_template_string
from sqlalchemy import create_engine, text

app = Flask(__name__)
_engine = None

_PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{{ title }}</title>
<link rel="stylesheet" href="/static/app.css"></head>
<body><header><nav>{% for item in nav %}<a href="{{ item.href }}">{{ item.label }}</a>{% endfor %}</nav></header>
<main><h1>{{ title }}</h1>
<table><thead><tr><th>Id</th><th>Nama</th></tr></thead><tbody>
{% for row in rows %}<tr><td>{{ row.id }}</td><td>{{ row.name }}</td></tr>{% endfor %}
</tbody></table></main><footer>{{ title }}</footer></body></html>"""
_NAV = [{"href": f"/menu/{i}", "label": f"Menu {i}"} for i in range(8)]


def _database():
    global _engine  # noqa: PLW0603 - one pool per worker, made on first use (after the fork)
    if _engine is None:
        url = os.environ.get("DATABASE_URL") or "sqlite:///instance/bench.db"
        for prefix in ("postgres://", "postgresql://"):  # as app.config does, without importing the app
            if url.startswith(prefix):
                url = "postgresql+psycopg://" + url[len(prefix):]
        _engine = create_engine(url, pool_pre_ping=True)
    return _engine


@app.route("/")
def hello() -> str:
    return "Hello, World!"


@app.route("/floor")
def floor() -> str:
    with _database().connect() as conn:
        rows = conn.execute(text("SELECT id, name FROM tenant ORDER BY id LIMIT 10")).mappings().all()
    return render_template_string(_PAGE, title="Lantai", nav=_NAV, rows=rows)
