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
from app.regions.manager import RuleSetRuntime, regions
from app.regions.settings import SettingsError, effective_settings
from app.regions.types import RuleSet
from app.tenancy import tenant, tenant_rules, tenant_today, utc_now
from app.tenancy.current import forget_settings_cache, settings_overrides
from app.tenancy.models import SettingsVersion


def rules_for_period(period: Period) -> RuleSetRuntime:
    """The rules a period is scored with: those in force on its first day."""
    return tenant_rules(on=period.starts_on)


def own_rule_set() -> RuleSet:
    """The tenant's rule set as the region ships it (no settings applied)."""
    rule_set = regions().get(tenant().rule_set_code)
    return rule_set if rule_set is not None else tenant_rules().rule_set


def open_periods() -> list[Period]:
    """The tenant's periods that have not ended, the ones a new version may start from."""
    return list(db.session.scalars(
        select(Period).where(Period.ends_on >= tenant_today()).order_by(Period.starts_on, Period.kind)))


def next_version_after(day: date) -> date | None:
    """The first day after ``day`` on which a later version takes over, if any."""
    return db.session.scalar(select(func.min(SettingsVersion.effective_from))
                             .where(SettingsVersion.effective_from > day))


def in_force_on(day: date) -> dict[str, Any]:
    """Every setting in force on ``day`` (the rule set's values with the overrides)."""
    return effective_settings(own_rule_set(), settings_overrides(tenant(), day))


def history_rows() -> list[tuple[SettingsVersion, list[tuple[str, Any, Any]]]]:
    """Each version (newest first) with what it changed against the version
    in force the day before it took effect (among the versions saved before it)."""
    versions = history()
    rule_set = own_rule_set()
    base = dict(tenant().settings or {})
    rows = []
    for version in versions:
        earlier = [v for v in versions if v.number < version.number and v.effective_from <= version.effective_from]
        previous = max(earlier, key=lambda v: (v.effective_from, v.number), default=None)
        before = previous.settings if previous is not None else base
        rows.append((version, diff(_effective_or_raw(rule_set, before), _effective_or_raw(rule_set, version.settings))))
    return rows


def _effective_or_raw(rule_set: RuleSet, overrides: dict[str, Any]) -> dict[str, Any]:
    try:
        return effective_settings(rule_set, overrides)
    except SettingsError:  # a version saved under an older schema: show what was stored
        return dict(overrides or {})


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
        return effective_settings(own_rule_set(), overrides)  # the region's values, not today's overrides
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
