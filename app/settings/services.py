"""Saving a new version of a tenant's settings, and reading their history.

A version holds the tenant's complete overrides (the rule set's schema fields
that differ from the rule set's own values). It takes effect from a date —
the first day of the period chosen in the editor — and is never edited
afterwards; ``app.tenancy.current.tenant_rules(on=...)`` picks the version in
force on a day. Finished evaluations keep the snapshot they were frozen with;
open ones follow the explicit "terapkan ulang aturan" action.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from app import audit
from app.errors import Invalid
from app.extensions import db
from app.periods.models import Period
from app.regions.settings import SettingsError, effective_settings
from app.tenancy import tenant, tenant_rules, utc_now
from app.tenancy.current import forget_settings_cache, settings_overrides
from app.tenancy.models import SettingsVersion


def history() -> list[SettingsVersion]:
    """Every version of the current tenant's settings, newest first."""
    return list(db.session.scalars(
        select(SettingsVersion).order_by(SettingsVersion.effective_from.desc(), SettingsVersion.number.desc())))


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(setting, value before, value after) for every setting in force that changes."""
    return [(name, before.get(name), after.get(name))
            for name in sorted(set(before) | set(after)) if before.get(name) != after.get(name)]


def validate(overrides: dict[str, Any]) -> dict[str, Any]:
    """Every setting in force under ``overrides``; raises ``Invalid`` naming the field."""
    try:
        return effective_settings(tenant_rules().rule_set, overrides)
    except SettingsError as exc:
        field, messages = next(iter(exc.problems.items()))
        raise Invalid(_("Pengaturan tidak valid: %(detail)s", detail=exc.detail), field=field) from exc


def save_version(overrides: dict[str, Any], *, effective_from: date, period: Period | None = None,
                 note: str | None = None, source: str = "editor", actor_id: int | None = None) -> SettingsVersion:
    """Validate ``overrides`` against the tenant's rule set and record them as a
    new version in force from ``effective_from`` (a period's first day when
    ``period`` is given). Audited. Raises ``Invalid`` for bad settings or when
    nothing would change on that day."""
    if period is not None:
        effective_from = period.starts_on
    row = tenant()
    validate(overrides)
    before = settings_overrides(row, effective_from)
    clean = {k: v for k, v in overrides.items() if v is not None}
    if clean == {k: v for k, v in before.items() if v is not None}:
        raise Invalid(_("Tidak ada pengaturan yang berubah."))
    number = (db.session.scalar(select(func.max(SettingsVersion.number))) or 0) + 1
    version = SettingsVersion(number=number, settings=clean, effective_from=effective_from,
                              period_id=period.id if period is not None else None, note=note,
                              source=source, created_by_id=actor_id, created_at=utc_now())
    db.session.add(version)
    db.session.flush()
    forget_settings_cache()
    audit.record("settings.version", version, None, after={
        "number": number, "effective_from": effective_from.isoformat(), "source": source,
        "changes": {name: [old, new] for name, old, new in diff(before, clean)}}, reason=note)
    return version
