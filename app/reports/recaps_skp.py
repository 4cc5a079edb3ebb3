"""Recaps of the appraisal cycle: SKP status per OPD, predikat per unit with the
curve check, objections per OPD, training per OPD.

Each recap runs one or two GROUP BY statements whatever the number of
employees. An employee counts in the unit of their current position, as on the
unit distribution page (``app.skp.evaluation.unit``). Without a unit filter the
rows are per OPD; with one, per unit at and below the chosen unit.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from sqlalchemy import and_, func, select

from app.extensions import db
from app.org.models import Employee, Position
from app.publik.transparency import predikat_labels
from app.reports.recaps import NO, Column, Recap, RecapFilter, numbered, share, simple
from app.settings.services import rules_for_period
from app.skp.evaluation.forms import ORGANISATION_PREDIKAT_LABELS
from app.skp.evaluation.models import Evaluation
from app.skp.evaluation.unit import organisation_choices
from app.skp.objections.models import Objection, ObjectionStatus
from app.skp.planning.labels import STATUS_LABELS
from app.skp.planning.models import Plan, PlanStatus
from app.skp.training.models import TrainingCourse, TrainingRecord, TrainingStatus


def _group_column(flt: RecapFilter) -> Column:
    return Column(_l("Unit kerja") if flt.unit is not None else _l("Perangkat daerah"), "text", 40)


def _group_of(flt: RecapFilter, unit_id: int | None) -> int | None:
    """The row an employee of ``unit_id`` counts in: their unit when filtered, else its OPD."""
    return unit_id if flt.unit is not None else flt.tree.opd_of(unit_id)


def _sorted_groups(flt: RecapFilter, groups) -> list[int | None]:
    return sorted(groups, key=lambda g: (g is None, flt.tree.name(g).lower(), g or 0))


def _where_unit(query, flt: RecapFilter, column):
    clause = flt.unit_clause(column)
    return query.where(clause) if clause is not None else query


# --- SKP status per OPD -----------------------------------------------------------------

PLAN_ORDER = (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED, PlanStatus.AGREED)


def status_columns(flt: RecapFilter) -> list[Column]:
    return [NO, _group_column(flt), Column(_l("Jumlah pegawai"), "int"),
            *(Column(STATUS_LABELS[s], "int") for s in PLAN_ORDER),
            Column(_l("Belum menyusun SKP"), "int", 18), Column(_l("Disetujui (%)"), "pct")]


def status_rows(flt: RecapFilter) -> Iterator[list[Any]]:
    """Active employees per unit × the status of their plan for the year (NULL: no plan)."""
    year = flt.year_period
    query = (
        select(Position.unit_id, Plan.status, func.count(Employee.id))
        .select_from(Employee)
        .outerjoin(Position, Employee.position_id == Position.id)
        .outerjoin(Plan, and_(Plan.employee_id == Employee.id, Plan.period_id == year.id))
        .where(Employee.active)
        .group_by(Position.unit_id, Plan.status)
    )
    counts: dict[int | None, Counter] = defaultdict(Counter)
    for unit_id, status, n in db.session.execute(_where_unit(query, flt, Position.unit_id)):
        counts[_group_of(flt, unit_id)][PlanStatus(status) if status else None] += n

    def rows():
        for group in _sorted_groups(flt, counts):
            c = counts[group]
            total = sum(c.values())
            yield [flt.tree.name(group), total, *(c[s] for s in PLAN_ORDER), c[None],
                   share(c[PlanStatus.AGREED], total)]
    return numbered(rows())


# --- predikat per unit with the curve check -----------------------------------------------

def _labels() -> list[tuple[str, str]]:
    """The tenant's predikat, best first, plus any older code stored in the period."""
    return [(code, str(label)) for code, label in predikat_labels()]


def _predikat_columns(flt: RecapFilter, codes: list[tuple[str, str]]) -> list[Column]:
    return [NO, Column(_l("Perangkat daerah"), "text", 32), Column(_l("Unit kerja"), "text", 32),
            Column(_l("Predikat kinerja organisasi"), "text", 24), Column(_l("Jumlah pegawai"), "int"),
            Column(_l("Dinilai"), "int", 10), *(Column(label, "int") for _code, label in codes),
            Column(_l("Belum dinilai"), "int"), *(Column(f"% {label}", "pct") for _code, label in codes),
            Column(_l("Pola distribusi"), "text", 16), Column(_l("Catatan"), "text", 60)]


