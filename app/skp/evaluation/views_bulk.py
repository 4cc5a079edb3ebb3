"""The penilai's bulk page: a team's evaluations of one period started or
finalised together, each through the ordinary service and its blockers.

/<slug>/penilaian/massal?tahun=…&periode=…     the team for a period, with tick boxes
/<slug>/penilaian/massal/<period_id>           POST: ``aksi`` = mulai | finalkan
"""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.periods.models import Period
from app.skp.evaluation import bulk
from app.skp.evaluation.worklist import due_year
from app.tenancy import tenant_today
from app.tenancy.web import tenant_blueprint
from app.web.bulk import run_each, selected_ids
from app.web.forms import ConfirmForm

bp = tenant_blueprint("penilaian_massal", __name__, "/penilaian/massal", template_folder="templates",
                      guard=login_required)


def _link(row: bulk.TeamRow) -> str:
    if row.evaluation is not None:
        return url_for("penilaian.detail", evaluation_id=row.evaluation.id)
    return url_for("skp.plan_view", plan_id=row.plan.id)


def _page(year: int, period: Period | None, results=None, form=None, status: int = 200):
    periods = bulk.periods_of_year(current_user, year)
    if period is None and periods:
        period = periods[0]
    rows = bulk.team_for_period(current_user, period) if period is not None else []
    return render_template("skp/eval_bulk.html", year=year, periods=periods, period=period, rows=rows,
                           results=results, form=form or ConfirmForm(), link=_link,
                           START=bulk.START, FINALISE=bulk.FINALISE), status


@bp.route("/")
def index():
    year = request.args.get("tahun", type=int)
    year = year if year and 1900 < year < 3000 else due_year(tenant_today())
    period_id = request.args.get("periode", type=int)
    period = db.session.get(Period, period_id) if period_id and 0 < period_id < 2**31 else None
    if period is not None:
        year = period.year
    return _page(year, period)


@bp.route("/<int:period_id>", methods=["POST"])
def act(period_id: int):
    period = db.get_or_404(Period, period_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _page(period.year, period, form=form, status=400)
    action = request.form.get("aksi", "")
    ids = selected_ids(request.form.getlist("plan"))
    if action not in (bulk.START, bulk.FINALISE):
        form.form_errors.append(_("Pilih: mulai menilai atau finalkan."))
        return _page(period.year, period, form=form, status=422)
    if not ids:
        form.form_errors.append(_("Centang dulu pegawai yang akan diproses."))
        return _page(period.year, period, form=form, status=422)
    versions = {i: request.form.get(f"version-{i}", type=int) for i in ids}
    results = run_each(bulk.rows_for(current_user, period, action, ids, _link, versions), _("Selesai."))
    return _page(period.year, db.session.get(Period, period_id), results=results)


