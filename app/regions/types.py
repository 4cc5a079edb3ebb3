"""Typed, immutable objects that region plugins return to the core.

A region plugin describes its rules as data: a ``RuleSet`` built from the
frozen dataclasses below (tuples, never lists, so a rule set cannot be changed
after start-up). The core validates a rule set when the application starts
(``app.regions.validation``), scores with it (``app.regions.scoring``) and
stores a JSON snapshot of it with every finished evaluation
(``app.regions.snapshot``).

Fields marked ``metadata={"snapshot": False}`` hold code (renderers, the settings
schema) and are not part of a snapshot: a snapshot is what scoring needs, nothing more.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.regions.documents import DocumentSubject, RenderedDocument

# --- vocabularies ---------------------------------------------------------------


class PeriodScheme(enum.StrEnum):
    """How a year is divided for periodic assessment."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMESTER = "semester"
    ANNUAL = "annual"


class AnnualAggregation(enum.StrEnum):
    """How the annual result follows from the periodic ones.

    ``MEAN``: the mean of the periodic scores (numeric schemes) or of the
    predikat ranks, rounded half up (matrix scheme). ``LAST``: the last period's
    result is the annual result (it is assessed against the whole annual SKP).
    ``LOWEST``: the weakest periodic result.
    """

    MEAN = "mean"
    LAST = "last"
    LOWEST = "lowest"


class Aspect(enum.StrEnum):
    """The aspect an IKI measures (PermenPANRB 6/2022)."""

    KUANTITAS = "kuantitas"
    KUALITAS = "kualitas"
    WAKTU = "waktu"
    BIAYA = "biaya"


class Direction(enum.StrEnum):
    """Whether a higher or a lower realisation is the better one."""

    HIGHER_IS_BETTER = "higher"
    LOWER_IS_BETTER = "lower"


class Expectation(enum.StrEnum):
    """A penilai's rating against expectations (PermenPANRB 6/2022)."""

    DI_ATAS = "di_atas"
    SESUAI = "sesuai"
    DI_BAWAH = "di_bawah"


class Rater(enum.StrEnum):
    """Who gave a behaviour score. Peers, subordinates and the public make it 360°."""

    ATASAN = "atasan"
    REKAN = "rekan"
    BAWAHAN = "bawahan"
    MASYARAKAT = "masyarakat"


class ComponentSource(enum.StrEnum):
    """Where a numeric component's value (0–120) comes from.

    ``HASIL_KERJA``: the mean nilai of the indicators plus additional work;
    ``PERILAKU``: the mean behaviour score, combining rater groups by
    ``RuleSet.rater_weights`` when present (360°); ``UNIT_IKM``: the
    satisfaction index of the employee's unit (0–100, ``UnitSatisfaction``);
    ``PELATIHAN``: training hours against the required hours, as 0–100;
    ``INPUT``: a value the penilai enters (``ComponentValue``), e.g. discipline.
    """

    HASIL_KERJA = "hasil_kerja"
    PERILAKU = "perilaku"
    UNIT_IKM = "unit_ikm"
    PELATIHAN = "pelatihan"
    INPUT = "input"


class DistributionMode(enum.StrEnum):
    """What happens when a unit's spread of predikat breaks the curve."""

    OFF = "off"
    WARN = "warn"
    BLOCK = "block"


class PendingEvidencePolicy(enum.StrEnum):
    """What evidence still awaiting the penilai's review does to finalising (API 1.1)."""

    BLOCK = "block"  # finalising is refused until every piece is reviewed
    WARN = "warn"  # finalising is allowed; the pending pieces are shown as a warning


class SmallUnitRounding(enum.StrEnum):
    """Quota shares to head counts in small units (undefined nationally): ``LENIENT`` rounds
    maxima up and minima down; ``STRICT`` the opposite."""

    LENIENT = "lenient"
    STRICT = "strict"


class ReportAudience(enum.StrEnum):
    INTERNAL = "internal"
    PUBLIC = "public"


# --- the indicator library and behaviour catalogue ------------------------------------