def _spread(flt: RecapFilter):
    """unit id → (predikat counts, stored organisation predikat: (count, first name), stored labels)."""
    organisation = Evaluation.inputs["organisation_predikat"].as_string()
    query = (
        select(Position.unit_id, Evaluation.predikat_code, organisation, func.count(Evaluation.id),
               func.min(Employee.name), func.max(Evaluation.predikat_label))
        .select_from(Evaluation)
        .join(Plan, Evaluation.plan_id == Plan.id)
        .join(Employee, Plan.employee_id == Employee.id)
        .join(Position, Employee.position_id == Position.id)
        .where(Evaluation.period_id == flt.period.id)
        .group_by(Position.unit_id, Evaluation.predikat_code, organisation)
    )
    spread: dict[int, tuple[Counter, dict, dict]] = {}
    for unit_id, code, org, n, first_name, label in db.session.execute(_where_unit(query, flt, Position.unit_id)):
        counts, orgs, labels = spread.setdefault(unit_id, (Counter(), {}, {}))
        if code:
            counts[code] += n
            labels.setdefault(code, label or code)
        if org:
            have, name = orgs.get(org, (0, first_name))
            orgs[org] = (have + n, min(name or "", first_name or ""))
    return spread


def _chosen(orgs: dict[str, tuple[int, str]], choices: tuple[str, ...]) -> tuple[str, bool]:
    """As the unit page chooses: the organisation predikat stored most often (ties:
    the one met first in name order), else "baik"."""
    if orgs:
        return min(orgs.items(), key=lambda item: (-item[1][0], item[1][1]))[0], True
    return ("baik" if "baik" in choices else choices[0]), False


def _employees_per_unit(flt: RecapFilter) -> dict[int, int]:
    query = (select(Position.unit_id, func.count(Employee.id)).select_from(Employee)
             .join(Position, Employee.position_id == Position.id)
             .where(Employee.active).group_by(Position.unit_id))
    return dict(db.session.execute(_where_unit(query, flt, Position.unit_id)).all())


@dataclass(frozen=True)
class UnitSpread:
    """A unit's predikat spread for the period and whether it fits its curve."""

    unit_id: int | None
    opd: str
    unit: str
    organisation: str  # the organisation predikat's label (marked when not set yet)
    employees: int
    rated: int
    counts: Counter
    ok: bool | None  # None: nobody rated yet
    notes: str  # the violations, as sentences
    violating: frozenset[str] = frozenset()  # the predikat codes the violations are about


class PredikatRecap:
    """Computed once per filter: the columns depend on the predikat found."""

    def __init__(self, flt: RecapFilter) -> None:
        self.flt = flt
        self.spread = _spread(flt)
        self.employees = _employees_per_unit(flt)
        codes = _labels()
        known = {code for code, _label in codes}
        extra = sorted({c for counts, _o, _l2 in self.spread.values() for c in counts} - known)
        stored = {c: lbl for _c, _o, labels in self.spread.values() for c, lbl in labels.items()}
        self.codes = [*codes, *((c, stored.get(c, c)) for c in extra)]

    def columns(self) -> list[Column]:
        return _predikat_columns(self.flt, self.codes)

    def units(self) -> Iterator[UnitSpread]:
        """Each unit's spread and curve check, in the recap's order."""
        rt = rules_for_period(self.flt.period)  # the curve policy of the period's settings version
        choices = organisation_choices(rt)
        tree = self.flt.tree
        units = set(self.spread) | set(self.employees)
        ordered = sorted(units, key=lambda u: (tree.opd_name(u).lower(), tree.name(u).lower(), u))
        for unit_id in ordered:
            counts, orgs, _stored = self.spread.get(unit_id, (Counter(), {}, {}))
            rated = sum(counts.values())
            chosen, is_set = _chosen(orgs, choices)
            check = rt.distribution_check(chosen, list(counts.elements())) if rated else None
            org_label = str(ORGANISATION_PREDIKAT_LABELS.get(chosen, chosen))
            if not is_set:
                org_label = _("%(label)s (belum ditetapkan)", label=org_label)
            yield UnitSpread(unit_id, tree.opd_name(unit_id), tree.name(unit_id), org_label,
                             self.employees.get(unit_id, 0), rated, counts,
                             None if check is None else check.ok,
                             "" if check is None else " ".join(v.message for v in check.violations),
                             frozenset() if check is None else
                             frozenset(code for v in check.violations for code in v.predikat))

    def rows(self) -> Iterator[list[Any]]:
        for u in self.units():
            status = (_("Belum ada penilaian") if u.ok is None
                      else pgettext("distribution curve", "Sesuai") if u.ok
                      else pgettext("distribution curve", "Tidak sesuai"))
            yield [u.opd, u.unit, u.organisation, u.employees, u.rated,
                   *(u.counts[c] for c, _label in self.codes), max(u.employees - u.rated, 0),
                   *(share(u.counts[c], u.rated) for c, _label in self.codes), status, u.notes]


def predikat_recap(flt: RecapFilter) -> tuple[list[Column], Iterator[list[Any]]]:
    recap = PredikatRecap(flt)
    return recap.columns(), numbered(recap.rows())


# --- objections per OPD --------------------------------------------------------------------

def objection_columns(flt: RecapFilter) -> list[Column]:
    return [NO, _group_column(flt), Column(_l("Keberatan diajukan"), "int", 18),
            Column(_l("Menunggu keputusan"), "int", 18), Column(_l("Sudah diputus"), "int"),
            Column(_l("Hasil tetap"), "int"), Column(_l("Hasil diubah"), "int"), Column(_l("Diubah (%)"), "pct")]


