"""The region plugin API: every hook a region plugin may implement.

Hooks are prefixed ``kinerja_`` and listed in the order the core calls them.
Integrators import the marker from here::

    from app.regions.hookspecs import hookimpl
"""

from __future__ import annotations

import pluggy

from app.regions.types import RuleSet

PROJECT = "kinerja"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# --- Registration (called once, at application start-up) ---------------------

@hookspec
def kinerja_rule_sets() -> list[RuleSet]:
    """Register the rule sets this plugin provides.

    Called once when the application starts. Return a list of ``RuleSet``
    objects; each ``code`` must be unique across all installed plugins, or
    the application refuses to start and names both plugins.

    Example::

        @hookimpl
        def kinerja_rule_sets():
            return [RuleSet(code="contoh", name="Kota Contoh", version="1.0.0")]
    """
