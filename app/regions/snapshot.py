"""Snapshots: the JSON form of what a rule set's scoring uses.

An evaluation stores ``snapshot(rule_set)`` when it is finished; scoring from
that snapshot later gives the same result whatever version of the plugin is
installed by then, so a plugin upgrade never rewrites history.

The conversion is driven by the dataclass type hints in ``app.regions.types``;
fields marked ``metadata={"snapshot": False}`` (renderers, the settings
schema) are left out.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Any

from app.regions.types import RuleSet

SNAPSHOT_FORMAT = 1


def snapshot(rule_set: RuleSet) -> dict[str, Any]:
    """The JSON-serialisable snapshot of ``rule_set`` (indicators, weights,
    bands or matrix, curve, policies, code and version)."""
    data = _dump(rule_set)
    data["snapshot_format"] = SNAPSHOT_FORMAT
    return data


def restore(data: Mapping[str, Any]) -> RuleSet:
    """Rebuild a ``RuleSet`` from a snapshot (without renderers or schema)."""
    if data.get("snapshot_format") != SNAPSHOT_FORMAT:
        raise ValueError(f"Unknown rule-set snapshot format: {data.get('snapshot_format')!r}")
    fields = {k: v for k, v in data.items() if k != "snapshot_format"}
    return _load(RuleSet, fields)


def as_rule_set(rule_set_or_snapshot: RuleSet | Mapping[str, Any]) -> RuleSet:
    """Scoring functions accept a live rule set or a stored snapshot."""
    if isinstance(rule_set_or_snapshot, RuleSet):
        return rule_set_or_snapshot
    return restore(rule_set_or_snapshot)


def load_typed(cls: type, data: Mapping[str, Any]) -> Any:
    """A frozen dataclass (a rule-set part or an input) from its JSON form."""
    return _load(cls, data)


def jsonable(value: Any) -> Any:
    """Dataclasses, enums and tuples as JSON-ready dicts, strings and lists."""
    return _dump(value)


# --- dataclass <-> JSON ---------------------------------------------------------


# Most of what a snapshot or an outcome holds (a hundred values an evaluation): kept as they are.
_PLAIN = frozenset({str, int, float, bool, type(None)})


def _dump(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    fields = _dumped_fields(kind)
    if fields is not None:
        return {name: _dump(getattr(value, name)) for name in fields}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_dump(v) for v in value]
    return value


@cache
def _dumped_fields(cls: type) -> tuple[str, ...] | None:
    """The fields of a dataclass that a snapshot keeps, in order; None for any other type (asked once
    per type)."""
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple(f.name for f in dataclasses.fields(cls) if f.metadata.get("snapshot", True))


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)  # resolved in the dataclass's own module


def _load(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(options) == 1:
            return _load(options[0], value)
        # NumericScheme | MatrixScheme: told apart by their ``kind``.
        for option in options:
            if dataclasses.is_dataclass(option) and isinstance(value, Mapping):
                kind = next(f.default for f in dataclasses.fields(option) if f.name == "kind")
                if value.get("kind") == kind:
                    return _load(option, value)
        raise ValueError(f"Cannot restore {value!r} as {tp}")
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_load(args[0], v) for v in value)
        return tuple(_load(a, v) for a, v in zip(args, value, strict=True))
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {
            f.name: _load(hints[f.name], value[f.name])
            for f in dataclasses.fields(tp)
            if f.metadata.get("snapshot", True) and f.name in value
        }
        return tp(**kwargs)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(value)
    if tp is float:
        return float(value)
    if tp is date and isinstance(value, str):
        return date.fromisoformat(value)
    return value
