"""Application logging: one line per event, to standard error, in gunicorn's shape.

Without this, the application's records (``app.*``) reached Python's bare
last-resort handler: no time, no level, no process. Lines name the request
by id, method and path — never its query string (search boxes carry names
and NIPs), never a statement's parameters (``hide_parameters`` in
app/database.py). An operator who configures logging (a root handler, or
gunicorn's ``logconfig_dict``) keeps it: this only fills the gap.
"""

from __future__ import annotations

import logging
import sys

from flask import Flask

FORMAT = "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S %z"


def init_logging(app: Flask) -> None:
    logger = logging.getLogger(app.import_name)  # "app": Flask's app.logger and every app.* module
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    if logging.getLogger().handlers or any(getattr(h, "_kinerja", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT, DATE_FORMAT))
    handler._kinerja = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
