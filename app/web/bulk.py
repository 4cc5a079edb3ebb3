"""Bulk actions: one service call per row, each in its own transaction.

A penilai who agrees ten plans or finalises a team's evaluations gets every
row that may go through, and for each refused row the service's own
message (its blocker), as a list of per-row results. Each row commits or
rolls back alone, so one refusal never undoes its neighbours and the audit
chain and pending mail of a refused row go with its rollback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.errors import DomainError
from app.extensions import db
from app.regions.errors import PluginRuntimeError
from app.regions.scoring import ScoringInputError
from app.web.errors import duplicate_message, out_of_range_message, stale_message

log = logging.getLogger(__name__)

MAX_ROWS = 200  # a bulk form never carries more (a team, a unit's plans)


@dataclass(frozen=True)
class RowResult:
    """What happened to one row: ``done`` or refused with ``message``; ``url`` the row's page."""

    label: str
    done: bool
    message: str
    url: str | None = None


@dataclass(frozen=True)
class Row:
    """One row to act on: a label and link read before acting, and the action.
    ``action`` returns the success message (or None for ``done_message``);
    a row with ``refusal`` is reported refused without acting (a ticked id
    that is not the user's to act on, or no longer waiting)."""

    label: str
    action: Callable[[], str | None] | None
    url: str | None = None
    refusal: str | None = None


def refused(label: str, message: str) -> Row:
    return Row(label, None, refusal=message)


def rules_unavailable_message() -> str:
    return _("Aturan daerah gagal memproses baris ini. Kesalahan telah dicatat; coba lagi nanti atau "
             "hubungi operator platform.")


def run_each(rows: Iterable[Row], done_message: str) -> list[RowResult]:
    """Run every row's action in its own transaction; the per-row results in order."""
    results = []
    for row in rows:
        if row.refusal is not None or row.action is None:
            results.append(RowResult(row.label, False, row.refusal or "", row.url))
            continue
        try:
            message = row.action()
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            results.append(RowResult(row.label, False, str(exc.message) or stale_message(), row.url))
            continue
        except StaleDataError:
            db.session.rollback()
            results.append(RowResult(row.label, False, stale_message(), row.url))
            continue
        except IntegrityError:
            db.session.rollback()
            results.append(RowResult(row.label, False, duplicate_message(), row.url))
            continue
        except DataError:
            db.session.rollback()
            results.append(RowResult(row.label, False, out_of_range_message(), row.url))
            continue
        except (PluginRuntimeError, ScoringInputError) as exc:
            # The region's rules could not score this row: the rows before it stay done and
            # are reported; this one is refused.
            db.session.rollback()
            log.error("Bulk action row refused by the region's rules: %s", type(exc).__name__)
            results.append(RowResult(row.label, False, rules_unavailable_message(), row.url))
            continue
        results.append(RowResult(row.label, True, message or done_message, row.url))
    return results


def selected_ids(values: Iterable[str]) -> list[int]:
    """The ids ticked in a bulk form: positive integers only, each once, at most ``MAX_ROWS``."""
    ids: list[int] = []
    for value in values:
        value = (value or "").strip()
        if value.isascii() and value.isdigit() and len(value) < 10:
            number = int(value)
            if 0 < number < 2**31 and number not in ids:
                ids.append(number)
        if len(ids) >= MAX_ROWS:
            break
    return ids
