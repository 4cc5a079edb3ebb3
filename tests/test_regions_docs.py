"""docs/plugins.md and the hookspecs must not drift apart (cf. Datasette's test_docs)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from app.regions import hookspecs

DOC = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"
HEADING = re.compile(r"^### `(kinerja_\w+)\(([^)]*)\)`", re.MULTILINE)


def _specs() -> dict[str, list[str]]:
    return {
        name: list(inspect.signature(fn).parameters)
        for name, fn in vars(hookspecs).items()
        if name.startswith("kinerja_") and callable(fn)
    }


def _documented() -> dict[str, list[str]]:
    text = DOC.read_text(encoding="utf-8")
    return {name: [a.strip() for a in args.split(",") if a.strip()] for name, args in HEADING.findall(text)}


def test_every_hook_is_documented_with_its_signature():
    assert _documented() == _specs()


def test_documented_hooks_appear_in_lifecycle_order():
    source_order = [n for n in vars(hookspecs) if n.startswith("kinerja_")]
    assert list(_documented()) == source_order


def test_every_hookspec_reads_as_reference():
    for name, fn in vars(hookspecs).items():
        if not name.startswith("kinerja_"):
            continue
        doc = inspect.getdoc(fn) or ""
        for part in ("When:", "Returns:", "Example::"):
            assert part in doc, f"{name} docstring lacks {part!r}"
        assert "@hookimpl" in doc
