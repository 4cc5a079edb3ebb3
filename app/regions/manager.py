"""Discovering region plugins, validating their rule sets, and dispatching a
tenant's calls to its own region's plugin only."""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

import pluggy
from flask import Flask, current_app, g, has_request_context

from app.regions import defaults
from app.regions.achievement import Achievement
from app.regions.distribution import DistributionCheck
from app.regions.documents import (
    DocumentSubject,
    EvaluationDocumentData,
    RenderedDocument,
    SkpDocumentData,
)
from app.regions.errors import PluginError, PluginRuntimeError, RuleSetUnavailable
from app.regions.inputs import EvaluationInput, FollowUpSignal, PlanningInput
from app.regions.loading import (
    ENTRY_POINT_GROUP,
    PluginFault,
    did_you_mean,
    load_plugins,
    one_line,
    strict_start,
)
from app.regions.reports import PublicReportData, ReportData, public_report_data
from app.regions.scoring import AnnualResult, PeriodResult, ScoringInputError
from app.regions.settings import apply_settings, effective_settings
from app.regions.snapshot import snapshot
from app.regions.training import FollowUp, TrainingRecommendation
from app.regions.types import Indicator, ReportFormat, RuleSet, Target
from app.regions.validation import rule_set_problems

__all__ = [
    "ENTRY_POINT_GROUP",
    "PluginError",
    "PluginFault",
    "PluginRuntimeError",
    "RegionRegistry",
    "RuleSetUnavailable",
    "RuleSetRuntime",
    "build_plugin_manager",
    "init_regions",
    "regions",
]

log = logging.getLogger(__name__)

# What a format of each subject renders from.
SUBJECT_DATA: dict[DocumentSubject, type] = {
    DocumentSubject.REPORT: ReportData,
    DocumentSubject.PUBLIC: PublicReportData,
    DocumentSubject.SKP: SkpDocumentData,
    DocumentSubject.EVALUATION: EvaluationDocumentData,
}


APPLIED_SETTINGS_KEPT = 64


def _plugin_name(pm: pluggy.PluginManager, plugin: object) -> str:
    return pm.get_name(plugin) or getattr(plugin, "__name__", None) or repr(plugin)


class RuleSetRuntime:
    """One tenant's view of the plugins: its effective rule set and hook
    callers that reach only the owning plugin and the core defaults."""

    def __init__(self, registry: RegionRegistry, rule_set: RuleSet, settings: Mapping[str, Any] | None,
                 applied: tuple[dict[str, Any], RuleSet] | None = None):
        self.registry = registry
        self.plugin_name = registry.owners[rule_set.code]
        if applied is None:
            applied = effective_settings(rule_set, settings), apply_settings(rule_set, settings)
        self.settings = dict(applied[0])
        self.rule_set = applied[1]

    @property
    def code(self) -> str:
        return self.rule_set.code

    def _call(self, hook: str, **kwargs: Any) -> Any:
        caller = self.registry.hook_caller(self.rule_set.code, hook)
        try:
            return caller(rule_set=self.rule_set, **kwargs)
        except (ScoringInputError, PluginRuntimeError):
            raise
        except Exception as exc:
            plugin = self.registry.culprit(self.rule_set.code, hook, exc) or self.plugin_name
            raise self._runtime_error(plugin, hook, exc) from exc

    def _runtime_error(self, plugin: str, hook: str, exc: Exception) -> PluginRuntimeError:
        tenant = getattr(g, "tenant", None) if has_request_context() else None
        log.exception(
            "Region plugin %s failed in %s (rule set %s %s, tenant %s)",
            plugin, hook, self.rule_set.code, self.rule_set.version,
            getattr(tenant, "slug", "-"),
        )
        return PluginRuntimeError(plugin, hook, self.rule_set.code, exc)

    # Lifecycle order, as in app.regions.hookspecs.
    def plan_lock_blockers(self, planning: PlanningInput) -> list[str]:
        return _flatten(self._call("kinerja_plan_lock_blockers", planning=planning, settings=self.settings))

    def achievement(self, indicator: Indicator | str, target: Target | None, realisation: float) -> Achievement:
        ind = self.rule_set.indicator(indicator) if isinstance(indicator, str) else indicator
        if ind is None:
            raise ScoringInputError(f"Indikator {indicator} tidak ada di aturan daerah {self.code}.")
        return self._call("kinerja_achievement", indicator=ind, target=target or ind.target,
                          realisation=realisation, settings=self.settings)

    def evaluation_blockers(self, evaluation: EvaluationInput) -> list[str]:
        return _flatten(self._call("kinerja_evaluation_blockers", evaluation=evaluation,
                                   settings=self.settings))

    def period_result(self, evaluation: EvaluationInput) -> PeriodResult:
        return self._call("kinerja_period_result", evaluation=evaluation, settings=self.settings)

    def annual_result(self, periodic: Sequence[PeriodResult], has_innovation: bool = False) -> AnnualResult:
        return self._call("kinerja_annual_result", periodic=list(periodic), has_innovation=has_innovation,
                          settings=self.settings)

    def distribution_check(self, organisation_predikat: str, employee_predikat: Sequence[str]) -> DistributionCheck:
        return self._call("kinerja_distribution_check", organisation_predikat=organisation_predikat,
                          employee_predikat=list(employee_predikat), settings=self.settings)

    def training_recommendations(self, result: PeriodResult, evaluation: EvaluationInput) -> list[TrainingRecommendation]:
        return _flatten(self._call("kinerja_training_recommendations", result=result,
                                   evaluation=evaluation, settings=self.settings))

    def follow_ups(self, signal: FollowUpSignal) -> list[FollowUp]:
        return _flatten(self._call("kinerja_follow_ups", signal=signal, settings=self.settings))

    def formats_for(self, subject: DocumentSubject) -> tuple[ReportFormat, ...]:
        """The rule set's formats rendered from ``subject``'s data: the SKP formats, the
        evaluation formats, the recap formats (REPORT) or the public ones."""
        return tuple(f for f in self.rule_set.report_formats if f.subject is subject)

    def render_report(self, format_code: str, data: Any) -> str | bytes | RenderedDocument:
        """Render one of the rule set's formats from the plain data of its subject
        (``SUBJECT_DATA``); a public format only ever gets ``PublicReportData``.
        ``TypeError`` when ``data`` does not fit the format's subject."""
        fmt = self.rule_set.report_format(format_code)
        if fmt is None:
            raise KeyError(f"Report format {format_code!r} is not in rule set {self.code}.")
        if fmt.subject is DocumentSubject.PUBLIC:
            # A public format never sees a per-employee record (app/regions/reports.py).
            data = public_report_data(data)
        elif not isinstance(data, SUBJECT_DATA[fmt.subject]):
            raise TypeError(f"Report format {format_code!r} renders {SUBJECT_DATA[fmt.subject].__name__}, "
                            f"not {type(data).__name__}.")
        try:
            return fmt.render(data)
        except Exception as exc:
            raise self._runtime_error(self.plugin_name, f"report {format_code}", exc) from exc

    def snapshot(self) -> dict[str, Any]:
        """What an evaluation stores: the effective rule set as JSON."""
        return snapshot(self.rule_set)


