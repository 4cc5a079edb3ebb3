"""One way to read an integer from a request: ASCII digits within the
database's integer range, or nothing.

``int()`` accepts Unicode digits (``"１"``, ``"٣"``), spaces, underscores and
any length; a value beyond PostgreSQL's ``integer`` (or SQLite's 64 bits)
makes the query fail. URL ids go through ``BoundedIntConverter`` (registered as
the app's ``int`` converter: every ``<int:...>`` route answers 404 for such an
id), query and form integers through ``strict_int`` (``BoundedInputMixin`` makes
``request.args.get(..., type=int)`` use it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from werkzeug.datastructures import CombinedMultiDict, ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property

INT_MIN = -(2**31)
INT_MAX = 2**31 - 1  # PostgreSQL integer, the type of every id column

_INTEGER = re.compile(r"-?[0-9]{1,10}")


def in_int_range(value: int) -> bool:
    return INT_MIN <= value <= INT_MAX


def strict_int(value: Any) -> int:
    """``value`` as an int when it is an optional minus and ASCII digits within
    the integer range; ValueError otherwise (what ``int`` raises for junk)."""
    if isinstance(value, bool):
        raise ValueError("not an integer")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _INTEGER.fullmatch(value):
        number = int(value)
    else:
        raise ValueError("not an ASCII integer")
    if not in_int_range(number):
        raise ValueError("integer out of range")
    return number


def _convert(value: Any, type: Callable[[Any], Any] | None) -> Any:
    return strict_int(value) if type is int else type(value) if type is not None else value


class BoundedIntConverter(IntegerConverter):
    """``<int:...>``: ASCII digits only (``\\d`` would match ``１``), at most the
    database's integer; anything else does not match, so the route is a 404."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002 - Werkzeug's names
                 max: int | None = None, signed: bool = False) -> None:  # noqa: A002
        bound = INT_MAX if max is None or max > INT_MAX else max
        super().__init__(map, fixed_digits, min, bound, signed)


class BoundedArgs(ImmutableMultiDict):
    """Query and form arguments whose ``get(..., type=int)`` reads with ``strict_int``."""

    def get(self, key, default=None, type=None):  # noqa: A002 - Werkzeug's signature
        try:
            value = self[key]
        except KeyError:
            return default
        try:
            return _convert(value, type)
        except (ValueError, TypeError):
            return default

    def getlist(self, key, type=None):  # noqa: A002
        values = super().getlist(key)
        if type is None:
            return values
        result = []
        for value in values:
            try:
                result.append(_convert(value, type))
            except (ValueError, TypeError):
                continue
        return result


class BoundedCombinedArgs(CombinedMultiDict):
    """``request.values``: the same reading over the query and the form."""

    def get(self, key, default=None, type=None):  # noqa: A002
        for d in self.dicts:
            if key in d:
                try:
                    return _convert(d[key], type)
                except (ValueError, TypeError):
                    continue
        return default


class BoundedInputMixin:
    """Mixed into the application's request class (whatever the HTTP edge made
    it): bounded integers in ``args``, ``form`` and ``values``."""

    parameter_storage_class = BoundedArgs

    @cached_property
    def values(self) -> CombinedMultiDict:  # type: ignore[override]
        sources = [self.args] if self.method == "GET" else [self.args, self.form]
        return BoundedCombinedArgs([d if isinstance(d, MultiDict) else MultiDict(d) for d in sources])


def init_bounded_input(app: Flask) -> None:
    """Register the bounded ``int`` converter (before any route is added) and
    the bounded request class."""
    app.url_map.converters["int"] = BoundedIntConverter
    if not issubclass(app.request_class, BoundedInputMixin):
        app.request_class = type("BoundedRequest", (BoundedInputMixin, app.request_class), {})
