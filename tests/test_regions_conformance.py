"""The conformance kit on every built-in region, and on the starter's output."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import plugins.ambon
import plugins.nasional
import plugins.palangkaraya
import plugins.salor
import plugins.sawahlunto
import plugins.walesi
from app.regions.api import baseline_rule_set
from app.regions.conformance import RegionConformance, check_plugin
from app.regions.hookspecs import hookimpl
from app.regions.starter import StarterError, module_name, new_region

ROOT = Path(__file__).resolve().parent.parent


class TestNasional(RegionConformance):
    plugin = plugins.nasional


class TestSawahlunto(RegionConformance):
    plugin = plugins.sawahlunto


class TestAmbon(RegionConformance):
    plugin = plugins.ambon


class TestSalor(RegionConformance):
    plugin = plugins.salor


class TestPalangkaraya(RegionConformance):
    plugin = plugins.palangkaraya


class TestWalesi(RegionConformance):
    plugin = plugins.walesi


@pytest.fixture
def region_plugin():
    return plugins.walesi


def test_fixtures_from_the_pytest11_plugin(region_registry, region_rule_sets):
    assert [rs.code for rs in region_rule_sets] == ["walesi"]
    assert region_registry.owners["walesi"] == "plugins.walesi"


def test_the_kit_reports_a_plugin_with_too_few_reports():
    class plugin_satu_laporan:  # noqa: N801
        @staticmethod
        @hookimpl
        def kinerja_rule_sets():
            rs = baseline_rule_set("satu-laporan", "Satu", "1")
            return [rs.__class__(**{**rs.__dict__, "report_formats": rs.report_formats[:1]})]

    assert check_plugin(plugin_satu_laporan) == ["satu-laporan: ships 1 report format(s); at least 2"]


@pytest.fixture
def starter(tmp_path):
    root = new_region("contoh-baru", tmp_path, "Kabupaten Contoh Baru")
    sys.path.insert(0, str(root))
    yield root
    sys.path.remove(str(root))
    sys.modules.pop(module_name("contoh-baru"), None)


def test_starter_output_is_an_installable_package_passing_the_kit(starter):
    pyproject = tomllib.loads((starter / "pyproject.toml").read_text())
    module = module_name("contoh-baru")
    assert pyproject["project"]["entry-points"]["kinerja.regions"] == {"contoh-baru": module}
    assert pyproject["project"]["dependencies"] == ["kinerja"]
    plugin = importlib.import_module(module)
    assert check_plugin(plugin) == []
    assert plugin.RULE_SET.name == "Kabupaten Contoh Baru"


def test_starter_own_test_suite_passes_with_the_kit(starter):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(starter), str(ROOT)])}
    run = subprocess.run(  # noqa: S603 - our own interpreter and a generated test folder
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(starter / "tests")],
        cwd=starter, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 passed" in run.stdout


def test_starter_refuses_bad_codes_and_existing_folders(tmp_path):
    with pytest.raises(StarterError):
        new_region("Bad Code", tmp_path)
    new_region("ada", tmp_path)
    with pytest.raises(StarterError, match="already exists"):
        new_region("ada", tmp_path)