def _flatten(answers: list[list[Any]]) -> list[Any]:
    return [item for answer in answers for item in (answer or [])]


class RegionRegistry:
    """The installed rule sets, who registered each, and per-rule-set dispatch.

    ``faults`` lists what is broken (``PluginFault``, one line each). Strict
    (the default) raises ``PluginError`` with them; otherwise the registry
    keeps serving the healthy rule sets and ``for_rule_set`` raises
    ``RuleSetUnavailable`` for a broken one.
    """

    def __init__(self, plugin_manager: pluggy.PluginManager, faults: Sequence[PluginFault] = (),
                 strict: bool = True) -> None:
        self.pm = plugin_manager
        self.rule_sets: dict[str, RuleSet] = {}
        self.owners: dict[str, str] = {}
        self.faults: list[PluginFault] = list(faults)
        self._owner_plugins: dict[str, object] = {}
        self._callers: dict[tuple[str, str], Any] = {}
        # (code, rule set, settings as JSON) → (effective settings, rule set with them applied):
        # validating settings against the schema is most of a runtime's cost, and a tenant asks
        # for the same few combinations all day.
        self._applied: OrderedDict[tuple[str, str], tuple[RuleSet, dict[str, Any], RuleSet]] = OrderedDict()
        self._collect()
        if self.faults and strict:
            raise PluginError("\n".join(str(f) for f in self.faults), tuple(self.faults))
        for fault in self.faults:
            log.error("%s", fault)

    def _collect(self) -> None:
        for impl in self.pm.hook.kinerja_rule_sets.get_hookimpls():
            plugin_name = _plugin_name(self.pm, impl.plugin)
            try:
                rule_sets = list(impl.function() or [])
            except Exception as exc:  # noqa: BLE001 - the plugin's fault, reported
                self.faults.append(PluginFault(plugin_name, f"kinerja_rule_sets raised "
                                                            f"{type(exc).__name__}: {one_line(exc)}"))
                continue
            for rule_set in rule_sets:
                self._add(plugin_name, impl.plugin, rule_set)

    def _add(self, plugin_name: str, plugin: object, rule_set: Any) -> None:
        if not isinstance(rule_set, RuleSet):
            self.faults.append(PluginFault(plugin_name, f"kinerja_rule_sets returned "
                                                        f"{type(rule_set).__name__}, not RuleSet"))
            return
        code = rule_set.code
        if code in self.rule_sets or self._fault_for(code, by_name=False):
            first = self.owners.pop(code, None) or self._fault_for(code).plugin
            self.rule_sets.pop(code, None)
            self._owner_plugins.pop(code, None)
            self.faults.append(PluginFault(plugin_name, f"Rule set code '{code}' is registered by both "
                                                        f"'{first}' and '{plugin_name}'", rule_set_codes=(code,)))
            return
        problems = rule_set_problems(rule_set)
        if problems:
            self.faults.append(PluginFault(plugin_name, f"rule set '{code}' {rule_set.version} is invalid: "
                                                        + "; ".join(problems), rule_set_codes=(code,)))
            return
        self.rule_sets[code] = rule_set
        self.owners[code] = plugin_name
        self._owner_plugins[code] = plugin

    def _fault_for(self, code: str, by_name: bool = True) -> PluginFault | None:
        """The fault that keeps ``code`` from serving. A plugin that failed
        before naming its rule sets is matched by name (codes usually equal it)."""
        found = next((f for f in self.faults if code in f.rule_set_codes), None)
        if found is None and by_name:
            found = next((f for f in self.faults if f.plugin == code and not f.rule_set_codes), None)
        return found

    def unavailable(self) -> dict[str, PluginFault]:
        """Rule-set code → fault, for rule sets a broken plugin registered."""
        return {code: f for f in self.faults for code in f.rule_set_codes}

    def get(self, code: str) -> RuleSet | None:
        return self.rule_sets.get(code)

    def choices(self) -> list[tuple[str, str]]:
        return sorted((code, rs.name) for code, rs in self.rule_sets.items())

    def for_rule_set(self, code: str, settings: Mapping[str, Any] | None = None) -> RuleSetRuntime:
        """The rules a tenant selecting ``code`` with ``settings`` gets.
        Raises ``RuleSetUnavailable`` (a ``KeyError``) when ``code`` is not
        installed or its plugin is broken, ``SettingsError`` for bad settings."""
        rule_set = self.rule_sets.get(code)
        if rule_set is None:
            raise self.unavailable_error(code)
        key = (code, json.dumps(settings or {}, sort_keys=True, default=str))
        kept = self._applied.get(key)
        if kept is None or kept[0] is not rule_set:
            kept = rule_set, effective_settings(rule_set, settings), apply_settings(rule_set, settings)
            self._applied[key] = kept
            while len(self._applied) > APPLIED_SETTINGS_KEPT:
                self._applied.popitem(last=False)
        return RuleSetRuntime(self, rule_set, settings, kept[1:])

    def unavailable_error(self, code: str) -> RuleSetUnavailable:
        fault = self._fault_for(code)
        if fault is not None:
            return RuleSetUnavailable(code, fault.plugin, f"Rule set '{code}' is unavailable: {fault}")
        known = sorted(self.rule_sets)
        return RuleSetUnavailable(code, None, f"Rule set '{code}' is not installed{did_you_mean(code, known)}"
                                              + ("" if did_you_mean(code, known) else "; see `flask regions list`"))

    def for_tenant(self, tenant: Any) -> RuleSetRuntime:
        """The rules of a tenant (anything with ``rule_set_code`` and ``settings``)."""
        return self.for_rule_set(tenant.rule_set_code, tenant.settings)

    def hook_caller(self, code: str, hook: str) -> Any:
        key = (code, hook)
        if key not in self._callers:
            keep = {id(self._owner_plugins[code]), id(self.pm.get_plugin(defaults.PLUGIN_NAME))}
            others = [p for p in self.pm.get_plugins() if id(p) not in keep]
            self._callers[key] = self.pm.subset_hook_caller(hook, remove_plugins=others)
        return self._callers[key]

    def culprit(self, code: str, hook: str, exc: BaseException) -> str | None:
        """The plugin whose hook implementation the exception came from."""
        allowed = {id(self._owner_plugins[code]), id(self.pm.get_plugin(defaults.PLUGIN_NAME))}
        codes = {
            impl.function.__code__: _plugin_name(self.pm, impl.plugin)
            for impl in getattr(self.pm.hook, hook).get_hookimpls()
            if id(impl.plugin) in allowed
        }
        found = None
        tb = exc.__traceback__
        while tb is not None:
            found = codes.get(tb.tb_frame.f_code, found)
            tb = tb.tb_next
        return found


