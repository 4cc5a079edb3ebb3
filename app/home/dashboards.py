"""The role dashboards on the home page: the figures (``app.reports.dashboards``) turned into
charts (``app.charts``), each chart carrying its numbers as a table for screen readers.

- admin instansi: plan and evaluation progress per OPD for a chosen period, the curve check
  per unit, IKM quality bands, open and overdue complaints;
- pejabat penilai: the team's plans and evaluations, due actions, the team's predikat spread;
- pegawai: their own results across periods and years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from flask_babel import get_locale, pgettext
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from app import charts
from app.charts import ACCENT, GREY, LIGHT, WARN, Chart
from app.home.penilai import PenilaiWork
from app.org.models import Employee
from app.periods.models import Period
from app.publik.forms import STATUS_LABELS as COMPLAINT_STATUS_LABELS
from app.publik.ikm import BANDS
from app.reports import dashboards as figures
from app.reports.recaps import RecapFilter, default_period, tenant_periods
from app.skp.planning.labels import STATUS_LABELS as PLAN_STATUS_LABELS
from app.skp.planning.models import PlanStatus
from app.tenancy.current import kept_for

PLAN_ORDER = (PlanStatus.AGREED, PlanStatus.SUBMITTED, PlanStatus.RETURNED, PlanStatus.DRAFT)
PLAN_COLOURS = (ACCENT, "#4d5b6a", GREY, LIGHT, "#eef1f4")


def optional_url(endpoint: str, **values) -> str | None:
    """A link to a screen that may not be installed (None then): menus and dashboard links."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


# --- admin instansi --------------------------------------------------------------------------------------

@dataclass
class AdminDashboard:
    period: Period
    periods: list[Period]
    progress: list[figures.OpdProgress]
    plans_chart: Chart
    evaluations_chart: Chart
    curves: list[figures.UnitCurve]
    curve_chart: Chart
    ikm_chart: Chart
    ikm_respondents: int
    complaints: figures.ComplaintSummary
    complaints_chart: Chart

    @property
    def curve_violations(self) -> list[figures.UnitCurve]:
        return [c for c in self.curves if c.ok is False]


# The admin dashboard's figures are tenant-wide aggregates (GROUP BYs over every plan and
# evaluation of the period: ~100 ms at 10,000 employees): kept per process for a minute per tenant,
# period, day and language, and dropped as soon as this process writes (``kept_for``).
FIGURES_SECONDS = 60


def _admin_figures(period: Period, today: date) -> tuple:
    flt = RecapFilter.of(period, None)
    bands, respondents, _reporting = figures.ikm_bands(period)
    return (figures.opd_progress(flt), figures.curve_compliance(flt), (bands, respondents),
            figures.complaint_summary(today))


