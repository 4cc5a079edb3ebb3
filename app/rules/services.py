"""What the "Aturan penilaian" page shows, read from the rule set in force and
the tenant's settings — never written per region.

``rules_page(user)`` gathers everything the template prints: the rule set's
name, code and version; the periods of the current year with their deadlines;
the indicator library for the reader's unit and position; the weights; how
realisation becomes capaian and nilai; the bands or the predikat matrix; the
distribution curve; the objection window; the annual result; training; the
settings in force (each marked as the region's default or the tenant's own)
and the history of settings versions. Every enum value is turned into a label
(``app.rules.labels``); a number is shown with ``num``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.org.hierarchy import unit_and_ancestors
from app.org.models import Position
from app.periods.models import Period, PeriodKind
from app.regions.periods import periods_in_year
from app.regions.settings import TenantSettingsSchema, effective_settings
from app.regions.types import (
    Band,
    Component,
    ComponentSource,
    CurveSegment,
    Indicator,
    MatrixScheme,
    NumericScheme,
    RuleSet,
    TrainingRule,
)
from app.rules import labels as L
from app.settings.services import history_rows
from app.skp.objections.services import decision_days
from app.skp.planning.labels import ASPECT_LABELS, DIRECTION_LABELS
from app.skp.planning.models import IndicatorAssignment
from app.skp.planning.sectors import library_for, sector_of
from app.tenancy import tenant, tenant_rules, tenant_today


def num(value: float | int | None) -> str:
    """A number as the page prints it: no trailing zeros (``60``, ``76.61``)."""
    return "—" if value is None else f"{float(value):g}"


def percent(share: float) -> str:
    """A share 0–1 as a percentage (``0.7`` → ``70%``)."""
    return f"{share * 100:g}%"


# --- the page's parts ---------------------------------------------------------------

@dataclass(frozen=True)
class PeriodRow:
    label: str
    starts_on: date
    ends_on: date
    plans_lock_on: date | None
    evaluation_due_on: date | None
    is_year: bool


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    sector: str
    unit: str
    aspect: str
    direction: str
    target: str
    programme: str


@dataclass(frozen=True)
class SettingRow:
    name: str
    description: str
    value: str
    default: str
    overridden: bool


@dataclass(frozen=True)
class Change:
    description: str
    before: str
    after: str


@dataclass(frozen=True)
class VersionRow:
    number: int
    effective_from: date
    created_at: Any
    who: str
    source: str
    note: str
    changes: tuple[Change, ...]
    in_force: bool
    upcoming: bool


@dataclass
class RulesPage:
    rule_set: RuleSet
    year: int
    period_scheme: str
    scheme_periods: list[str]
    periods: list[PeriodRow]
    sector: str | None
    own_indicators: list[IndicatorRow]
    other_indicators: list[IndicatorRow]
    assigned: list[IndicatorRow]
    qualitative: bool
    qualitative_kinds: list[str]
    components: list[tuple[str, str, str]]  # name, weight, where its value comes from
    rater_weights: list[tuple[str, str]]
    curve: list[tuple[str, str]]  # capaian range, nilai
    bands: list[tuple[str, str, bool]]  # label, range, needs innovation
    matrix: dict[str, Any] | None
    distribution: dict[str, Any]
    objection_days: int
    objection_decision_days: int
    annual: str
    annual_explained: str
    training_hours: str
    training_component: str | None
    training_rules: list[tuple[str, str]]
    settings: list[SettingRow]
    in_force: VersionRow | None
    in_force_since: Any
    history: list[VersionRow] = field(default_factory=list)

    @property
    def numeric(self) -> bool:
        return isinstance(self.rule_set.scheme, NumericScheme)


# --- periods --------------------------------------------------------------------------

def _periods(year: int) -> list[PeriodRow]:
    rows = db.session.scalars(select(Period).where(Period.year == year)).all()
    rows = sorted(rows, key=lambda p: (p.kind is not PeriodKind.YEAR, p.starts_on))
    return [PeriodRow(p.label, p.starts_on, p.ends_on, p.plans_lock_on, p.evaluation_due_on,
                      p.kind is PeriodKind.YEAR) for p in rows]


# --- the indicator library ----------------------------------------------------------------

def _indicator_row(ind: Indicator) -> IndicatorRow:
    target = f"{ind.target} {ind.unit}" if ind.target is not None else "—"
    return IndicatorRow(ind.code, ind.name, ind.sector.capitalize(), ind.unit,
                        L.label(ASPECT_LABELS, ind.aspect), L.label(DIRECTION_LABELS, ind.direction),
                        target, ind.programme)


def _assigned(rs: RuleSet, position: Position | None, year: int) -> list[IndicatorRow]:
    """The indicators the admin's indicator sets give the reader's position or unit this year."""
    if position is None:
        return []
    year_ids = select(Period.id).where(Period.year == year, Period.kind == PeriodKind.YEAR)
    units = unit_and_ancestors(position.unit)
    sets = db.session.scalars(
        select(IndicatorAssignment).where(
            IndicatorAssignment.period_id.in_(year_ids),
            IndicatorAssignment.unit_id.in_(units) | (IndicatorAssignment.position_id == position.id))
        .order_by(IndicatorAssignment.id)).all()
    codes = list(dict.fromkeys(code for s in sets for code in s.indicator_codes))
    return [_indicator_row(ind) for ind in (rs.indicator(c) for c in codes) if ind is not None]


# --- capaian, nilai, bands and the matrix -------------------------------------------------------

def _segment(seg: CurveSegment) -> tuple[str, str]:
    if seg.upper is None:
        where = _("capaian ≥ %(lower)s%%", lower=num(seg.lower))
    else:
        upper = "≤" if seg.include_upper else "<"
        where = _("%(lower)s%% ≤ capaian %(op)s %(upper)s%%", lower=num(seg.lower), op=upper,
                  upper=num(seg.upper))
    if seg.x1 == seg.x0 or seg.y1 == seg.y0:
        return where, _("nilai = %(value)s", value=num(seg.y0))
    if seg.x0 == 0 and seg.y0 == 0:
        return where, _("nilai = capaian / %(x1)s × %(y1)s", x1=num(seg.x1), y1=num(seg.y1))
    return where, _("nilai = %(y0)s + (%(y1)s − %(y0)s) / (%(x1)s − %(x0)s) × (capaian − %(x0)s)",
                    y0=num(seg.y0), y1=num(seg.y1), x0=num(seg.x0), x1=num(seg.x1))


def band_range(band: Band, what: str) -> str:
    lower = "≤" if band.include_lower else "<"
    upper = "≤" if band.include_upper else "<"
    return f"{num(band.lower)} {lower} {what} {upper} {num(band.upper)}"


def _matrix(scheme: MatrixScheme) -> dict[str, Any]:
    names = {p.code: p.label for p in scheme.predikat}
    order = list(L.EXPECTATION)  # di atas, sesuai, di bawah
    cells = {(c.hasil_kerja, c.perilaku): names.get(c.predikat, "—") for c in scheme.cells}
    rows = [(L.label(L.EXPECTATION, h), [cells.get((h, p), "—") for p in order]) for h in order]
    return {
        "columns": [L.label(L.EXPECTATION, p) for p in order],
        "rows": rows,
        "predikat": [(p.rank, p.label) for p in sorted(scheme.predikat, key=lambda p: p.rank)],
        "suggestion": [(L.label(L.EXPECTATION, b.code), band_range(b, _("rata-rata nilai IKI")))
                       for b in scheme.hasil_kerja_rating_bands],
    }


def predikat_labels(rs: RuleSet) -> dict[str, str]:
    scheme = rs.scheme
    entries = getattr(scheme, "predikat", None) or getattr(scheme, "bands", None) or ()
    return {e.code: e.label for e in entries}


def _distribution(rs: RuleSet) -> dict[str, Any]:
    names = predikat_labels(rs)
    quotas = []
    for quota in rs.distribution.quotas:
        rules = []
        for rule in quota.rules:
            who = " / ".join(names.get(code, L.label(L.ORGANISATION_PREDIKAT, code)) for code in rule.predikat)
            if rule.at_most is not None:
                rules.append(_("%(who)s paling banyak %(share)s", who=who, share=percent(rule.at_most)))
            if rule.at_least is not None:
                rules.append(_("%(who)s paling sedikit %(share)s", who=who, share=percent(rule.at_least)))
            if rule.at_least_count is not None:
                rules.append(_("%(who)s paling sedikit %(count)s orang", who=who, count=rule.at_least_count))
        quotas.append((L.label(L.ORGANISATION_PREDIKAT, quota.organisation_predikat), rules))
    return {"mode": L.label(L.DISTRIBUTION_MODE, rs.distribution.mode),
            "mode_value": rs.distribution.mode.value,
            "rounding": L.label(L.ROUNDING, rs.distribution.rounding),
            "quotas": quotas}


def _annual_explained(rs: RuleSet) -> str:
    how = rs.annual_aggregation.value
    if isinstance(rs.scheme, MatrixScheme):
        return {
            "mean": _("Peringkat predikat setiap periode dirata-ratakan dan dibulatkan ke atas (ke arah predikat "
                      "yang lebih rendah); peringkat itu menjadi predikat tahunan."),
            "last": _("Predikat periode terakhir menjadi predikat tahunan, karena periode itu dinilai terhadap "
                      "SKP tahunan seluruhnya."),
            "lowest": _("Predikat periodik yang paling rendah menjadi predikat tahunan."),
        }[how]
    return {
        "mean": _("Nilai kinerja setiap periode dirata-ratakan (dibulatkan dua desimal), lalu rata-rata itu "
                  "menentukan predikat tahunan menurut rentang predikat."),
        "last": _("Nilai kinerja periode terakhir menjadi nilai tahunan, lalu menentukan predikat tahunan."),
        "lowest": _("Nilai kinerja periodik yang paling rendah menjadi nilai tahunan, lalu menentukan predikat "
                    "tahunan."),
    }[how]


def _training_rule(rs: RuleSet, rule: TrainingRule) -> tuple[str, str]:
    reasons = []
    indicators = [i.name for i in (rs.indicator(c) for c in rule.indicators) if i is not None]
    if indicators:
        reasons.append(_("nilai indikator %(names)s di bawah %(nilai)s", names="; ".join(indicators),
                         nilai=num(rule.below_nilai)))
    behaviours = [b.name for b in (rs.behaviour(c) for c in rule.behaviours) if b is not None]
    if behaviours:
        reasons.append(_("perilaku %(names)s di bawah ekspektasi atau bernilai di bawah %(nilai)s",
                         names=", ".join(behaviours), nilai=num(rule.below_nilai)))
    components = [c.name for c in rs.components if c.code in rule.components]
    if components:
        reasons.append(_("komponen %(names)s di bawah %(nilai)s", names=", ".join(components),
                         nilai=num(rule.below_nilai)))
    return rule.name, _(" atau ").join(reasons) or "—"


def _source(rs: RuleSet, component: Component) -> str:
    if component.source is ComponentSource.PERILAKU and rs.rater_weights:
        return _("gabungan penilaian perilaku 360° menurut bobot penilai di bawah")
    return L.label(L.COMPONENT_SOURCE, component.source)


# --- settings ---------------------------------------------------------------------------------

def _schema(rs: RuleSet):
    return (rs.settings_schema or TenantSettingsSchema)()


def _description(name: str, text: str) -> str:
    """The schema's description with any choice code put into words ("off, warn atau block")."""
    choices = L.SETTING_CHOICES.get(name)
    for value, label in (choices or {}).items():
        code = re.escape(getattr(value, "value", value))
        text = re.sub(rf"(?<![\w-]){code}\s*\([^)]*\)", str(label), text)
        text = re.sub(rf"(?<![\w-]){code}(?![\w-])", str(label), text)
    return text