def build_plugin_manager(extra_plugins: Sequence[object] | None = None) -> pluggy.PluginManager:
    """Hookspecs, the core defaults, every installed region (entry points),
    then any extra plugin objects (tests, embedding); raises ``PluginError``."""
    pm, faults = load_plugins(extra_plugins)
    if faults:
        raise PluginError("\n".join(str(f) for f in faults), tuple(faults))
    return pm


def build_registry(extra_plugins: Sequence[object] | None = None, strict: bool = True,
                   installed: bool = True) -> RegionRegistry:
    """Every installed region plugin (unless ``installed`` is False) and
    ``extra_plugins``, validated. Strict raises ``PluginError`` naming each
    broken plugin (one line each); otherwise they are recorded in ``faults``
    and their rule sets are unavailable."""
    pm, faults = load_plugins(extra_plugins, installed)
    return RegionRegistry(pm, faults, strict=strict)


def init_regions(app: Flask) -> None:
    """Load the plugins before any request: strict refuses to start with a
    broken one; degraded serves the others (see ``strict_start``)."""
    app.extensions["kinerja_regions"] = build_registry(app.config.get("EXTRA_REGION_PLUGINS"),
                                                      strict=strict_start(app))


def regions() -> RegionRegistry:
    return current_app.extensions["kinerja_regions"]
