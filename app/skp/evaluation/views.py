"""Penilaian: the penilai rates and finalises, peers give 360° ratings, the
unit's distribution is checked, the admin re-applies the rules to a period.

Thin views: load, check access (refusals raise ``Forbidden``, rendered by the
app's handler), call the service through ``perform``, render.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.errors import Forbidden
from app.extensions import db
from app.notifications import register_link
from app.org.models import Unit
from app.periods.models import Period, PeriodKind
from app.settings.services import rules_for_period
from app.skp.evaluation import reapply as reapplying
from app.skp.evaluation import services as service
from app.skp.evaluation import unit as units
from app.skp.evaluation.access import (
    can_check_distribution,
    can_finalise,
    can_peer_rate,
    can_rate,
    can_reapply_rules,
    can_start_evaluation,
    can_view_evaluation,
)
from app.skp.evaluation.entries import entries_of
from app.skp.evaluation.forms import (
    EXPECTATION_LABELS,
    ORGANISATION_PREDIKAT_LABELS,
    FinaliseForm,
    OrganisationPredikatForm,
    ReapplyForm,
    fill_rating_form,
    peer_form,
    rating_data,
    rating_form,
)
from app.skp.evaluation.models import Evaluation, EvaluationStatus, RuleJob
from app.skp.evaluation.peers import require_peer
from app.skp.evaluation.scheme import (
    behaviour_codes,
    input_components,
    is_matrix,
    max_additional_points,
    maximum_score,
    uses_360,
)
from app.skp.evaluation.worklist import due_for, due_year
from app.skp.planning.access import can_view_plan, is_owner
from app.skp.planning.models import Plan
from app.tenancy import tenant_today
from app.tenancy.web import tenant_blueprint
from app.web.forms import ConfirmForm, form_status, perform
from app.web.progress import progress_answer

bp = tenant_blueprint("penilaian", __name__, "/penilaian", template_folder="templates", guard=login_required)
register_link("evaluation", "penilaian.detail", "evaluation_id")



def _load(evaluation_id: int) -> Evaluation:
    evaluation = service.load(evaluation_id)
    if evaluation is None:
        abort(404)
    return evaluation


def _detail_url(evaluation_id: int) -> str:
    return url_for("penilaian.detail", evaluation_id=evaluation_id)


def _current_year() -> int:
    requested = request.args.get("tahun", type=int)
    if requested:
        return requested
    return due_year(tenant_today())


# --- the work list ---------------------------------------------------------------------

@bp.route("/")
def index():
    year = _current_year()
    units_, periods = [], []
    if current_user.is_admin:
        units_ = db.session.scalars(select(Unit).where(Unit.active).order_by(Unit.name)).all()
        periods = db.session.scalars(
            select(Period).where(Period.year == year).order_by(Period.kind != PeriodKind.YEAR, Period.starts_on)
        ).all()
    return render_template("skp/eval_index.html", year=year, rows=due_for(current_user, year),
                           peer_requests=service.peer_requests(current_user), units=units_, periods=periods,
                           reapply_form=ReapplyForm())


@bp.route("/mulai/<int:plan_id>/<int:period_id>", methods=["POST"])
def start(plan_id: int, period_id: int):
    plan = db.get_or_404(Plan, plan_id)
    period = db.get_or_404(Period, period_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    # Refused before anything is looked up: the answer never reveals an existing evaluation's id.
    if not can_view_plan(current_user, plan):
        abort(404)
    if not can_start_evaluation(current_user, plan):
        raise Forbidden(_("Hanya pejabat penilai pegawai ini yang dapat memulai penilaian, "
                          "dan hanya setelah SKP-nya disetujui."))
    done = perform(None, lambda: service.get_or_start(current_user, plan, period),
                   redirect_to=lambda evaluation: _detail_url(evaluation.id))
    return done.response if done.ok else redirect(url_for("penilaian.index"))


# --- rating ---------------------------------------------------------------------------------

def _rating_form_class(evaluation: Evaluation):
    rt = rules_for_period(evaluation.period)
    return rating_form(is_matrix(rt), behaviour_codes(evaluation, rt), input_components(rt), maximum_score(rt),
                       max_additional_points(rt))


def _render_detail(evaluation: Evaluation, form, finalise_form, status: int = 200):
    rt = rules_for_period(evaluation.period)
    outcome = service.current_outcome(evaluation, rt)
    rateable = can_rate(current_user, evaluation)
    finalise_form.version.data = evaluation.version
    ready = service.finalise_readiness(evaluation, outcome=outcome, rt=rt) if rateable else None
    return render_template(
        "skp/eval_detail.html", evaluation=evaluation, result=outcome, achievements=outcome.achievements,
        entries=entries_of(evaluation),
        form=form if rateable else None, finalise_form=finalise_form if rateable else None,
        can_rate=rateable, is_matrix=is_matrix(rt), uses_360=uses_360(rt),
        expectation_labels=EXPECTATION_LABELS,
        unit=(evaluation.plan.employee.position.unit if evaluation.plan.employee.position else None),
        is_owner=is_owner(current_user, evaluation.plan), readiness=ready, no_realisation_form=ConfirmForm(),
    ), status


def _require_rating(evaluation: Evaluation) -> None:
    if not can_rate(current_user, evaluation):
        if is_owner(current_user, evaluation.plan):
            raise Forbidden(_("Anda tidak dapat menilai SKP Anda sendiri."))
        raise Forbidden(_("Hanya pejabat penilai pegawai ini yang dapat menilai, selama penilaian masih draf."))


@bp.route("/<int:evaluation_id>", methods=["GET", "POST"])
def detail(evaluation_id: int):
    evaluation = _load(evaluation_id)
    if not can_view_evaluation(current_user, evaluation):
        if request.method == "GET" and can_peer_rate(current_user, evaluation):
            return redirect(url_for("penilaian.peer", evaluation_id=evaluation.id))
        if is_owner(current_user, evaluation.plan):
            raise Forbidden(_("Penilaian Anda masih draf; hasilnya dapat dilihat setelah difinalkan."))
        raise Forbidden(_("Anda tidak berhak melihat penilaian ini."))
    form = _rating_form_class(evaluation)()
    if request.method == "GET":
        fill_rating_form(form, entries_of(evaluation), evaluation.version)
        return _render_detail(evaluation, form, FinaliseForm())
    _require_rating(evaluation)
    done = None
    if form.validate_on_submit():
        # After a stale save the form carries the current version: saving again overwrites on purpose.
        done = perform(form, lambda: service.save_ratings(current_user, evaluation, rating_data(form),
                                                          form.version_number),
                       success=_("Penilaian disimpan dan dihitung ulang."), redirect_to=_detail_url(evaluation_id),
                       current_version=lambda: _load(evaluation_id).version)
        if done.ok:
            return done.response
        evaluation = _load(evaluation_id)
    return _render_detail(evaluation, form, FinaliseForm(), form_status(form, done))


def _require_finaliser(evaluation: Evaluation) -> None:
    if not can_finalise(current_user, evaluation):
        if evaluation.status is EvaluationStatus.FINAL:
            raise Forbidden(_("Penilaian ini sudah final."))
        if is_owner(current_user, evaluation.plan):
            raise Forbidden(_("Anda tidak dapat menilai SKP Anda sendiri."))
        raise Forbidden(_("Hanya pejabat penilai pegawai ini yang dapat memfinalkan penilaian."))


@bp.route("/<int:evaluation_id>/final", methods=["POST"])
def finalise(evaluation_id: int):
    evaluation = _load(evaluation_id)
    _require_finaliser(evaluation)
    form = FinaliseForm()
    if not form.validate_on_submit():
        abort(400)
    done = perform(form, lambda: service.finalise(current_user, evaluation, form.version_number))
    if done.ok:
        for warning in done.value:
            flash(warning, "error")
        flash(_("Penilaian difinalkan. Pegawai telah diberi tahu; masa keberatan dimulai hari ini."), "success")
        return redirect(_detail_url(evaluation_id))
    if done.status == 409:  # stale: show the current state with the message
        for message in form.form_errors:
            flash(message, "error")
        return redirect(_detail_url(evaluation_id))
    evaluation = _load(evaluation_id)
    rating = _rating_form_class(evaluation)(formdata=None)
    fill_rating_form(rating, entries_of(evaluation), evaluation.version)
    finalise_form = FinaliseForm(formdata=None)
    finalise_form.form_errors.extend(form.form_errors)
    return _render_detail(evaluation, rating, finalise_form, done.status)


@bp.route("/<int:evaluation_id>/tanpa-realisasi/<int:indicator_id>", methods=["POST"])
def no_realisation(evaluation_id: int, indicator_id: int):
    evaluation = _load(evaluation_id)
    _require_rating(evaluation)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    none = request.form.get("none") == "1"
    perform(None, lambda: service.record_no_realisation(current_user, evaluation, indicator_id, none),
            success=_("Dicatat: IKI ini tidak ada realisasi (dihitung 0).") if none
            else _("Catatan “tidak ada realisasi” dibatalkan."))
    return redirect(_detail_url(evaluation_id))


# --- 360° -------------------------------------------------------------------------------------

@bp.route("/<int:evaluation_id>/rekan", methods=["GET", "POST"])
def peer(evaluation_id: int):
    evaluation = _load(evaluation_id)
    role = require_peer(current_user, evaluation)
    rt = rules_for_period(evaluation.period)
    form, done = peer_form(behaviour_codes(evaluation, rt), maximum_score(rt))(), None
    if form.validate_on_submit():
        scores = {code: form[name].data for name, code, _label in form.behaviour_fields}
        done = perform(form, lambda: service.submit_peer_ratings(current_user, evaluation, scores),
                       success=_("Penilaian perilaku Anda tersimpan. Terima kasih."),
                       redirect_to=url_for("penilaian.index"))
        if done.ok:
            return done.response
    elif request.method == "GET":
        mine = service.my_peer_scores(current_user, evaluation)
        for name, code, _label in form.behaviour_fields:
            form[name].data = mine.get(code)
    return render_template("skp/eval_peer.html", evaluation=evaluation, form=form, role=role), \
        form_status(form, done)


# --- the unit's distribution ----------------------------------------------------------------------

@bp.route("/unit/<int:unit_id>/<int:period_id>", methods=["GET", "POST"])
def unit(unit_id: int, period_id: int):
    unit = db.get_or_404(Unit, unit_id)
    period = db.get_or_404(Period, period_id)
    head = units.unit_head_of(unit.id)
    is_head = head is not None and head.id == current_user.employee_id
    if not can_check_distribution(current_user, is_head, units.rates_in_unit(current_user, unit.id, period.id)):
        raise Forbidden(_("Halaman distribusi unit ini untuk admin, kepala unit dan pejabat penilai di unit ini."))
    rt = rules_for_period(period)
    form, done = OrganisationPredikatForm(), None
    form.organisation_predikat.choices = [(c, ORGANISATION_PREDIKAT_LABELS.get(c, c))
                                          for c in units.organisation_choices(rt)]
    chosen = request.args.get("predikat_organisasi")
    may_set = units.may_set_organisation_predikat(current_user, unit, rt)
    if request.method == "POST":
        if not may_set:
            raise Forbidden(_("Predikat organisasi unit ditetapkan oleh admin instansi%(head)s.",
                              head=_(" atau kepala unit") if rt.rule_set.unit_head_sets_organisation_predikat
                              else ""))
        if form.validate_on_submit():
            done = perform(form, lambda: units.set_organisation_predikat(current_user, unit, period,
                                                                         form.organisation_predikat.data),
                           success=lambda n: _("Predikat organisasi disimpan pada %(n)d penilaian draf.", n=n),
                           redirect_to=url_for("penilaian.unit", unit_id=unit.id, period_id=period.id))
            if done.ok:
                return done.response
        chosen = form.organisation_predikat.data
    spread = units.unit_spread(unit, period, chosen, rt)
    if request.method == "GET":
        form.organisation_predikat.data = spread.organisation_predikat
    return render_template("skp/eval_unit.html", unit=unit, period=period, spread=spread, form=form,
                           head=head, organisation_labels=ORGANISATION_PREDIKAT_LABELS, may_set=may_set,
                           reapply_form=ReapplyForm(), rule_set=rt.rule_set), \
        form_status(form, done)


@bp.route("/periode/<int:period_id>/terapkan-ulang", methods=["POST"])
def reapply(period_id: int):
    period = db.get_or_404(Period, period_id)
    if not can_reapply_rules(current_user):
        raise Forbidden(_("Hanya admin instansi yang dapat menerapkan ulang aturan."))
    form = ReapplyForm()
    if not form.validate_on_submit():
        abort(400)
    # A background job (app.skp.evaluation.reapply): its page shows the progress.
    done = perform(None, lambda: reapplying.start_reapply(current_user, period, form.reason.data),
                   redirect_to=lambda job: url_for("penilaian.reapply_job", job_id=job.id))
    return done.response if done.ok else redirect(url_for("penilaian.index", tahun=period.year))


def _rule_job(job_id: int) -> RuleJob:
    if not can_reapply_rules(current_user):
        raise Forbidden(_("Hanya admin instansi yang dapat menerapkan ulang aturan."))
    return db.get_or_404(RuleJob, job_id)


@bp.route("/terapkan-ulang/<int:job_id>")
def reapply_job(job_id: int):
    job = _rule_job(job_id)
    reapplying.expire_abandoned(job.id)
    period = db.session.get(Period, job.period_id) if job.period_id else None
    return render_template("skp/reapply_job.html", job=job, period=period, running=reapplying.RUNNING)


@bp.route("/terapkan-ulang/<int:job_id>/status")
def reapply_status(job_id: int):
    _rule_job(job_id)
    return progress_answer(reapplying.status_of(job_id))
