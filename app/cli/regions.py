"""``flask regions list|show|check|score|new``: the installed region plugins."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from app.regions.cases import CaseError, score_case
from app.regions.errors import PluginRuntimeError, RuleSetUnavailable
from app.regions.manager import regions
from app.regions.periods import periods_in_year
from app.regions.scoring import ScoringInputError
from app.regions.settings import SettingsError, settings_fields
from app.regions.starter import StarterError, new_region
from app.regions.types import Band, MatrixScheme, NumericScheme

regions_cli = AppGroup("regions", help="Inspect, check and create region plugins (rule sets).")


@regions_cli.command("list")
def list_command() -> None:
    """Every installed rule set with its plugin, version and scheme."""
    registry = regions()
    click.echo(f"{'code':<14} {'version':<8} {'plugin':<14} {'periods':<10} {'scheme':<8} name")
    for code, rs in sorted(registry.rule_sets.items()):
        scheme = rs.scheme.kind if rs.scheme else "-"
        click.echo(f"{code:<14} {rs.version:<8} {registry.owners[code]:<14} "
                   f"{rs.period_scheme.value:<10} {scheme:<8} {rs.name}")
    for fault in registry.faults:
        click.echo(f"BROKEN {fault}")


@regions_cli.command("show")
@click.argument("code")
def show_command(code: str) -> None:
    """Everything a rule set supplies."""
    registry = regions()
    rs = registry.get(code)
    if rs is None:
        raise click.ClickException(str(registry.unavailable_error(code)))
    click.echo(f"{rs.name} ({rs.code} {rs.version}, plugin {registry.owners[code]})")
    if rs.description:
        click.echo(rs.description)
    _section("Legal basis", rs.legal_basis)
    _section("Real rules", rs.real_rules)
    _section("Defaults a tenant can change", rs.defaults)
    click.echo(f"\nPeriods: {', '.join(p.label for p in periods_in_year(rs.period_scheme, 2026))}; "
               f"annual result: {rs.annual_aggregation.value}")
    click.echo(f"\nIndicators ({len(rs.indicators)}):")
    for i in rs.indicators:
        target = f"target {i.target} {i.unit}" if i.target else i.unit
        programme = f" [{i.programme}]" if i.programme else ""
        click.echo(f"  {i.code:<12} {i.sector:<12} {i.aspect.value:<9} {i.direction.value:<6} "
                   f"{i.name} ({target}){programme}")
    _section("Behaviours", [f"{b.code}: {b.name}" for b in rs.behaviours])
    if isinstance(rs.scheme, MatrixScheme):
        _section("Predikat matrix (hasil kerja × perilaku)",
                 [f"{c.hasil_kerja.value} × {c.perilaku.value} → {c.predikat}" for c in rs.scheme.cells])
        _section("Hasil kerja rating suggested from the mean IKI nilai",
                 [_band(b, "nilai IKI") for b in rs.scheme.hasil_kerja_rating_bands])
    elif isinstance(rs.scheme, NumericScheme):
        _section("Components", [f"{c.code}: {c.name} {c.weight:g}% ({c.source.value})" for c in rs.components])
        if rs.rater_weights:
            _section("360° rater weights", [f"{r.value} {w:g}%" for r, w in rs.rater_weights])
        _section("Bands (nilai kinerja; ≤ includes the end, < excludes it)",
                 [_band(b) + (" + inovasi" if b.requires_innovation else "") for b in rs.scheme.bands])
    click.echo(f"\nDistribution curve: {rs.distribution.mode.value}; objection window: "
               f"{rs.objection_window_days} days")
    _section("Training", [f"{t.code}: {t.name}" for t in rs.training])
    _section("Report formats", [f"{f.code}: {f.name} ({f.media_type}, {f.audience.value})"
                                for f in rs.report_formats])
    _section("Settings (default)", [f"{name} = {default!r}  {desc}" for name, default, desc in settings_fields(rs)])


def _band(band: Band, what: str = "nilai") -> str:
    lower = "≤" if band.include_lower else "<"
    upper = "≤" if band.include_upper else "<"
    return f"{band.label}: {band.lower:g} {lower} {what} {upper} {band.upper:g}"


def _section(title: str, lines) -> None:
    if lines:
        click.echo(f"\n{title}:")
        for line in lines:
            click.echo(f"  {line}")


@regions_cli.command("check")
def check_command() -> None:
    """Run the conformance kit on every installed rule set; report broken plugins."""
    from app.regions.conformance import (  # pytest and pypdf: not at start-up
        check_hooks,
        check_rule_set,
    )

    registry = regions()
    failed = bool(registry.faults)
    for fault in registry.faults:
        click.echo(f"FAIL {fault}")
    for code in sorted(registry.rule_sets):
        problems = check_rule_set(registry.rule_sets[code]) + check_hooks(registry, code)
        if problems:
            failed = True
            click.echo(f"FAIL {code} ({registry.owners[code]})")
            for problem in problems:
                click.echo(f"  - {problem}")
        else:
            click.echo(f"ok   {code} {registry.rule_sets[code].version} ({registry.owners[code]})")
    if failed:
        raise SystemExit(1)


@regions_cli.command("score")
@click.argument("code")
@click.option("--input", "case_file", required=True, type=click.File(encoding="utf-8"),
              help="A case as JSON: one EvaluationInput, or {\"periods\": [...], \"has_innovation\": false}.")
@click.option("--settings", "settings_file", type=click.File(encoding="utf-8"), default=None,
              help="Tenant settings as JSON (what an onboarding file's [settings] holds).")
def score_command(code: str, case_file, settings_file) -> None:
    """Score a case as a tenant of rule set CODE would, printing every step."""
    try:
        case = json.load(case_file)
        settings = json.load(settings_file) if settings_file else None
        scored = score_case(code, case, settings, registry=regions())
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"Not JSON: {exc}") from exc
    except (CaseError, SettingsError, ScoringInputError, RuleSetUnavailable, PluginRuntimeError) as exc:
        raise click.ClickException(str(exc)) from exc
    for line in scored.lines():
        click.echo(line)


@regions_cli.command("new")
@click.argument("code")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Where to create the package folder.")
@click.option("--name", default=None, help="Display name, e.g. 'Kabupaten Contoh'.")
def new_command(code: str, directory: Path, name: str | None) -> None:
    """Create a starter region plugin package kinerja-region-CODE."""
    try:
        root = new_region(code, directory, name)
    except StarterError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"created {root}\n  pip install -e '{root}[test]' && pytest {root}")
