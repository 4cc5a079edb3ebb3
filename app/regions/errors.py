"""Errors raised by the region plugin machinery."""

from __future__ import annotations


class PluginError(RuntimeError):
    """Region plugins are broken at start-up: one line per fault, each naming
    the plugin and the fault. ``faults`` holds them (``app.regions.loading.PluginFault``)."""

    def __init__(self, message: str, faults: tuple = ()) -> None:
        super().__init__(message)
        self.faults = tuple(faults)


class PluginRuntimeError(RuntimeError):
    """A region plugin raised while serving one tenant's request.

    The web layer turns it into an error page for that request only
    (``app.errors``); the original exception is ``__cause__``.
    """

    def __init__(self, plugin: str, hook: str, rule_set_code: str, original: BaseException) -> None:
        self.plugin = plugin
        self.hook = hook
        self.rule_set_code = rule_set_code
        self.original = original
        super().__init__(
            f"Region plugin '{plugin}' failed in {hook} for rule set '{rule_set_code}': "
            f"{type(original).__name__}: {original}"
        )


class RuleSetUnavailable(KeyError):
    """A tenant's rule set cannot serve: it is not installed, or its plugin is
    broken and the application started degraded (``REGIONS_STRICT`` off).

    Raised by ``RegionRegistry.for_rule_set`` / ``for_tenant``; the web layer
    answers 503 "Aturan daerah tidak tersedia" for that tenant only.
    ``rule_set_code`` — the code asked for; ``plugin`` — the plugin at fault,
    or None when no installed plugin provides the code; ``fault`` — one line
    saying what is wrong (for logs and operators, not for citizens).
    """

    def __init__(self, rule_set_code: str, plugin: str | None, fault: str) -> None:
        self.rule_set_code = rule_set_code
        self.plugin = plugin
        self.fault = fault
        super().__init__(rule_set_code)

    def __str__(self) -> str:
        return self.fault
