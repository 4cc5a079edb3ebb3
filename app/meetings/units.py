"""Who heads a unit, as meetings see it; a meeting of a unit covers the units under it
(``app.org.hierarchy.unit_and_descendants``).

The same reading as indicator sets (``app.skp.planning.indicator_sets``): what
is given to a unit holds for its sub-units. Walesi holds its rapat evaluasi
"in each agency": one meeting of the OPD covers every bidang of it, and a
bidang may still hold its own.
"""

from __future__ import annotations

from app.org.models import Position


def is_head_position(position: Position | None) -> bool:
    """The unit's top structural position: one that reports to no position inside
    its own unit (as ``app.skp.evaluation.unit.is_unit_head`` reads a unit head)."""
    if position is None or not position.active or not position.kind.single_holder:
        return False
    return position.reports_to is None or position.reports_to.unit_id != position.unit_id
