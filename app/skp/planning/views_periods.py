"""Admin instansi: assessment years — open a year with the sub-periods of the
region's scheme, set when plans lock and evaluations are due, lock plans now.

A planning screen (it counts plans and locks them), on its own blueprint
"periods" under /admin/periode. Whether plans may lock is the region's rule,
asked by ``app.skp.planning.locking``, not here.
"""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.roles import admin_required
from app.extensions import db
from app.periods import services as calendar
from app.periods.models import Period, PeriodKind
from app.skp.planning import locking
from app.skp.planning.forms_periods import DatesForm, LockForm, OpenYearForm
from app.skp.planning.guards import plans_locked
from app.skp.planning.models import PlanStatus
from app.tenancy import tenant_rules, tenant_today
from app.tenancy.web import tenant_blueprint
from app.web.forms import form_status, perform

bp = tenant_blueprint("periods", __name__, "/admin/periode", template_folder="templates", guard=admin_required)



def _year_or_404(period_id: int) -> Period:
    period = db.session.get(Period, period_id)
    if period is None or period.kind is not PeriodKind.YEAR:
        abort(404)
    return period


@bp.route("/")
def index():
    years = calendar.years()
    rule_set = tenant_rules().rule_set
    return render_template("periods/index.html", years=years, counts=locking.plan_counts([y.id for y in years]),
                           scheme=calendar.SCHEME_LABELS[rule_set.period_scheme], rule_set=rule_set,
                           today=tenant_today())


@bp.route("/buka", methods=["GET", "POST"])
def open_year():
    scheme = tenant_rules().rule_set.period_scheme
    form = OpenYearForm()
    if request.method == "GET" and form.year.data is None:
        today = tenant_today()
        form.year.data = today.year + (1 if today.month >= 10 else 0)
    done = None
    if form.validate_on_submit():
        done = perform(form, lambda: calendar.open_new_year(form.year.data, scheme, form.plans_lock_on.data,
                                                            form.evaluation_due_on.data),
                       success=lambda opened: _("Tahun %(year)d dibuka dengan periode %(scheme)s.",
                                                year=opened.year, scheme=calendar.SCHEME_LABELS[scheme]),
                       redirect_to=lambda opened: url_for("periods.detail", period_id=opened.id))
        if done.ok:
            return done.response
    preview = calendar.sub_period_dates(form.year.data, scheme) if isinstance(form.year.data, int) and \
        calendar.MIN_YEAR <= form.year.data <= calendar.MAX_YEAR else []
    return render_template("periods/open.html", form=form, scheme=calendar.SCHEME_LABELS[scheme],
                           preview=preview), form_status(form, done)


def _render_detail(period: Period, dates: DatesForm | None = None, lock: LockForm | None = None,
                   status: int = 200):
    if dates is None:
        dates = DatesForm(formdata=None, obj=period)
    counts = locking.plan_counts([period.id])[period.id]
    return render_template("periods/detail.html", period=period, dates=dates, lock=lock or LockForm(formdata=None),
                           counts=counts, locked=plans_locked(period),
                           not_agreed=sum(n for s, n in counts.items() if s != PlanStatus.AGREED.value)), status


@bp.route("/<int:period_id>", methods=["GET", "POST"])
def detail(period_id: int):
    period = _year_or_404(period_id)
    if request.method == "GET":
        return _render_detail(period)
    form = DatesForm()
    if not form.validate_on_submit():
        return _render_detail(period, dates=form, status=422)
    done = perform(form, lambda: locking.set_year_dates(current_user, period, form.plans_lock_on.data,
                                                        form.evaluation_due_on.data),
                   success=_("Tanggal tahun %(year)d disimpan.", year=period.year),
                   redirect_to=url_for("periods.detail", period_id=period.id))
    return done.response if done.ok else _render_detail(_year_or_404(period_id), dates=form, status=done.status)


@bp.route("/<int:period_id>/kunci", methods=["POST"])
def lock(period_id: int):
    period = _year_or_404(period_id)
    form = LockForm()
    if not form.validate_on_submit():
        return _render_detail(period, lock=form, status=422)
    done = perform(form, lambda: locking.lock_plans(current_user, period, None, None, form.reason.data),
                   success=_("SKP tahun %(year)d dikunci mulai hari ini.", year=period.year),
                   redirect_to=url_for("periods.detail", period_id=period.id))
    return done.response if done.ok else _render_detail(_year_or_404(period_id), lock=form, status=done.status)