def admin_dashboard(period_id: int | None, today: date) -> AdminDashboard | None:
    periods = tenant_periods()
    period = next((p for p in periods if p.id == period_id), None) or default_period(periods, today)
    if period is None:
        return None
    progress, curves, (bands, respondents), complaints = kept_for(
        FIGURES_SECONDS, ("admin_dashboard", period.id, today, str(get_locale())),
        lambda: _admin_figures(period, today))
    names = [r.name for r in progress]
    plans_chart = charts.stacked_bars_chart(
        names,
        [*((str(PLAN_STATUS_LABELS[s]), [r.plans.get(s, 0) for r in progress]) for s in PLAN_ORDER),
         (_("Belum ada SKP"), [r.without_plan for r in progress])],
        _("SKP tahun %(year)d per perangkat daerah", year=period.year), colours=PLAN_COLOURS)
    evaluations_chart = charts.stacked_bars_chart(
        names,
        [(_("Final"), [r.evaluation_count("final") for r in progress]),
         (_("Draf"), [r.evaluation_count("draft") for r in progress]),
         (_("Belum dinilai"), [r.not_evaluated for r in progress])],
        _("Penilaian %(period)s per perangkat daerah", period=period.label), colours=(ACCENT, GREY, LIGHT))
    curve_counts = [sum(1 for c in curves if c.ok is True), sum(1 for c in curves if c.ok is False),
                    sum(1 for c in curves if c.ok is None)]
    curve_chart = charts.bars_chart([pgettext("distribution curve", "Sesuai"), pgettext("distribution curve", "Tidak sesuai"),
                                    _("Belum ada penilaian")], curve_counts,
                                    _("Kurva distribusi per unit kerja, %(period)s", period=period.label),
                                    _("Jumlah unit"), colours=(ACCENT, WARN, LIGHT))
    ikm_chart = charts.bars_chart([f"{b.code} · {b.label}" for b in BANDS], [bands[b.code] for b in BANDS],
                                  _("Unit layanan per mutu pelayanan (IKM), %(period)s", period=period.label),
                                  _("Jumlah unit"), colours=(ACCENT, "#4d5b6a", GREY, WARN))
    complaints_chart = charts.bars_chart(
        [*(str(COMPLAINT_STATUS_LABELS.get(s, s)) for s in complaints.open_by_status),
         _("Belum ditanggapi > %(n)d hari", n=complaints.response_days)],
        [*complaints.open_by_status.values(), complaints.overdue],
        _("Pengaduan terbuka"), _("Jumlah pengaduan"),
        colours=(*([GREY] * len(complaints.open_by_status)), WARN))
    return AdminDashboard(period, periods, progress, plans_chart, evaluations_chart, curves, curve_chart,
                          ikm_chart, respondents, complaints, complaints_chart)


# --- pejabat penilai -------------------------------------------------------------------------------------

@dataclass
class PenilaiDashboard:
    summary: figures.TeamSummary
    due_actions: int
    status_chart: Chart
    distribution_chart: Chart | None


def penilai_dashboard(work: PenilaiWork) -> PenilaiDashboard:
    summary = figures.team_summary(work.year_plans, [e.id for e in work.team], work.year_period)
    due = len(work.plans_to_agree) + len(work.evaluations_due) + work.evidence_total
    labels = [*(str(PLAN_STATUS_LABELS[s]) for s in PLAN_ORDER), _("Belum disusun")]
    values = [*(summary.plans.get(s, 0) for s in PLAN_ORDER), summary.plans.get(None, 0)]
    status_chart = charts.bars_chart(labels, values, _("SKP tim tahun %(year)d", year=work.year),
                                     _("Jumlah pegawai"), colours=PLAN_COLOURS)
    distribution = None
    if summary.rated_period is not None and summary.predikat:
        levels = figures.predikat_levels()
        known = {code for code, _label in levels}
        levels += [(code, summary.labels[code]) for code in sorted(summary.predikat) if code not in known]
        distribution = charts.distribution_chart(
            [label for _code, label in levels], [summary.predikat.get(code, 0) for code, _label in levels],
            title=_("Predikat tim, %(period)s", period=summary.rated_period.label))
    return PenilaiDashboard(summary, due, status_chart, distribution)


# --- pegawai ---------------------------------------------------------------------------------------------

@dataclass
class PegawaiDashboard:
    results: list[figures.OwnResult]
    chart: Chart | None
    score_chart: Chart | None


def pegawai_dashboard(employee: Employee) -> PegawaiDashboard:
    results = figures.own_results(employee.id)
    if not results:
        return PegawaiDashboard([], None, None)
    levels = figures.predikat_levels()
    position = {code: i for i, (code, _label) in enumerate(levels, start=1)}
    by_label = {str(label): i for i, (_code, label) in enumerate(levels, start=1)}
    points = [(r.period_label, position.get(r.predikat_code or "") or by_label.get(r.predikat_label or ""))
              for r in results]
    chart = (charts.rank_chart(points, [label for _code, label in levels], _("Predikat saya per periode"))
             if levels else None)
    scores = [(r.period_label, r.score) for r in results]
    score_chart = (charts.trend_chart(scores, _("Nilai saya per periode"), _("Nilai"))
                   if any(s is not None for _p, s in scores) else None)
    return PegawaiDashboard(results, chart, score_chart)

