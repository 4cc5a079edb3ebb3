"""The plugin API's version, the ranges plugins declare, and deprecations.

``API_VERSION`` is the semantic version of ``app.regions.api``: a new name or
hook argument is a minor release, a removal or an incompatible change a major
one. A plugin module says which versions it works with::

    KINERJA_API = ">=1.0,<2"

— comma-separated clauses, each an operator (``>=``, ``>``, ``<=``, ``<``,
``==``, ``!=``) and a dotted version; every clause must hold. A plugin without
``KINERJA_API`` is taken to support ``DEFAULT_RANGE`` (the 1.x line, which it
was necessarily written for). An incompatible plugin is refused at start-up.

Deprecations follow pytest's habit: a deprecated name keeps working and warns
with ``KinerjaDeprecationWarning`` (naming its replacement and the release
that removes it) for at least one minor release; it is removed only in the
next major release. ``deprecated_getattr`` builds the module ``__getattr__``
that does it.
"""

from __future__ import annotations

import operator
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

API_VERSION = "1.3.0"
DEFAULT_RANGE = ">=1.0,<2"
RANGE_ATTRIBUTE = "KINERJA_API"

_CLAUSE = re.compile(r"^\s*(>=|<=|==|!=|>|<)\s*(\d+(?:\.\d+)*)\s*$")
_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq, "!=": operator.ne,
}


class KinerjaDeprecationWarning(DeprecationWarning):
    """A plugin uses a name of the plugin API that a later major release removes."""


def _version_tuple(version: str, width: int = 3) -> tuple[int, ...]:
    parts = [int(p) for p in version.split(".")]
    return tuple(parts + [0] * (width - len(parts)))


def parse_range(spec: str) -> list[tuple[str, tuple[int, ...]]]:
    """``">=1.0,<2"`` → ``[(">=", (1, 0, 0)), ("<", (2, 0, 0))]``; ValueError when malformed."""
    clauses = []
    for clause in str(spec).split(","):
        found = _CLAUSE.match(clause)
        if not found:
            raise ValueError(f"'{clause.strip()}' is not a version clause such as '>=1.0' or '<2'")
        clauses.append((found.group(1), _version_tuple(found.group(2))))
    return clauses


def range_problem(spec: Any, version: str = API_VERSION) -> str | None:
    """Why a plugin declaring ``spec`` cannot run on API ``version``; None when it can."""
    try:
        clauses = parse_range(spec)
    except ValueError as exc:
        return f"{RANGE_ATTRIBUTE} = {spec!r} is malformed: {exc}"
    have = _version_tuple(version)
    if all(_OPERATORS[op](have, wanted) for op, wanted in clauses):
        return None
    return (f"supports plugin API {spec} but this Kinerja provides {version}; "
            f"install a release of the plugin made for API {version.split('.')[0]}.x")


# --- deprecations ----------------------------------------------------------------------


@dataclass(frozen=True)
class Deprecation:
    """A name that still works but is on its way out."""

    replacement: str  # what to use instead, e.g. "app.regions.api.baseline_rule_set"
    since: str  # the API version that deprecated it, e.g. "1.0"
    removed_in: str  # the major release that removes it, e.g. "2.0"
    value: Callable[[], Any]  # returns the object the name still stands for

    def message(self, module: str, name: str) -> str:
        return (f"{module}.{name} is deprecated since Kinerja plugin API {self.since} and will be "
                f"removed in {self.removed_in}; use {self.replacement}.")


def deprecated_getattr(module: str, deprecated: Mapping[str, Deprecation],
                       lazy: Mapping[str, Callable[[], Any]] | None = None) -> Callable[[str], Any]:
    """A module ``__getattr__``: warn for deprecated names, resolve lazy ones."""

    def __getattr__(name: str) -> Any:
        if name in deprecated:
            entry = deprecated[name]
            warnings.warn(entry.message(module, name), KinerjaDeprecationWarning, stacklevel=2)
            return entry.value()
        if lazy and name in lazy:
            return lazy[name]()
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__
