"""Admin instansi: assessment years — open a year with the sub-periods of the
region's scheme, set when plans lock and evaluations are due, lock plans now
(after asking the region's rule set what still blocks it)."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.roles import admin_required
from app.extensions import db
from app.org.models import Unit
from app.periods import services
from app.periods.forms import DatesForm, LockForm, OpenYearForm
from app.periods.models import Period, PeriodKind
from app.regions.inputs import CriteriaConsultation, PlanningInput
from app.regions.manager import regions
from app.skp.planning.models import Plan, PlanStatus
from app.tenancy.web import tenant_blueprint

bp = tenant_blueprint("periods", __name__, "/admin/periode")


@bp.before_request
@admin_required
def _admins_only():
    """Every page here is for the admin instansi."""


def _runtime():
    return regions().for_tenant(g.tenant)


def _year_or_404(period_id: int) -> Period:
    period = db.session.get(Period, period_id)
    if period is None or period.kind is not PeriodKind.YEAR:
        abort(404)
    return period


def today() -> date:
    return date.today()


def _plan_counts(period_ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {pid: {} for pid in period_ids}
    if period_ids:
        rows = db.session.execute(
            select(Plan.period_id, Plan.status, func.count()).where(Plan.period_id.in_(period_ids))
            .group_by(Plan.period_id, Plan.status)).all()
        for period_id, status, n in rows:
            counts[period_id][PlanStatus(status).value] = n
    return counts


@bp.route("/")
def index():
    years = services.years()
    runtime = _runtime()
    return render_template("periods/index.html", years=years, counts=_plan_counts([y.id for y in years]),
                           scheme=services.SCHEME_LABELS[runtime.rule_set.period_scheme],
                           rule_set=runtime.rule_set, today=today())


@bp.route("/buka", methods=["GET", "POST"])
def open_year():
    runtime = _runtime()
    scheme = runtime.rule_set.period_scheme
    form = OpenYearForm()
    if request.method == "GET" and form.year.data is None:
        form.year.data = today().year + (1 if today().month >= 10 else 0)
    if form.validate_on_submit():
        try:
            opened = services.open_new_year(form.year.data, scheme, form.plans_lock_on.data,
                                            form.evaluation_due_on.data)
            db.session.commit()
        except services.PeriodError as exc:
            db.session.rollback()
            form.year.errors.append(str(exc.message))
        else:
            flash(_("Tahun %(year)d dibuka dengan periode %(scheme)s.", year=opened.year,
                    scheme=services.SCHEME_LABELS[scheme]), "success")
            return redirect(url_for("periods.detail", period_id=opened.id))
    status = 422 if request.method == "POST" else 200
    preview = services.sub_period_dates(form.year.data, scheme) if isinstance(form.year.data, int) and \
        services.MIN_YEAR <= form.year.data <= services.MAX_YEAR else []
    return render_template("periods/open.html", form=form, scheme=services.SCHEME_LABELS[scheme],
                           preview=preview), status


def _sectors(rule_set) -> tuple[str, ...]:
    """The indicator sectors the tenant's active units work in."""
    from app.skp.planning.services import sector_of

    units = db.session.scalars(select(Unit).where(Unit.active)).all()
    found = {sector_of(u, rule_set.sectors) for u in units}
    return tuple(sorted(s for s in found if s))


def _blockers(period: Period, lock_on: date, form: LockForm | None = None) -> list[str]:
    runtime = _runtime()
    consultation = None
    if form is not None and form.consultation_published_on.data and form.consultation_closes_on.data:
        consultation = CriteriaConsultation(
            published_on=form.consultation_published_on.data, closes_on=form.consultation_closes_on.data,
            comments_received=form.comments_received.data or 0,
            responses_published=bool(form.responses_published.data))
    planning = PlanningInput(period_label=period.label, lock_on=lock_on, sectors=_sectors(runtime.rule_set),
                             consultation=consultation)
    return runtime.plan_lock_blockers(planning)


def _render_detail(period: Period, dates: DatesForm | None = None, lock: LockForm | None = None,
                   blockers: list[str] | None = None, status: int = 200):
    if dates is None:
        dates = DatesForm(formdata=None, obj=period)
    lock = lock or LockForm(formdata=None)
    counts = _plan_counts([period.id])[period.id]
    locked = period.plans_lock_on is not None and today() >= period.plans_lock_on
    return render_template("periods/detail.html", period=period, dates=dates, lock=lock, blockers=blockers,
                           counts=counts, locked=locked, today=today(),
                           not_agreed=sum(n for s, n in counts.items() if s != PlanStatus.AGREED.value)), status


@bp.route("/<int:period_id>", methods=["GET", "POST"])
def detail(period_id: int):
    period = _year_or_404(period_id)
    if request.method == "GET":
        return _render_detail(period)
    form = DatesForm()
    if not form.validate_on_submit():
        return _render_detail(period, dates=form, status=422)
    lock_on = form.plans_lock_on.data
    if lock_on is not None and lock_on <= today() and lock_on != period.plans_lock_on:
        # A lock date that is already here locks the plans now: the region's rules decide first.
        blockers = _blockers(period, lock_on)
        if blockers:
            form.plans_lock_on.errors.append(_("SKP belum dapat dikunci per tanggal ini: lihat hambatan di bawah."))
            return _render_detail(period, dates=form, blockers=blockers, status=422)
    try:
        services.set_dates(period, lock_on, form.evaluation_due_on.data)
        db.session.commit()
    except services.PeriodError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc.message))
        return _render_detail(_year_or_404(period_id), dates=form, status=422)
    flash(_("Tanggal tahun %(year)d disimpan.", year=period.year), "success")
    return redirect(url_for("periods.detail", period_id=period.id))


@bp.route("/<int:period_id>/kunci", methods=["POST"])
def lock(period_id: int):
    period = _year_or_404(period_id)
    form = LockForm()
    if not form.validate_on_submit():
        return _render_detail(period, lock=form, status=422)
    on = today()
    if period.plans_lock_on is not None and period.plans_lock_on <= on:
        form.form_errors.append(_("SKP tahun ini sudah terkunci sejak %(day)s.",
                                  day=period.plans_lock_on.strftime("%d-%m-%Y")))
        return _render_detail(period, lock=form, status=422)
    blockers = _blockers(period, on, form)
    if blockers:
        form.form_errors.append(_("Aturan daerah belum mengizinkan SKP dikunci."))
        return _render_detail(period, lock=form, blockers=blockers, status=422)
    consultation = ""
    if form.consultation_published_on.data and form.consultation_closes_on.data:
        consultation = _("konsultasi indikator %(start)s s.d. %(end)s, %(n)d masukan",
                         start=form.consultation_published_on.data.isoformat(),
                         end=form.consultation_closes_on.data.isoformat(), n=form.comments_received.data or 0)
    reason = "; ".join(part for part in ((form.reason.data or "").strip(), consultation) if part) or None
    try:
        services.lock_plans(period, on, reason)
        db.session.commit()
    except services.PeriodError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc.message))
        return _render_detail(_year_or_404(period_id), lock=form, status=422)
    flash(_("SKP tahun %(year)d dikunci mulai hari ini.", year=period.year), "success")
    return redirect(url_for("periods.detail", period_id=period.id))
