"""The conformance kit: checks every region plugin should pass.

Shipped with the core and exposed to pytest through the ``pytest11`` entry
point ``kinerja_regions``, so a region package's own test suite can run it::

    # tests/test_conformance.py in your region package
    import kinerja_region_contoh
    from app.regions.api import RegionConformance

    class TestConformance(RegionConformance):
        plugin = kinerja_region_contoh

or use the fixtures: define a ``region_plugin`` fixture returning your plugin
module, then use ``region_registry`` / ``region_rule_sets``; or call
``check_plugin(plugin)`` (a list of problems, empty when conformant) yourself.

What is checked, per rule set the plugin registers: the start-up validation
(weights, codes, bands, referenced indicators, settings defaults); at least
two report formats, each rendering the sample data of its subject — a PDF must
parse and hold text (an SKP "SASARAN KINERJA PEGAWAI", an evaluation "Evaluasi
Kinerja" and "Pegawai Yang Dinilai", both the sample NIP), an XLSX must load, a
public format must not show a name or NIP; the settings schema's
defaults; every hook answering a realistic sample through the per-rule-set
caller; every library indicator scoring at its target; and a snapshot that
round-trips through JSON and reproduces the same results.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import pluggy
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.regions import defaults
from app.regions.achievement import achievement
from app.regions.documents import (
    POSITION_KINDS,
    SAMPLE_NIP,
    DocumentSubject,
    RenderedDocument,
    sample_skp_document,
)
from app.regions.errors import PluginError
from app.regions.inputs import (
    BehaviourAssessment,
    ComponentValue,
    CriteriaConsultation,
    EvaluationInput,
    FeedbackSession,
    FollowUpSignal,
    IndicatorRealisation,
    PlanningInput,
    TrainingParticipation,
    UnitSatisfaction,
)
from app.regions.loading import new_plugin_manager, register_plugin
from app.regions.manager import RegionRegistry
from app.regions.reports import XLSX_MEDIA_TYPE, sample_data_for, sample_report_data
from app.regions.scoring import PeriodResult, annual_result, period_result
from app.regions.snapshot import restore, snapshot
from app.regions.types import (
    ComponentSource,
    Expectation,
    MatrixScheme,
    Rater,
    ReportFormat,
    RuleSet,
    Target,
)
from app.regions.validation import predikat_codes, rule_set_problems

MIN_REPORT_FORMATS = 2


# --- samples -------------------------------------------------------------------------


def sample_evaluation(rule_set: RuleSet, realisation_share: float = 1.0) -> EvaluationInput:
    """A complete, plausible evaluation input for ``rule_set`` (every rater,
    component and typed input present). ``realisation_share`` scales realisations."""
    results = tuple(
        IndicatorRealisation(i.code, i.target or Target.point(100),
                             (i.target.upper if i.target else 100) * realisation_share)
        for i in rule_set.indicators[:3]
    )
    raters = [r for r, _ in rule_set.rater_weights] or [Rater.ATASAN]
    behaviours = tuple(
        BehaviourAssessment(b.code, rater, 100.0, Expectation.SESUAI)
        for b in rule_set.behaviours for rater in raters if rater is not Rater.MASYARAKAT
    )
    values = tuple(ComponentValue(c.code, 100.0) for c in rule_set.components
                   if c.source is ComponentSource.INPUT)
    return EvaluationInput(
        employee_ref="198004112005012001", period_label="Periode uji",
        indicator_results=results, behaviours=behaviours, component_values=values,
        hasil_kerja_rating=Expectation.SESUAI, perilaku_rating=Expectation.SESUAI,
        unit_satisfaction=UnitSatisfaction("UNIT-UJI", 85.0, 120, "Periode uji"),
        training=TrainingParticipation(rule_set.required_training_hours, 2),
        feedback_sessions=(FeedbackSession(date(2026, 3, 20), True, "Dialog kinerja"),),
    )


def sample_planning() -> PlanningInput:
    return PlanningInput("Periode uji", date(2026, 1, 31), ("umum",),
                         CriteriaConsultation(date(2026, 1, 2), date(2026, 1, 20), 5, True))


# --- checks ----------------------------------------------------------------------------


def check_rule_set(rule_set: RuleSet) -> list[str]:
    """Problems of one rule set on its own (no plugin manager needed)."""
    problems = list(rule_set_problems(rule_set))
    if problems:
        return problems
    if len(rule_set.report_formats) < MIN_REPORT_FORMATS:
        problems.append(f"ships {len(rule_set.report_formats)} report format(s); at least {MIN_REPORT_FORMATS}")
    unknown = sorted(set(rule_set.qualitative_position_kinds) - set(POSITION_KINDS))
    if unknown:
        problems.append(f"qualitative_position_kinds names unknown position kinds {', '.join(unknown)} "
                        f"(known: {', '.join(POSITION_KINDS)})")
    for fmt in rule_set.report_formats:
        data = sample_data_for(fmt, rule_set)  # public formats get suppressed aggregates only
        try:
            output = fmt.render(data)
        except Exception as exc:  # noqa: BLE001 - reported as a problem
            problems.append(f"report '{fmt.code}' fails to render: {type(exc).__name__}: {exc}")
            continue
        problems += output_problems(fmt, output)
    for ind in rule_set.indicators:
        if ind.target is None:
            continue
        try:
            achievement(rule_set, ind, ind.target, ind.target.upper)
        except Exception as exc:  # noqa: BLE001
            problems.append(f"indicator '{ind.code}' cannot be scored at its target: {exc}")
    try:
        stored = json.loads(json.dumps(snapshot(rule_set)))
        restored = restore(stored)
    except Exception as exc:  # noqa: BLE001
        return [*problems, f"snapshot does not round-trip through JSON: {exc}"]
    if restored != replace(rule_set, report_formats=(), settings_schema=None):
        problems.append("snapshot restores a different rule set")
    evaluation = sample_evaluation(rule_set)
    try:
        live, again = period_result(rule_set, evaluation), period_result(stored, evaluation)
    except Exception as exc:  # noqa: BLE001
        return [*problems, f"the sample evaluation cannot be scored: {type(exc).__name__}: {exc}"]
    if live != again:
        problems.append("scoring from the snapshot differs from scoring with the rule set")
    if live.predikat_code not in predikat_codes(rule_set):
        problems.append(f"sample result has unknown predikat '{live.predikat_code}'")
    annual_result(rule_set, [live, live])
    return problems


def _text_of(fmt: ReportFormat, output: Any) -> tuple[str | None, list[str]]:
    """The readable text of a format's output (PDF text, XLSX cells), and what is wrong with it.
    A PDF is read page by page until the labels and NIP its subject needs are found."""
    content = output.content if isinstance(output, RenderedDocument) else output
    media_type = output.media_type if isinstance(output, RenderedDocument) else fmt.media_type
    if isinstance(output, RenderedDocument) and not output.filename:
        return None, [f"report '{fmt.code}' gives no file name"]
    if isinstance(content, str):
        return content, []
    if not isinstance(content, bytes | bytearray):
        return None, [f"report '{fmt.code}' returned {type(output).__name__}, not text, bytes or RenderedDocument"]
    if media_type == "application/pdf":
        needed = [*REQUIRED_TEXT.get(fmt.subject, ()), SAMPLE_NIP] if fmt.subject in REQUIRED_TEXT else None
        try:
            text = ""
            for page in PdfReader(io.BytesIO(content)).pages:
                text += (page.extract_text() or "") + "\n"
                folded = " ".join(text.split()).casefold()
                if needed and all(n.casefold() in folded for n in needed):
                    break
            return text, []
        except Exception as exc:  # noqa: BLE001
            return None, [f"report '{fmt.code}' is not a readable PDF: {type(exc).__name__}: {exc}"]
    if media_type == XLSX_MEDIA_TYPE:
        try:
            book = load_workbook(io.BytesIO(content), read_only=True)
            return "\n".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
                             for v in row if v is not None), []
        except Exception as exc:  # noqa: BLE001
            return None, [f"report '{fmt.code}' is not a readable XLSX workbook: {type(exc).__name__}: {exc}"]
    return content.decode("utf-8", "replace"), []


# Text a document of each subject must hold (downstream systems search for these), besides the NIP.
REQUIRED_TEXT = {
    DocumentSubject.SKP: ("SASARAN KINERJA PEGAWAI",),
    DocumentSubject.EVALUATION: ("Evaluasi Kinerja", "Pegawai Yang Dinilai"),
}


def output_problems(fmt: ReportFormat, output: Any) -> list[str]:
    """What is wrong with a format's rendering of its sample: nothing rendered, a PDF that
    does not parse or lacks the official labels and the sample NIP, an XLSX that does not
    load, a public format that shows a name or NIP."""
    if not output:
        return [f"report '{fmt.code}' rendered nothing"]
    text, problems = _text_of(fmt, output)
    if text is None:
        return problems
    if not text.strip():
        return [f"report '{fmt.code}' has no text"]
    folded = " ".join(text.split()).casefold()
    for label in REQUIRED_TEXT.get(fmt.subject, ()):
        if label.casefold() not in folded:
            problems.append(f"report '{fmt.code}' lacks the label \"{label}\"")
    if fmt.subject in REQUIRED_TEXT and SAMPLE_NIP not in text:
        problems.append(f"report '{fmt.code}' does not show the pegawai's NIP")
    if fmt.subject is DocumentSubject.PUBLIC:
        personal = [(e.nip, e.employee_name) for e in sample_report_data().evaluations]
        personal.append((SAMPLE_NIP, sample_skp_document().pegawai.name))
        if any(nip in text or name in text for nip, name in personal):
            problems.append(f"public report '{fmt.code}' shows a name or NIP")
    return problems


def conformance_manager(plugin: object, name: str | None = None) -> pluggy.PluginManager:
    """A plugin manager holding the core defaults and ``plugin`` only; the
    plugin is refused (``PluginError``) exactly as at start-up."""
    pm = new_plugin_manager()
    fault = register_plugin(pm, plugin, name or getattr(plugin, "__name__", None) or repr(plugin))
    if fault:
        raise PluginError(str(fault), (fault,))
    return pm


def check_hooks(registry: RegionRegistry, code: str) -> list[str]:
    """Call every hook for rule set ``code`` through its per-rule-set caller."""
    problems = []
    rules = registry.for_rule_set(code)
    rs = rules.rule_set
    evaluation = sample_evaluation(rs)

    def expect(what: str, value: Any, kind: type | tuple[type, ...]) -> None:
        if not isinstance(value, kind):
            problems.append(f"{what} returned {type(value).__name__}")

    try:
        expect("kinerja_plan_lock_blockers", rules.plan_lock_blockers(sample_planning()), list)
        expect("kinerja_evaluation_blockers", rules.evaluation_blockers(evaluation), list)
        for r in evaluation.indicator_results:
            rules.achievement(r.indicator_code, r.target, r.realisation)
        result = rules.period_result(evaluation)
        expect("kinerja_period_result", result, PeriodResult)
        annual = rules.annual_result([result, result])
        if annual.predikat_code not in predikat_codes(rs):
            problems.append(f"kinerja_annual_result gave unknown predikat '{annual.predikat_code}'")
        organisation = rs.distribution.quotas[0].organisation_predikat if rs.distribution.quotas else "baik"
        rules.distribution_check(organisation, [result.predikat_code] * 4)
        weak = sample_evaluation(rs, realisation_share=0.5)
        if isinstance(rs.scheme, MatrixScheme):
            weak = replace(weak, hasil_kerja_rating=Expectation.DI_BAWAH)
        expect("kinerja_training_recommendations",
               rules.training_recommendations(rules.period_result(weak), weak), list)
        expect("kinerja_follow_ups", rules.follow_ups(FollowUpSignal("198004112005012001")), list)
        for fmt in rs.report_formats:
            if fmt.subject in (DocumentSubject.REPORT, DocumentSubject.PUBLIC):
                rules.render_report(fmt.code, sample_data_for(fmt, rs))  # documents: check_rule_set
        for subject, formats in ((s, rules.formats_for(s)) for s in DocumentSubject):
            if any(f.subject is not subject for f in formats):
                problems.append(f"formats_for({subject.value}) lists another subject's format")
    except Exception as exc:  # noqa: BLE001
        problems.append(f"a hook failed on the sample: {type(exc).__name__}: {exc}")
    return problems


def check_plugin(plugin: object, name: str | None = None) -> list[str]:
    """Every conformance problem of ``plugin`` (a module or object with hookimpls)."""
    try:
        pm = conformance_manager(plugin, name)
        registry = RegionRegistry(pm)
    except PluginError as exc:
        return [str(f) for f in exc.faults] or [str(exc)]
    except pluggy.PluginValidationError as exc:
        return [str(exc)]
    own = [code for code, owner in registry.owners.items() if owner != defaults.PLUGIN_NAME]
    if not own:
        return ["the plugin registers no rule set (kinerja_rule_sets)"]
    problems = []
    for code in own:
        problems += [f"{code}: {p}" for p in check_rule_set(registry.rule_sets[code])]
        problems += [f"{code}: {p}" for p in check_hooks(registry, code)]
    return problems


# --- pytest: fixtures and a test class to subclass -------------------------------------------


@pytest.fixture
def region_plugin() -> object:
    """Override in your tests: return the region plugin module under test."""
    pytest.skip("define a `region_plugin` fixture returning your plugin module")


@pytest.fixture
def region_registry(region_plugin: object) -> RegionRegistry:
    """A registry of the core defaults and ``region_plugin`` only."""
    return RegionRegistry(conformance_manager(region_plugin))


@pytest.fixture
def region_rule_sets(region_registry: RegionRegistry) -> Sequence[RuleSet]:
    return [rs for code, rs in region_registry.rule_sets.items()]


class RegionConformance:
    """Subclass in a test module and set ``plugin`` to your plugin module."""

    plugin: object = None

    def _registry(self) -> RegionRegistry:
        assert self.plugin is not None, "set `plugin` on your RegionConformance subclass"
        return RegionRegistry(conformance_manager(self.plugin))

    def test_registers_valid_rule_sets(self) -> None:
        registry = self._registry()
        assert registry.rule_sets, "the plugin registers no rule set"
        for rs in registry.rule_sets.values():
            assert rule_set_problems(rs) == []

    def test_rule_sets_conform(self) -> None:
        registry = self._registry()
        problems = [f"{code}: {p}" for code, rs in registry.rule_sets.items() for p in check_rule_set(rs)]
        assert problems == [], "\n".join(problems)

    def test_every_hook_answers(self) -> None:
        registry = self._registry()
        problems = [p for code in registry.rule_sets for p in check_hooks(registry, code)]
        assert problems == [], "\n".join(problems)

    def test_snapshot_reproduces_result(self) -> None:
        for rs in self._registry().rule_sets.values():
            evaluation = sample_evaluation(rs)
            stored = json.loads(json.dumps(snapshot(rs)))
            assert period_result(stored, evaluation) == period_result(rs, evaluation)
