"""``flask regions new <code>``: a starter region plugin as its own package.

The generated package depends on ``kinerja``, registers itself through the
``kinerja.regions`` entry point exactly as the built-in regions do, imports
only the public plugin API (``app.regions.api``), declares the API versions it
supports (``KINERJA_API``), composes the national baseline, and ships a test
that runs the conformance kit.
"""

from __future__ import annotations

from pathlib import Path

from app.regions.compat import API_VERSION
from app.regions.validation import CODE_RE

PYPROJECT = '''[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "kinerja-region-{code}"
version = "0.1.0"
description = "Kinerja region plugin: {name}"
requires-python = ">=3.11"
dependencies = ["kinerja"]

[project.optional-dependencies]
test = ["pytest>=8"]

# How Kinerja finds the plugin: the same entry point group as the built-in regions.
[project.entry-points."kinerja.regions"]
{code} = "{module}"

[tool.setuptools]
packages = ["{module}"]
'''

MODULE = '''"""Region plugin: {name}.

Real rules: the national PermenPANRB 6/2022 baseline (``baseline_rule_set``).
Defaults a tenant can change: everything in the settings schema below.
Replace the sample indicator and hook with your region's own rules, and say
here which numbers come from your region's regulations.
"""

from __future__ import annotations

from marshmallow import fields, validate

from app.regions.api import (
    GENERAL_INDICATORS,
    Aspect,
    Indicator,
    NationalSettingsSchema,
    RuleSet,
    Target,
    baseline_rule_set,
    hookimpl,
)

# The Kinerja plugin API versions this package works with; another is refused at start-up.
KINERJA_API = ">={api_major}.{api_minor},<{api_next}"


class SettingsSchema(NationalSettingsSchema):
    min_indicators = fields.Integer(
        load_default=1, validate=validate.Range(min=1, max=20),
        metadata={{"description": "Jumlah minimal indikator per sektor sebelum SKP dikunci."}})


RULE_SET: RuleSet = baseline_rule_set(
    code="{code}",
    name="{name}",
    version="0.1.0",
    indicators=GENERAL_INDICATORS + (
        Indicator("{prefix}-01", "Jumlah layanan yang diselesaikan", "layanan", Aspect.KUANTITAS,
                  sector="pelayanan", target=Target.point(100)),
    ),
    defaults=("Semua angka mengikuti baseline nasional dan dapat diubah tenant.",),
    settings_schema=SettingsSchema,
)


@hookimpl
def kinerja_rule_sets() -> list[RuleSet]:
    return [RULE_SET]


@hookimpl
def kinerja_plan_lock_blockers(rule_set, planning, settings):
    problems = []
    for sector in planning.sectors:
        if len(rule_set.indicators_for(sector)) < settings["min_indicators"]:
            problems.append(f"Sektor {{sector}} belum memiliki cukup indikator.")
    return problems
'''

TEST = '''"""Runs the Kinerja conformance kit against this plugin (pytest11 plugin `kinerja_regions`)."""

import {module}
from app.regions.api import RegionConformance


class TestConformance(RegionConformance):
    plugin = {module}
'''

README = '''# kinerja-region-{code}: {name}

A Kinerja region plugin (see Kinerja's docs/plugins.md).

```sh
pip install -e '.[test]'      # into the same environment as Kinerja
pytest                        # the conformance kit
flask --app wsgi regions show {code}
```

Select it for a tenant with `rule_set = "{code}"` in its onboarding file.
'''


class StarterError(ValueError):
    pass


def _api_range() -> dict[str, int]:
    major, minor = (int(part) for part in API_VERSION.split(".")[:2])
    return {"api_major": major, "api_minor": minor, "api_next": major + 1}


def module_name(code: str) -> str:
    return "kinerja_region_" + code.replace("-", "_")


def new_region(code: str, directory: Path, name: str | None = None) -> Path:
    """Write the starter package for ``code`` under ``directory``; return its root."""
    if not CODE_RE.match(code):
        raise StarterError(f"Code '{code}' must be 2–40 lowercase letters, digits or '-', starting with a letter.")
    root = Path(directory) / f"kinerja-region-{code}"
    if root.exists():
        raise StarterError(f"{root} already exists.")
    module = module_name(code)
    values = {"code": code, "name": name or code.replace("-", " ").title(), "module": module,
              "prefix": code.split("-")[0].upper()[:6], **_api_range()}
    (root / module).mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT.format(**values), encoding="utf-8")
    (root / module / "__init__.py").write_text(MODULE.format(**values), encoding="utf-8")
    (root / "tests" / "test_conformance.py").write_text(TEST.format(**values), encoding="utf-8")
    (root / "README.md").write_text(README.format(**values), encoding="utf-8")
    return root
