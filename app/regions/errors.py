"""Errors raised by the region plugin machinery."""

from __future__ import annotations


class PluginError(RuntimeError):
    """A region plugin is broken at start-up; the message names the plugin and the fault."""


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
