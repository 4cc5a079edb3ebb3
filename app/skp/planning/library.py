"""The indicator library as a plan owner sees it, and the one choice between
a library IKI and one's own.

The library is narrowed to what fits the plan owner: first the indicators
the admin gave to their position or unit (indicator sets), then those of
their unit's sector and "umum"; the rest of the region's library is offered
only on request ("tampilkan semua") or when the IKI being edited already
comes from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.errors import Invalid
from app.regions.types import Indicator, RuleSet
from app.skp.planning.indicator_sets import assignments_for
from app.skp.planning.models import Plan
from app.skp.planning.sectors import library_for

SOURCE_LIBRARY = "pustaka"
SOURCE_OWN = "sendiri"
SOURCE_LABELS = {SOURCE_LIBRARY: _l("Pilih dari pustaka indikator"), SOURCE_OWN: _l("Tulis IKI sendiri")}


@dataclass(frozen=True)
class Library:
    """The plan owner's view of the library, in the order it is offered."""

    for_position: list[Indicator] = field(default_factory=list)  # given by the admin to the position/unit
    for_unit: list[Indicator] = field(default_factory=list)  # the unit's sector and "umum"
    others: list[Indicator] = field(default_factory=list)  # the rest (shown on request)

    @property
    def suggested(self) -> list[Indicator]:
        return self.for_position + self.for_unit

    def codes(self, everything: bool) -> set[str]:
        shown = self.suggested + (self.others if everything else [])
        return {i.code for i in shown}


def library_of(plan: Plan, rule_set: RuleSet) -> Library:
    """The library split for ``plan``'s owner by position, unit and the rest."""
    position = plan.employee.position
    unit = position.unit if position is not None else None
    own_sector, other_sectors = library_for(unit, rule_set)
    given: list[str] = []
    for assignment in assignments_for(plan):
        given += [c for c in assignment.indicator_codes if c not in given]
    for_position = [i for code in given if (i := rule_set.indicator(code)) is not None]
    taken = {i.code for i in for_position}
    return Library(for_position, [i for i in own_sector if i.code not in taken],
                   [i for i in other_sectors if i.code not in taken])


def default_source(library: Library, current_code: str | None, editing: bool) -> str:
    """What the choice starts on: the IKI's own kind when editing, else the library when it offers anything."""
    if editing:
        return SOURCE_LIBRARY if current_code else SOURCE_OWN
    return SOURCE_LIBRARY if library.suggested else SOURCE_OWN


def chosen_code(source: str | None, code: str | None) -> str | None:
    """The library code the person chose, or None for their own IKI.

    ``source`` is the explicit choice; a form sent without it (an older page,
    a client of its own) keeps the old meaning: a code means the library."""
    code = (code or "").strip() or None
    if source == SOURCE_OWN:
        return None
    if source == SOURCE_LIBRARY and code is None:
        raise Invalid(_l("Pilih satu indikator dari pustaka, atau pilih \u201cTulis IKI sendiri\u201d."),
                      "indicator_code")
    if source not in (None, "", SOURCE_LIBRARY, SOURCE_OWN):
        raise Invalid(_l("Pilih: dari pustaka atau IKI sendiri."), "source")
    return code