def show_setting(rs: RuleSet, name: str, value: Any) -> str:
    """A setting's value in words."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if name in L.SETTING_CHOICES:
        return L.label(L.SETTING_CHOICES[name], value)
    if name == "weights" and isinstance(value, Mapping):
        names = {c.code: c.name for c in rs.components}
        return ", ".join(f"{names.get(k, '—')} {num(v)}%" for k, v in value.items())
    if name == "rater_weights" and isinstance(value, Mapping):
        return ", ".join(f"{L.label(L.RATER, k)} {num(v)}%" for k, v in value.items())
    if isinstance(value, int | float):
        return num(value)
    if isinstance(value, Sequence) and not isinstance(value, str):
        names = {**{k: str(v) for k, v in L.ORGANISATION_PREDIKAT.items()}, **predikat_labels(rs)}
        return ", ".join(names.get(str(v), str(v)) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k} {show_setting(rs, '', v)}" for k, v in value.items())
    return str(value)


def _applies(rs: RuleSet, name: str) -> bool:
    if name == "weights":
        return bool(rs.components)
    if name == "rater_weights":
        return bool(rs.rater_weights)
    return True


def _setting_rows(base: RuleSet, rs: RuleSet, in_force: Mapping[str, Any]) -> list[SettingRow]:
    defaults = effective_settings(base, {})
    rows = []
    for name, schema_field in _schema(base).fields.items():
        if not _applies(base, name):
            continue
        value, default = in_force.get(name), defaults.get(name)
        rows.append(SettingRow(name, _description(name, schema_field.metadata.get("description", "")),
                               show_setting(rs, name, value), show_setting(base, name, default),
                               value != default))
    return rows


def _people(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    users = db.session.scalars(select(User).where(User.id.in_(ids))).all()
    return {u.id: (u.employee.name if u.employee is not None else u.username) for u in users}


def _history(base: RuleSet, today: date) -> list[VersionRow]:
    """The versions with their changes as the settings editor computes them (``history_rows``)."""
    history = history_rows()
    descriptions = {name: _description(name, f.metadata.get("description", "")) or name
                    for name, f in _schema(base).fields.items()}
    who = _people({v.created_by_id for v, _changes in history if v.created_by_id is not None})
    in_force = next((v for v, _changes in history if v.effective_from <= today), None)
    rows = []
    for version, changed in history:
        changes = tuple(Change(descriptions.get(name, name), show_setting(base, name, old),
                               show_setting(base, name, new)) for name, old, new in changed)
        rows.append(VersionRow(
            version.number, version.effective_from, version.created_at,
            who.get(version.created_by_id, _("Sistem")) if version.created_by_id else _("Sistem"),
            L.label(L.VERSION_SOURCE, version.source), version.note or "", changes,
            version is in_force, version.effective_from > today))
    return rows


# --- the page ---------------------------------------------------------------------------------

def rules_page(user: User) -> RulesPage:
    """Everything the rules page shows for ``user`` (the library follows their unit and position)."""
    row = tenant()
    today = tenant_today(row)
    runtime = tenant_rules(row, today)
    rs = runtime.rule_set
    base = runtime.registry.get(rs.code) or rs
    year = today.year

    position = user.employee.position if user.employee is not None else None
    unit = position.unit if position is not None else None
    own, others = library_for(unit, rs)
    sector = sector_of(unit, rs.sectors) if unit is not None else None

    scheme = rs.scheme
    bands: list[tuple[str, str, bool]] = []
    if isinstance(scheme, NumericScheme):
        ordered = sorted(scheme.bands, key=lambda b: (-b.upper, -b.lower))
        bands = [(b.label, band_range(b, _("nilai kinerja")), b.requires_innovation) for b in ordered]

    training_component = next((c.name for c in rs.components if c.source is ComponentSource.PELATIHAN), None)
    version_rows = _history(base, today)
    current = next((v for v in version_rows if v.in_force), None)

    return RulesPage(
        rule_set=rs,
        year=year,
        period_scheme=L.label(L.PERIOD_SCHEME, rs.period_scheme),
        scheme_periods=[p.label for p in periods_in_year(rs.period_scheme, year)],
        periods=_periods(year),
        sector=sector.capitalize() if sector else None,
        own_indicators=[_indicator_row(i) for i in own],
        other_indicators=[_indicator_row(i) for i in others],
        assigned=_assigned(rs, position, year),
        qualitative=position is not None and position.kind.value in rs.qualitative_position_kinds,
        qualitative_kinds=[L.label(L.POSITION_KIND, k) for k in rs.qualitative_position_kinds],
        components=[(c.name, num(c.weight), _source(rs, c)) for c in rs.components],
        rater_weights=[(L.label(L.RATER, r), num(w)) for r, w in rs.rater_weights],
        curve=[_segment(s) for s in rs.achievement_curve.segments] if rs.achievement_curve else [],
        bands=bands,
        matrix=_matrix(scheme) if isinstance(scheme, MatrixScheme) else None,
        distribution=_distribution(rs),
        objection_days=rs.objection_window_days,
        objection_decision_days=decision_days(),
        annual=L.label(L.ANNUAL_AGGREGATION, rs.annual_aggregation),
        annual_explained=_annual_explained(rs),
        training_hours=num(rs.required_training_hours),
        training_component=training_component,
        training_rules=[_training_rule(rs, r) for r in rs.training],
        settings=_setting_rows(base, rs, runtime.settings),
        in_force=current,
        in_force_since=current.effective_from if current else row.created_at,
        history=version_rows,
    )


__all__ = ["RulesPage", "band_range", "num", "percent", "predikat_labels", "rules_page", "show_setting"]