def objection_rows(flt: RecapFilter) -> Iterator[list[Any]]:
    """Objections to the period's evaluations per unit × status."""
    query = (
        select(Position.unit_id, Objection.status, func.count(Objection.id))
        .select_from(Objection)
        .join(Evaluation, Objection.evaluation_id == Evaluation.id)
        .join(Plan, Evaluation.plan_id == Plan.id)
        .join(Employee, Plan.employee_id == Employee.id)
        .outerjoin(Position, Employee.position_id == Position.id)
        .where(Evaluation.period_id == flt.period.id)
        .group_by(Position.unit_id, Objection.status)
    )
    counts: dict[int | None, Counter] = defaultdict(Counter)
    for unit_id, status, n in db.session.execute(_where_unit(query, flt, Position.unit_id)):
        counts[_group_of(flt, unit_id)][ObjectionStatus(status)] += n

    def rows():
        for group in _sorted_groups(flt, counts):
            c = counts[group]
            decided = c[ObjectionStatus.UPHELD] + c[ObjectionStatus.CHANGED]
            yield [flt.tree.name(group), sum(c.values()), c[ObjectionStatus.OPEN], decided,
                   c[ObjectionStatus.UPHELD], c[ObjectionStatus.CHANGED], share(c[ObjectionStatus.CHANGED], decided)]
    return numbered(rows())


# --- training per OPD ----------------------------------------------------------------------

TRAINING_ORDER = (TrainingStatus.RECOMMENDED, TrainingStatus.ENROLLED, TrainingStatus.COMPLETED,
                  TrainingStatus.DECLINED)
TRAINING_LABELS = {
    TrainingStatus.RECOMMENDED: _l("Direkomendasikan"), TrainingStatus.ENROLLED: _l("Terdaftar"),
    TrainingStatus.COMPLETED: _l("Selesai"), TrainingStatus.DECLINED: _l("Ditolak"),
}


def training_columns(flt: RecapFilter) -> list[Column]:
    return [NO, _group_column(flt), Column(_l("Rekomendasi pelatihan"), "int", 20),
            *(Column(TRAINING_LABELS[s], "int") for s in TRAINING_ORDER),
            Column(_l("JP selesai"), "num", 12), Column(_l("Pegawai yang menyelesaikan"), "int", 20)]


def training_rows(flt: RecapFilter) -> Iterator[list[Any]]:
    """Training records of the period's year per unit × status, with the JP of
    completed catalogue courses (as ``completed_hours`` counts them)."""
    query = (
        select(Position.unit_id, TrainingRecord.status, func.count(TrainingRecord.id),
               func.coalesce(func.sum(TrainingCourse.hours), 0),
               func.count(func.distinct(TrainingRecord.employee_id)))
        .select_from(TrainingRecord)
        .join(Employee, TrainingRecord.employee_id == Employee.id)
        .outerjoin(Position, Employee.position_id == Position.id)
        .outerjoin(TrainingCourse, TrainingRecord.course_id == TrainingCourse.id)
        .where(TrainingRecord.year == flt.period.year)
        .group_by(Position.unit_id, TrainingRecord.status)
    )
    counts: dict[int | None, Counter] = defaultdict(Counter)
    hours: dict[int | None, float] = defaultdict(float)
    people: dict[int | None, int] = defaultdict(int)
    for unit_id, status, n, jp, employees in db.session.execute(_where_unit(query, flt, Position.unit_id)):
        group = _group_of(flt, unit_id)
        status = TrainingStatus(status)
        counts[group][status] += n
        if status is TrainingStatus.COMPLETED:
            hours[group] += float(jp or 0)
            people[group] += employees  # an employee sits in one unit: the sums do not overlap

    def rows():
        for group in _sorted_groups(flt, counts):
            c = counts[group]
            yield [flt.tree.name(group), sum(c.values()), *(c[s] for s in TRAINING_ORDER),
                   round(hours[group], 1), people[group]]
    return numbered(rows())


RECAPS = (
    Recap("status-skp", _l("Status SKP per perangkat daerah"),
          _l("Rencana SKP tahun periode terpilih per status, dan pegawai aktif yang belum menyusun SKP."),
          simple(status_columns, status_rows)),
    Recap("predikat", _l("Predikat kinerja per unit kerja"),
          _l("Sebaran predikat pegawai per unit untuk periode terpilih (penilaian draf dan final), dengan "
             "pemeriksaan pola distribusi terhadap predikat kinerja organisasi unit."),
          predikat_recap),
    Recap("keberatan", _l("Keberatan per perangkat daerah"),
          _l("Keberatan atas hasil evaluasi periode terpilih: diajukan, diputus, dan hasilnya."),
          simple(objection_columns, objection_rows)),
    Recap("pelatihan", _l("Pelatihan per perangkat daerah"),
          _l("Rekomendasi pelatihan tahun periode terpilih per status dan jam pelajaran (JP) yang diselesaikan."),
          simple(training_columns, training_rows)),
)
