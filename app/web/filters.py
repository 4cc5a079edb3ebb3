"""Template filters every page uses: labels of statuses, dates, times and counts.

Dates and times are formatted by Flask-Babel for the UI language; stored
timestamps (naive UTC) are shown in the tenant's time zone (``app.i18n``
selects it), never as ISO strings or with a "UTC" suffix.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_babel import format_date, format_datetime, format_number

_labels: dict[tuple[type, Any], Any] = {}


def register_labels(labels: Mapping[enum.Enum, Any]) -> None:
    """Make ``|status_label`` show these labels (lazy strings) for these enum members."""
    _labels.update({(type(member), member): label for member, label in labels.items()})


def status_label(value: Any) -> str:
    if value is None:
        return "—"
    label = _labels.get((type(value), value))
    return str(label) if label is not None else str(value)


def tanggal(value: date | datetime | None) -> str:
    """A date as people write it here: 02-12-2026 (a timestamp: its local date)."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return format_datetime(value, "dd-MM-yyyy")
    return format_date(value, "dd-MM-yyyy")


def waktu(value: datetime | None) -> str:
    """A stored timestamp in the tenant's zone: 02-12-2026 14:05."""
    return format_datetime(value, "dd-MM-yyyy HH:mm") if value is not None else "—"


def angka(value: int | None) -> str:
    """A whole number with the UI language's grouping: 10.000 (English: 10,000)."""
    return format_number(value) if value is not None else "—"


def init_filters(app: Flask) -> None:
    app.add_template_filter(status_label, "status_label")
    app.add_template_filter(tanggal, "tanggal")
    app.add_template_filter(waktu, "waktu")
    app.add_template_filter(angka, "angka")
