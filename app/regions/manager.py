"""Discovering region plugins and handing out their rule sets."""

from __future__ import annotations

import pluggy
from flask import Flask, current_app

from app.regions import hookspecs
from app.regions.types import RuleSet

ENTRY_POINT_GROUP = "kinerja.regions"


class PluginError(RuntimeError):
    """A region plugin is broken; the message names the plugin and the fault."""


class RegionRegistry:
    def __init__(self, plugin_manager: pluggy.PluginManager) -> None:
        self.pm = plugin_manager
        self.rule_sets: dict[str, RuleSet] = {}
        self.owners: dict[str, str] = {}
        self._collect()

    def _collect(self) -> None:
        for impl in self.pm.hook.kinerja_rule_sets.get_hookimpls():
            plugin_name = self.pm.get_name(impl.plugin) or repr(impl.plugin)
            try:
                rule_sets = impl.function()
            except Exception as exc:  # noqa: BLE001 - named and re-raised
                raise PluginError(f"Region plugin '{plugin_name}' failed to register: {exc}") from exc
            for rule_set in rule_sets or []:
                if not isinstance(rule_set, RuleSet):
                    raise PluginError(
                        f"Region plugin '{plugin_name}' returned {type(rule_set).__name__}, not RuleSet."
                    )
                if rule_set.code in self.rule_sets:
                    raise PluginError(
                        f"Rule set code '{rule_set.code}' is registered by both "
                        f"'{self.owners[rule_set.code]}' and '{plugin_name}'."
                    )
                self.rule_sets[rule_set.code] = rule_set
                self.owners[rule_set.code] = plugin_name

    def get(self, code: str) -> RuleSet | None:
        return self.rule_sets.get(code)

    def choices(self) -> list[tuple[str, str]]:
        return sorted((code, rs.name) for code, rs in self.rule_sets.items())


def build_plugin_manager(extra_plugins: list[object] | None = None) -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    for plugin in extra_plugins or []:
        pm.register(plugin)
    pm.check_pending()
    return pm


def init_regions(app: Flask) -> None:
    try:
        pm = build_plugin_manager(app.config.get("EXTRA_REGION_PLUGINS"))
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"Region plugin '{exc.plugin}' is invalid: {exc}") from exc
    app.extensions["kinerja_regions"] = RegionRegistry(pm)


def regions() -> RegionRegistry:
    return current_app.extensions["kinerja_regions"]
