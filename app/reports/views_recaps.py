"""The BKPSDM recaps for the admin instansi: /<slug>/admin/rekap/…

One page per recap shows the table for the chosen period and unit; its
"Unduh XLSX" and "Unduh CSV" links carry exactly that filter (``periode``,
``unit``), so the file equals the screen. Junk in the query is ignored (the
default period, every unit); another tenant's period or unit is a 404.
"""

from __future__ import annotations

import io
from itertools import islice

from flask import abort, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.roles import admin_required
from app.extensions import db
from app.org.models import Unit
from app.periods.models import Period
from app.reports import curves, recaps_people, recaps_publik, recaps_skp
from app.reports.recaps import Recap, RecapFilter, default_period, filename, tenant_periods
from app.reports.workbook import CSV_TYPE, XLSX_TYPE, csv_recap, xlsx_recap
from app.tenancy import tenant, utc_now
from app.tenancy.web import tenant_blueprint
from app.web.downloads import guarded_file
from app.web.filters import waktu

bp = tenant_blueprint("recaps", __name__, "/admin/rekap", template_folder="templates", guard=admin_required)

RECAPS: dict[str, Recap] = {r.code: r for r in (*recaps_skp.RECAPS[:2], *recaps_people.RECAPS,
                                                 *recaps_publik.RECAPS, *recaps_skp.RECAPS[2:])}
CURVE_RECAP = "predikat"  # the recap whose page also draws each unit's curve
SCREEN_ROWS = 200  # the page shows the first rows; the downloads hold them all


def _recap(kind: str) -> Recap:
    recap = RECAPS.get(kind)
    if recap is None:
        abort(404)
    return recap


def _filter(recap: Recap, periods: list[Period]) -> RecapFilter | None:
    """The filter of the query string; None when the recap needs a period and the tenant has none."""
    period_id = request.args.get("periode", type=int)
    period = db.get_or_404(Period, period_id) if period_id else default_period(periods)
    unit_id = request.args.get("unit", type=int)
    unit = db.get_or_404(Unit, unit_id) if unit_id else None
    if period is None and recap.uses_period:
        return None
    return RecapFilter.of(period, unit)


def _subtitle(recap: Recap, flt: RecapFilter) -> str:
    parts = []
    if recap.uses_period:
        parts.append(_("Periode: %(period)s", period=flt.period.label))
    parts.append(_("Unit: %(unit)s", unit=flt.unit.name if flt.unit is not None else _("semua unit")))
    parts.append(_("Dibuat %(at)s", at=waktu(utc_now())))
    return " · ".join(parts)


def _args(flt: RecapFilter | None) -> dict:
    if flt is None:
        return {}
    args = {"periode": flt.period.id} if flt.period is not None else {}
    if flt.unit is not None:
        args["unit"] = flt.unit.id
    return args


@bp.route("/")
def index():
    return render_template("reports/recaps_index.html", recaps=list(RECAPS.values()))


@bp.route("/<kind>")
def page(kind: str):
    recap = _recap(kind)
    periods = tenant_periods()
    flt = _filter(recap, periods)
    columns, rows, more = [], [], False
    if flt is not None:
        columns, generated = recap.build(flt)
        rows = list(islice(generated, SCREEN_ROWS + 1))
        generated.close()
        more = len(rows) > SCREEN_ROWS
        rows = rows[:SCREEN_ROWS]
    units = db.session.execute(select(Unit.id, Unit.name).where(Unit.active).order_by(Unit.name)).all()
    shown_curves = curves.unit_curves(flt, curves.SCREEN_CURVES) if kind == CURVE_RECAP and flt else []
    return render_template("reports/recaps_page.html", recap=recap, recaps=list(RECAPS.values()), flt=flt,
                           periods=periods, units=units, columns=columns, rows=rows, more=more,
                           screen_rows=SCREEN_ROWS, args=_args(flt), curves=shown_curves,
                           screen_curves=curves.SCREEN_CURVES)


def _download(kind: str, extension: str):
    recap = _recap(kind)
    flt = _filter(recap, tenant_periods())
    if flt is None:
        abort(404)
    columns, rows = recap.build(flt)
    name = filename(recap, flt, extension)
    if extension == "xlsx":
        data = xlsx_recap(f"{tenant().name} — {recap.title}", _subtitle(recap, flt), columns, rows)
        return guarded_file(io.BytesIO(data), XLSX_TYPE, name, name)
    return guarded_file(io.BytesIO(csv_recap(columns, rows)), CSV_TYPE, name, name)


@bp.route("/<kind>/unduh.xlsx")
def download_xlsx(kind: str):
    return _download(kind, "xlsx")


@bp.route("/predikat/kurva.pdf")
def curves_download():
    flt = _filter(_recap(CURVE_RECAP), tenant_periods())
    if flt is None:
        abort(404)
    name = filename(_recap(CURVE_RECAP), flt, "pdf").replace("rekap-predikat", "kurva-distribusi", 1)
    return guarded_file(io.BytesIO(curves.curves_pdf(flt)), "application/pdf", name, name)


@bp.route("/<kind>/unduh.csv")
def download_csv(kind: str):
    return _download(kind, "csv")
