"""Small-group suppression for published tables — pure functions.

A published count table (e.g. employees per unit × predikat) must never let
a reader learn the rating of an individual. The rules:

1. Primary suppression: a cell counting 1 … threshold-1 people is hidden.
2. A whole row (a unit) smaller than the threshold is hidden, zeros and its
   total included — otherwise "0, 0, [hidden], 0" tells everyone in the unit
   shares one predikat.
3. Complementary suppression, so no hidden cell can be derived from what is
   shown. With row, column and grand totals published, the table is a set of
   linear equations (each row and each column sums to its total). Seen as a
   graph — a node per row and per column (the totals row and column
   included), an edge per hidden cell — a hidden cell is determined exactly
   when its edge lies on no cycle (a bridge): e.g. the only hidden cell of a
   row whose total is shown. While any hidden cell is a bridge, the cheapest
   cells closing a cycle through it are hidden too, preferring small non-zero
   cells (a hidden zero next to a hidden cell would pin it through
   non-negativity).

Hidden cells are ``None``; the page shows them as "<threshold".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

TOTAL = "__total__"


@dataclass(frozen=True)
class ProtectedTable:
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: dict[tuple[str, str], int | None]  # (row, column) → count or None; TOTAL for margins
    threshold: int

    def cell(self, row: str, column: str) -> int | None:
        return self.cells[(row, column)]

    def row_total(self, row: str) -> int | None:
        return self.cells[(row, TOTAL)]

    def column_total(self, column: str) -> int | None:
        return self.cells[(TOTAL, column)]

    @property
    def grand_total(self) -> int | None:
        return self.cells[(TOTAL, TOTAL)]

    def to_dict(self) -> dict:
        """JSON-friendly: {"rows": [...], "columns": [...], "threshold": t, "cells": {row: {col: v}}}."""
        out: dict[str, dict[str, int | None]] = {}
        for (row, column), value in self.cells.items():
            out.setdefault(row, {})[column] = value
        return {"rows": list(self.rows), "columns": list(self.columns), "threshold": self.threshold,
                "cells": out}


def is_small(count: int, threshold: int) -> bool:
    return 0 < count < threshold


def suppress_count(count: int, threshold: int) -> int | None:
    """A single published count (e.g. respondents of a unit): hidden when small."""
    return None if is_small(count, threshold) else count


def protect_table(counts: Mapping[str, Mapping[str, int]], columns: Sequence[str],
                  threshold: int) -> ProtectedTable:
    """Suppress a count table with row, column and grand totals."""
    rows = tuple(counts)
    cols = tuple(columns)
    value: dict[tuple[str, str], int] = {}
    for r in rows:
        for c in cols:
            value[(r, c)] = int(counts[r].get(c, 0))
        value[(r, TOTAL)] = sum(value[(r, c)] for c in cols)
    for c in (*cols, TOTAL):
        value[(TOTAL, c)] = sum(value[(r, c)] for r in rows)

    hidden: set[tuple[str, str]] = set()
    for r in rows:
        if is_small(value[(r, TOTAL)], threshold):
            hidden.update((r, c) for c in (*cols, TOTAL))
        else:
            hidden.update((r, c) for c in cols if is_small(value[(r, c)], threshold))
    for c in (*cols, TOTAL):
        if is_small(value[(TOTAL, c)], threshold):
            hidden.add((TOTAL, c))

    all_rows, all_cols = (*rows, TOTAL), (*cols, TOTAL)
    while bridges := _bridges(hidden):
        hidden |= _cheapest_cycle(min(bridges), hidden, value, all_rows, all_cols)

    cells = {key: (None if key in hidden else v) for key, v in value.items()}
    return ProtectedTable(rows, cols, cells, threshold)


def _bridges(hidden: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """Hidden cells on no cycle of the row/column graph: derivable by arithmetic."""
    adjacency: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for r, c in hidden:
        adjacency.setdefault(("r", r), set()).add(("c", c))
        adjacency.setdefault(("c", c), set()).add(("r", r))
    found = []
    for r, c in hidden:
        start, goal = ("r", r), ("c", c)
        seen, stack = {start}, [start]
        while stack:
            node = stack.pop()
            for nxt in adjacency[node]:
                if {node, nxt} == {start, goal} or nxt in seen:
                    continue  # the edge itself is not a way round
                seen.add(nxt)
                stack.append(nxt)
        if goal not in seen:
            found.append((r, c))
    return found


def _cheapest_cycle(bridge: tuple[str, str], hidden: set, value: dict, all_rows, all_cols) -> set:
    """The fewest people (avoiding zeros) to hide so that ``bridge`` lies on a 4-cycle."""
    r, c = bridge
    best: tuple | None = None
    for r2 in all_rows:
        for c2 in all_cols:
            if r2 == r or c2 == c:
                continue
            new = {(r, c2), (r2, c2), (r2, c)} - hidden
            cost = (sum(1 for cell in new if value[cell] == 0), sum(value[cell] for cell in new), len(new),
                    sorted(new))
            if best is None or cost < best[0]:
                best = (cost, new)
    return best[1] if best else set()


def leaks(table: ProtectedTable) -> list[tuple[str, str]]:
    """Hidden cells a reader could derive from the shown ones (should be empty)."""
    return _bridges({key for key, v in table.cells.items() if v is None})
