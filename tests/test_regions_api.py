"""The versioned plugin API: one public module, declared version ranges, deprecations."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from app.regions import api
from app.regions.compat import parse_range, range_problem
from app.regions.errors import PluginError
from app.regions.manager import build_registry
from app.regions.starter import module_name, new_region

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = set(sys.stdlib_module_names) | {"marshmallow"}


def _imports(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            found.append((node.module or "", tuple(a.name for a in node.names)))
        elif isinstance(node, ast.Import):
            found += [(a.name, ()) for a in node.names]
    return found


def _only_the_api(path: Path, own_package: str) -> list[str]:
    bad = []
    for module, names in _imports(path):
        if module == "app.regions.api" or (module == "app.regions" and names == ("api",)):
            continue
        if module.split(".")[0] in ALLOWED or module.split(".")[0] == own_package:
            continue
        bad.append(f"{path.relative_to(path.parents[2])}: {module}")
    return bad


def test_built_in_plugins_import_only_the_public_api():
    bad = [p for path in sorted((ROOT / "plugins").rglob("*.py")) for p in _only_the_api(path, "plugins")]
    assert bad == []


def test_the_starter_imports_only_the_public_api_and_declares_its_range(tmp_path):
    root = new_region("contoh-api", tmp_path)
    module = module_name("contoh-api")
    source = root / module / "__init__.py"
    assert _only_the_api(source, module) == []
    assert _only_the_api(root / "tests" / "test_conformance.py", module) == []
    # Declares the range from the API it was made with (1.3 since issue #12 added evaluation meetings).
    assert 'KINERJA_API = ">=1.3,<2"' in source.read_text(encoding="utf-8")


def test_the_api_module_needs_no_pytest_and_declares_its_version():
    assert api.API_VERSION.count(".") == 2 and all(p.isdigit() for p in api.API_VERSION.split("."))
    assert "RegionConformance" in api.__all__ and "RegionConformance" in dir(api)
    assert api.RegionConformance.__name__ == "RegionConformance"


def test_version_ranges():
    assert parse_range(">=1.0,<2") == [(">=", (1, 0, 0)), ("<", (2, 0, 0))]
    assert range_problem(">=1.0,<2", "1.4.2") is None
    assert "provides 2.0.0" in range_problem(">=1.0,<2", "2.0.0")
    assert range_problem("==1.0.0", "1.0.0") is None
    assert "malformed" in range_problem("~1", "1.0.0")


def _plugin_declaring(spec: str):
    rule_set = api.baseline_rule_set("versi-uji", "Versi", "1")
    return type("plugin_versi_uji", (), {"KINERJA_API": spec,
                                         "kinerja_rule_sets": staticmethod(api.hookimpl(lambda: [rule_set]))})


def test_an_incompatible_plugin_is_refused_naming_it():
    with pytest.raises(PluginError) as info:
        build_registry([_plugin_declaring(">=2.0,<3")])
    assert str(info.value).startswith("Region plugin 'plugin_versi_uji'")
    assert "supports plugin API >=2.0,<3" in str(info.value) and "\n" not in str(info.value)
    assert "versi-uji" in build_registry([_plugin_declaring(">=1.0,<2")]).rule_sets


def test_deprecated_names_warn_and_still_work():
    import plugins.nasional.baseline as old

    with pytest.warns(api.KinerjaDeprecationWarning, match=r"removed in 2\.0; import it from app\.regions\.api"):
        assert old.baseline_rule_set is api.baseline_rule_set
    with pytest.raises(AttributeError):
        old.no_such_name  # noqa: B018


def test_the_deprecation_mechanism_of_the_api_module(monkeypatch):
    from app.regions.compat import Deprecation

    monkeypatch.setitem(api._DEPRECATED, "old_name",
                        Deprecation("app.regions.api.baseline_rule_set", "1.1", "2.0",
                                    lambda: api.baseline_rule_set))
    with pytest.warns(api.KinerjaDeprecationWarning, match="app.regions.api.old_name is deprecated since "
                                                           "Kinerja plugin API 1.1 and will be removed in 2.0"):
        assert api.old_name is api.baseline_rule_set
