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


# --- docs/plugins.md documents exactly the public API (app.regions.api) -------------------------

API_SECTION = re.compile(r"^## 7\. API reference\n(.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL)
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def test_the_api_reference_lists_exactly_api_all():
    from app.regions import api

    section = API_SECTION.search(DOC.read_text(encoding="utf-8")).group(1)
    rows = [line.split("|")[2] for line in section.splitlines() if line.startswith("| ") and "`" in line]
    listed = [name for row in rows for name in re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", row)]
    assert len(listed) == len(set(listed)), "a name is listed twice"
    assert set(listed) == set(api.__all__)
    assert len(api.__all__) == len(set(api.__all__))
    for name in api.__all__:
        assert getattr(api, name) is not None


def test_examples_import_only_the_public_api():
    import ast
    import sys

    from app.regions import api

    allowed_roots = set(sys.stdlib_module_names) | {"marshmallow", "kinerja_region_contoh"}
    text = DOC.read_text(encoding="utf-8")
    for block in PYTHON_BLOCK.findall(text):
        for node in ast.walk(ast.parse(block)):
            if isinstance(node, ast.ImportFrom) and node.module == "app.regions.api":
                assert {a.name for a in node.names} <= set(api.__all__), ast.unparse(node)
            elif isinstance(node, ast.ImportFrom | ast.Import):
                modules = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                assert all(m.split(".")[0] in allowed_roots for m in modules), ast.unparse(node)
    assert not re.search(r"app\.regions\.(?!api\b)\w", text), "the guide names an internal module"
    assert "plugins.nasional.baseline` (API 1.0" in text  # the one deprecated path, named as such
