"""Finding, importing and registering region plugins — and saying exactly
which one is broken and why, in one line.

Every fault becomes a ``PluginFault``: the plugin's name (its entry-point
name; for a plugin object handed in directly, its ``__name__``), the package
that installed it where that helps, and the fault. The registry either
refuses to start with them (strict) or records them and keeps the healthy
rule sets serving (degraded); see ``app.regions.manager``.
"""

from __future__ import annotations

import difflib
import re
import traceback
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points

import pluggy
from flask import Flask

from app.regions import defaults, hookspecs
from app.regions.compat import DEFAULT_RANGE, RANGE_ATTRIBUTE, range_problem

ENTRY_POINT_GROUP = "kinerja.regions"
HOOK_NAMES = tuple(name for name in vars(hookspecs) if name.startswith(f"{hookspecs.PROJECT}_"))


@dataclass(frozen=True)
class PluginFault:
    """Why one plugin (or one of its rule sets) cannot serve."""

    plugin: str
    fault: str
    package: str | None = None  # "kinerja-region-contoh 0.1.0", for faults found while installing/importing
    rule_set_codes: tuple[str, ...] = ()

    def __str__(self) -> str:
        package = f" (package {self.package})" if self.package else ""
        return f"Region plugin '{self.plugin}'{package}: {self.fault}"


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def did_you_mean(word: str, candidates: Sequence[str]) -> str:
    """"; did you mean 'x'?" for the closest candidate, or ""."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _package(ep: EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    return f"{dist.name} {dist.version}" if dist is not None else ep.value


def _import_fault(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    return f"failed to import: {type(exc).__name__}: {one_line(exc)}{where}"


def _validation_fault(exc: pluggy.PluginValidationError) -> str:
    lines = [one_line(line) for line in str(exc).splitlines() if line.strip()]
    first = re.sub(r"^Plugin .*? for hook ", "hook ", lines[0]) if lines else ""
    return "; ".join([first, *lines[1:]])


def register_plugin(pm: pluggy.PluginManager, plugin: object, name: str,
                    package: str | None = None) -> PluginFault | None:
    """Register ``plugin`` as ``name`` after checking its API range and hook
    names; on a fault nothing of it stays registered."""
    spec = getattr(plugin, RANGE_ATTRIBUTE, DEFAULT_RANGE)
    problem = range_problem(spec)
    if problem:
        return PluginFault(name, problem, package)
    unknown = [attr for attr in dir(plugin)
               if attr.startswith(f"{hookspecs.PROJECT}_") and attr not in HOOK_NAMES
               and pm.parse_hookimpl_opts(plugin, attr) is not None]
    if unknown:
        faults = [f"unknown hook '{attr}'{did_you_mean(attr, HOOK_NAMES)}" for attr in unknown]
        return PluginFault(name, "; ".join(faults), package)
    try:
        pm.register(plugin, name=name)
    except pluggy.PluginValidationError as exc:
        _forget(pm, name)
        return PluginFault(name, _validation_fault(exc), package)
    except ValueError as exc:  # the name or the object is registered already
        return PluginFault(name, one_line(exc), package)
    return None


def _forget(pm: pluggy.PluginManager, name: str) -> None:
    if pm.get_plugin(name) is not None:
        pm.unregister(name=name)


def load_entry_points(pm: pluggy.PluginManager, group: str = ENTRY_POINT_GROUP) -> list[PluginFault]:
    """Import and register every installed region plugin; return the faults.

    Two packages using one entry-point name are both refused: loading either
    would silently hide the other (e.g. a leftover starter shadowing a real
    region)."""
    by_name: dict[str, list[EntryPoint]] = defaultdict(list)
    for ep in entry_points(group=group):
        by_name[ep.name].append(ep)
    faults = []
    for name, found in by_name.items():
        packages = sorted({_package(ep) for ep in found})
        if len(packages) > 1:
            faults.append(PluginFault(name, (
                f"the entry-point name '{name}' is used by {len(packages)} packages: {', '.join(packages)}; "
                "uninstall the one that should not be there, or rename its entry point"), rule_set_codes=(name,)))
            continue
        try:
            plugin = found[0].load()
        except Exception as exc:  # noqa: BLE001 - reported as the plugin's fault
            faults.append(PluginFault(name, _import_fault(exc), packages[0]))
            continue
        fault = register_plugin(pm, plugin, name, packages[0])
        if fault:
            faults.append(fault)
    return faults


def new_plugin_manager() -> pluggy.PluginManager:
    """The hookspecs and the core defaults (``kinerja.defaults``), nothing else."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(defaults, name=defaults.PLUGIN_NAME)
    return pm


def load_plugins(extra_plugins: Sequence[object] | None = None,
                 installed: bool = True) -> tuple[pluggy.PluginManager, list[PluginFault]]:
    """Hookspecs, the core defaults, every installed region (entry points,
    unless ``installed`` is False), then any extra plugin objects (tests, embedding)."""
    pm = new_plugin_manager()
    faults = load_entry_points(pm) if installed else []
    for plugin in extra_plugins or []:
        name = getattr(plugin, "__name__", None) or repr(plugin)
        fault = register_plugin(pm, plugin, name)
        if fault:
            faults.append(fault)
    pm.check_pending()  # a backstop: register_plugin refused unknown hooks already
    return pm, faults


def strict_start(app: Flask) -> bool:
    """``REGIONS_STRICT``: True refuses to start when a plugin is broken; False
    starts degraded. Unset: degraded in production; strict in testing; strict
    in development except when the ``flask`` command loads the app (so that
    ``flask regions check`` can report the fault and maintenance commands run)."""
    import os

    configured = app.config.get("REGIONS_STRICT")
    if configured is not None:
        return bool(configured)
    if app.config.get("ENV_NAME") == "production":
        return False
    if app.config.get("TESTING"):
        return True
    return os.environ.get("FLASK_RUN_FROM_CLI") != "true"