@dataclass(frozen=True)
class Target:
    """A target: a single value (``lower == upper``) or a range."""
    lower: float
    upper: float

    @classmethod
    def point(cls, value: float) -> Target:
        return cls(value, value)

    @classmethod
    def range(cls, lower: float, upper: float) -> Target:
        return cls(lower, upper)

    @property
    def is_range(self) -> bool:
        return self.lower != self.upper

    def __str__(self) -> str:
        return f"{self.lower:g}–{self.upper:g}" if self.is_range else f"{self.lower:g}"


@dataclass(frozen=True)
class Indicator:
    """An IKI template in a region's library.

    ``sector`` groups indicators by unit type ("umum" applies to every unit);
    ``programme`` names the regional programme it serves, if any.
    """

    code: str
    name: str
    unit: str
    aspect: Aspect
    direction: Direction = Direction.HIGHER_IS_BETTER
    sector: str = "umum"
    target: Target | None = None
    programme: str = ""


@dataclass(frozen=True)
class Behaviour:
    """One entry of the behaviour catalogue (BerAKHLAK nationally)."""
    code: str
    name: str
    description: str = ""


# --- achievement and scoring --------------------------------------------------------


@dataclass(frozen=True)
class CurveSegment:
    """One piece of the capaian → nilai curve: the straight line through
    (x0, y0) and (x1, y1), applied to capaian in ``[lower, upper)`` (or
    ``[lower, upper]`` with ``include_upper``); ``upper=None`` is unbounded."""

    lower: float
    upper: float | None
    x0: float
    y0: float
    x1: float
    y1: float
    include_upper: bool = False
    note: str = ""


@dataclass(frozen=True)
class AchievementCurve:
    """How capaian (%) becomes nilai (PermenPANRB 8/2021 nationally)."""
    segments: tuple[CurveSegment, ...]
    lower_is_better_floor: float = 0.0  # capaian never goes below this


@dataclass(frozen=True)
class Band:
    """A rating band of a numeric score. ``requires_innovation`` marks a
    conditional band (PP 30/2019: Sangat Baik needs a new idea or method that
    benefits the organisation); it may overlap the unconditional bands."""

    code: str
    label: str
    lower: float
    upper: float
    include_lower: bool = True
    include_upper: bool = False
    requires_innovation: bool = False

    def contains(self, value: float) -> bool:
        above = value >= self.lower if self.include_lower else value > self.lower
        below = value <= self.upper if self.include_upper else value < self.upper
        return above and below


@dataclass(frozen=True)
class Component:
    """A weighted part of a numeric score. Weights of a rule set sum to 100."""
    code: str
    name: str
    weight: float
    source: ComponentSource


@dataclass(frozen=True)
class NumericScheme:
    """A numeric score (PP 30/2019, PP 46/2011): weighted components, then bands."""
    bands: tuple[Band, ...]
    minimum: float = 0.0
    maximum: float = 120.0
    max_additional_points: float = 10.0
    kind: str = "numeric"


@dataclass(frozen=True)
class Predikat:
    code: str
    label: str
    rank: int  # 1 is the best


@dataclass(frozen=True)
class MatrixCell:
    hasil_kerja: Expectation
    perilaku: Expectation
    predikat: str


@dataclass(frozen=True)
class MatrixScheme:
    """The PermenPANRB 6/2022 hasil kerja × perilaku predikat matrix.

    ``hasil_kerja_rating_bands`` suggest the hasil kerja rating from the mean
    indicator nilai when the penilai has not given one (band codes are
    ``Expectation`` values).
    """

    predikat: tuple[Predikat, ...]
    cells: tuple[MatrixCell, ...]
    hasil_kerja_rating_bands: tuple[Band, ...] = ()
    minimum: float = 0.0
    maximum: float = 120.0
    kind: str = "matrix"


# --- policies -----------------------------------------------------------------


@dataclass(frozen=True)
class QuotaRule:
    """A bound on the share (0–1) or count of employees holding ``predikat``."""
    predikat: tuple[str, ...]
    at_most: float | None = None
    at_least: float | None = None
    at_least_count: int | None = None


@dataclass(frozen=True)
class UnitQuota:
    """The quotas that apply to a unit rated ``organisation_predikat``."""
    organisation_predikat: str
    rules: tuple[QuotaRule, ...]


@dataclass(frozen=True)
class DistributionPolicy:
    mode: DistributionMode = DistributionMode.OFF
    quotas: tuple[UnitQuota, ...] = ()
    rounding: SmallUnitRounding = SmallUnitRounding.LENIENT


