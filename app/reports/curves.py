"""The kurva distribusi per unit: each unit's employees per predikat for a period,
drawn against the curve its organisation predikat allows, violations marked —
on the predikat recap page and as one PDF for the BKPSDM's file.

The figures are the predikat recap's (``PredikatRecap.units``), so the curves,
the table and the XLSX always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import gettext as _

from app.charts import Chart, distribution_chart
from app.reports.recaps import RecapFilter
from app.reports.recaps_skp import PredikatRecap, UnitSpread
from app.tenancy import tenant, utc_now

SCREEN_CURVES = 24  # on the page; the PDF holds every unit


@dataclass(frozen=True)
class UnitCurve:
    spread: UnitSpread
    chart: Chart


def unit_curves(flt: RecapFilter, limit: int | None = None) -> list[UnitCurve]:
    """A curve for every unit with rated employees in the period, in the recap's order."""
    recap = PredikatRecap(flt)
    worst_first = list(reversed(recap.codes))
    labels = [label for _code, label in worst_first]
    found = []
    for spread in recap.units():
        if not spread.rated:
            continue
        title = _("%(unit)s — predikat organisasi %(predikat)s", unit=spread.unit, predikat=spread.organisation)
        chart = distribution_chart(labels, [spread.counts[code] for code, _label in worst_first], title=title,
                                   violations=[i for i, (code, _label) in enumerate(worst_first)
                                               if code in spread.violating])
        found.append(UnitCurve(spread, chart))
        if limit is not None and len(found) >= limit:
            break
    return found


def curves_pdf(flt: RecapFilter) -> bytes:
    """Every unit's curve with its table and verdict, one unit per block, A4."""
    from weasyprint import HTML  # imported on first use: it loads Pango

    html = render_template("reports/curves_pdf.html", curves=unit_curves(flt), flt=flt, tenant_name=tenant().name,
                           generated_at=utc_now())
    return HTML(string=html).write_pdf()