@dataclass(frozen=True)
class TrainingRule:
    """Recommend ``name`` when a listed indicator's nilai is below
    ``below_nilai``, or a listed behaviour is rated below expectations or
    scored below ``below_nilai``, or a listed component is below ``below_nilai``."""

    code: str
    name: str
    indicators: tuple[str, ...] = ()
    behaviours: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    below_nilai: float = 90.0


# --- reports ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFormat:
    """A report or document of a region. ``render`` gets plain data by ``subject`` (REPORT:
    ``ReportData``; PUBLIC: ``PublicReportData``; SKP: ``SkpDocumentData``; EVALUATION:
    ``EvaluationDocumentData``) and returns text, bytes or a ``RenderedDocument`` (API 1.2).
    ``audience`` PUBLIC and ``subject`` PUBLIC imply each other."""

    code: str
    name: str
    media_type: str
    render: Callable[[Any], str | bytes | RenderedDocument] = field(metadata={"snapshot": False})
    audience: ReportAudience = ReportAudience.INTERNAL
    file_extension: str = "html"
    subject: DocumentSubject = DocumentSubject.REPORT

    def __post_init__(self) -> None:
        if self.audience is ReportAudience.PUBLIC or self.subject is DocumentSubject.PUBLIC:
            object.__setattr__(self, "audience", ReportAudience.PUBLIC)
            object.__setattr__(self, "subject", DocumentSubject.PUBLIC)


# --- the rule set -------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSet:
    """A region's rule set. ``code`` is what a tenant selects.

    ``real_rules`` and ``defaults`` state plainly which numbers come from the
    region's (or the nation's) regulations and which are defaults a tenant
    can change through ``settings_schema``.
    """

    code: str
    name: str
    version: str
    description: str = ""
    period_scheme: PeriodScheme = PeriodScheme.QUARTERLY
    annual_aggregation: AnnualAggregation = AnnualAggregation.MEAN
    legal_basis: tuple[str, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    behaviours: tuple[Behaviour, ...] = ()
    achievement_curve: AchievementCurve | None = None
    scheme: NumericScheme | MatrixScheme | None = None
    components: tuple[Component, ...] = ()
    rater_weights: tuple[tuple[Rater, float], ...] = ()
    distribution: DistributionPolicy = DistributionPolicy()
    objection_window_days: int = 14
    required_training_hours: float = 20.0
    # PermenPANRB 6/2022 [S]: a unit head's hasil kerja equals the unit's own
    # achievement (the core takes the mean capaian of the unit's other
    # employees' evaluations for the period).
    unit_head_follows_unit_achievement: bool = True
    # API 1.1: finalising before the period ends; pending evidence blocks or warns;
    # the unit head (besides the admin) may set the unit's organisation predikat.
    early_finalisation: bool = False
    pending_evidence: PendingEvidencePolicy = PendingEvidencePolicy.BLOCK
    unit_head_sets_organisation_predikat: bool = False
    training: tuple[TrainingRule, ...] = ()
    # API 1.2: position kinds whose SKP uses the kualitatif approach (``skp_approach``).
    qualitative_position_kinds: tuple[str, ...] = ()
    # API 1.3: a held evaluation meeting (rapat evaluasi kinerja) of the employee's
    # unit (or a unit above it) for the period is required before finalising.
    evaluation_meeting_required: bool = False
    real_rules: tuple[str, ...] = ()
    defaults: tuple[str, ...] = ()
    report_formats: tuple[ReportFormat, ...] = field(default=(), metadata={"snapshot": False})
    settings_schema: type | None = field(default=None, metadata={"snapshot": False})

    # Convenience lookups (not fields).
    def indicator(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators if i.code == code), None)

    def behaviour(self, code: str) -> Behaviour | None:
        return next((b for b in self.behaviours if b.code == code), None)

    def report_format(self, code: str) -> ReportFormat | None:
        return next((r for r in self.report_formats if r.code == code), None)

    def indicators_for(self, sector: str) -> tuple[Indicator, ...]:
        """The indicators a unit of ``sector`` chooses from: its own and "umum"."""
        return tuple(i for i in self.indicators if i.sector in (sector, "umum"))

    @property
    def sectors(self) -> tuple[str, ...]:
        return tuple(sorted({i.sector for i in self.indicators}))
