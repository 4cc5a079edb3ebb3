"""Penilaian: the penilai rates and finalises, peers give 360° ratings, the
unit's distribution is checked, the admin re-applies the rules to a period.

Thin views: every rule lives in ``app.skp.evaluation`` and
``app.skp.permissions``.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.notifications import register_link
from app.org.models import Unit
from app.periods.models import Period, PeriodKind
from app.skp.evaluation import services as service
from app.skp.evaluation.access import (
    can_check_distribution,
    can_finalise,
    can_peer_rate,
    can_rate,
    can_reapply_rules,
    can_view_evaluation,
    peer_role,
)
from app.skp.evaluation.forms import (
    EXPECTATION_LABELS,
    ORGANISATION_PREDIKAT_LABELS,
    FinaliseForm,
    OrganisationPredikatForm,
    ReapplyForm,
    peer_form,
    rating_form,
)
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.objections.services import objection_info
from app.skp.planning.access import is_owner
from app.skp.planning.models import Plan
from app.tenancy.web import tenant_blueprint

bp = tenant_blueprint("penilaian", __name__, "/penilaian", template_folder="templates")
register_link("evaluation", "penilaian.detail", "evaluation_id")

@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in member of the tenant."""


def _forbidden(message: str):
    return render_template("skp/eval_forbidden.html", message=message), 403


def _stale_message() -> str:
    return _("Penilaian ini sudah diubah orang lain sejak formulir dibuka. Isian Anda masih di formulir: "
             "periksa hasil terbaru, lalu simpan lagi.")


def _get(model, object_id: int):
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def _load(evaluation_id: int) -> Evaluation:
    evaluation = service.load(evaluation_id)
    if evaluation is None:
        abort(404)
    return evaluation


def _current_year() -> int:
    requested = request.args.get("tahun", type=int)
    if requested:
        return requested
    latest = db.session.scalar(select(db.func.max(Period.year)).where(Period.kind == PeriodKind.YEAR))
    return latest or date.today().year


# --- the work list ---------------------------------------------------------------------

@bp.route("/")
def index():
    year = _current_year()
    rows = service.due_for(current_user, year)
    peer_requests = service.peer_requests(current_user)
    units, periods = [], []
    if current_user.is_admin:
        units = db.session.scalars(select(Unit).where(Unit.active).order_by(Unit.name)).all()
        periods = db.session.scalars(
            select(Period).where(Period.year == year).order_by(Period.kind != PeriodKind.YEAR, Period.starts_on)
        ).all()
    return render_template("skp/eval_index.html", year=year, rows=rows, peer_requests=peer_requests,
                           units=units, periods=periods, reapply_form=ReapplyForm())


@bp.route("/mulai/<int:plan_id>/<int:period_id>", methods=["POST"])
def start(plan_id: int, period_id: int):
    plan = _get(Plan, plan_id)
    period = _get(Period, period_id)
    if not FinaliseForm().validate_on_submit():
        abort(400)
    try:
        evaluation = service.get_or_start(current_user, plan, period)
        db.session.commit()
    except service.EvaluationForbidden as exc:
        db.session.rollback()
        return _forbidden(exc.message)
    except service.EvaluationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("penilaian.index"))
    return redirect(url_for("penilaian.detail", evaluation_id=evaluation.id))


# --- rating ---------------------------------------------------------------------------------

def _rating_form_for(evaluation: Evaluation, rt):
    scheme = rt.rule_set.scheme
    maximum = scheme.maximum if scheme is not None else 120.0
    max_additional = getattr(scheme, "max_additional_points", 0.0)
    behaviours = service._behaviour_codes(evaluation, rt)
    form_class = rating_form(service.is_matrix(rt), behaviours, service.input_components(rt), maximum,
                             max_additional)
    return form_class


def _fill_from_inputs(form, evaluation: Evaluation) -> None:
    data = evaluation.inputs or {}
    if hasattr(form, "hasil_kerja_rating"):
        form.hasil_kerja_rating.data = data.get("hasil_kerja_rating") or ""
        form.perilaku_rating.data = data.get("perilaku_rating") or ""
    if hasattr(form, "additional_points"):
        form.additional_points.data = data.get("additional_points") or None
    for name, code, _label in form.behaviour_fields:
        form[name].data = (data.get("behaviour_scores") or {}).get(code)
    for name, code, _label in form.component_fields:
        form[name].data = (data.get("components") or {}).get(code)
    form.has_innovation.data = bool(data.get("has_innovation"))
    form.note.data = data.get("note") or ""
    form.version.data = evaluation.version


def _rating_data(form) -> service.RatingData:
    return service.RatingData(
        hasil_kerja_rating=getattr(form, "hasil_kerja_rating", None) and form.hasil_kerja_rating.data or None,
        perilaku_rating=getattr(form, "perilaku_rating", None) and form.perilaku_rating.data or None,
        behaviour_scores={code: form[name].data for name, code, _label in form.behaviour_fields},
        components={code: form[name].data for name, code, _label in form.component_fields},
        has_innovation=bool(form.has_innovation.data),
        additional_points=(form.additional_points.data or 0.0) if hasattr(form, "additional_points") else 0.0,
        note=form.note.data,
    )


def _render_detail(evaluation: Evaluation, form, finalise_form, status: int = 200, warnings=None):
    rt = service.runtime()
    result = service.preview(evaluation)
    achievements = {a["indicator_code"]: a for a in ((result.get("period") or {}).get("achievements") or [])}
    rateable = can_rate(current_user, evaluation)
    return render_template(
        "skp/eval_detail.html", evaluation=evaluation, result=result, achievements=achievements,
        form=form if rateable else None, finalise_form=finalise_form if rateable else None,
        can_rate=rateable, is_matrix=service.is_matrix(rt), uses_360=service.uses_360(rt),
        expectation_labels=EXPECTATION_LABELS, warnings=warnings or [],
        unit=(evaluation.plan.employee.position.unit if evaluation.plan.employee.position else None),
        is_owner=is_owner(current_user, evaluation.plan),
        objection_info=objection_info(current_user, evaluation),
    ), status


@bp.route("/<int:evaluation_id>", methods=["GET", "POST"])
def detail(evaluation_id: int):
    evaluation = _load(evaluation_id)
    if not can_view_evaluation(current_user, evaluation):
        if request.method == "GET" and can_peer_rate(current_user, evaluation):
            return redirect(url_for("penilaian.peer", evaluation_id=evaluation.id))
        if is_owner(current_user, evaluation.plan):
            return _forbidden(_("Penilaian Anda masih draf; hasilnya dapat dilihat setelah difinalkan."))
        return _forbidden(_("Anda tidak berhak melihat penilaian ini."))
    rt = service.runtime()
    form = _rating_form_for(evaluation, rt)()
    finalise_form = FinaliseForm()
    if request.method == "POST":
        if not can_rate(current_user, evaluation):
            if is_owner(current_user, evaluation.plan):
                return _forbidden(_("Anda tidak dapat menilai SKP Anda sendiri."))
            return _forbidden(_("Hanya pejabat penilai pegawai ini yang dapat menilai, selama penilaian masih draf."))
        if form.validate_on_submit():
            try:
                service.save_ratings(current_user, evaluation, _rating_data(form), form.version_number)
                db.session.commit()
                flash(_("Penilaian disimpan dan dihitung ulang."), "success")
                return redirect(url_for("penilaian.detail", evaluation_id=evaluation.id))
            except (service.StaleEdit, StaleDataError):
                db.session.rollback()
                evaluation = _load(evaluation_id)
                form.form_errors.append(_stale_message())
                # Saving again deliberately overwrites: the form now carries the current version.
                form.version.data = finalise_form.version.data = evaluation.version
                return _render_detail(evaluation, form, finalise_form, 409)
            except service.EvaluationError as exc:
                db.session.rollback()
                evaluation = _load(evaluation_id)
                target = getattr(form, exc.field, None) if exc.field else None
                (target.errors if target is not None else form.form_errors).append(exc.message)
            except service.EvaluationForbidden as exc:
                db.session.rollback()
                return _forbidden(exc.message)
        finalise_form.version.data = evaluation.version
        return _render_detail(evaluation, form, finalise_form, 422)
    _fill_from_inputs(form, evaluation)
    finalise_form.version.data = evaluation.version
    return _render_detail(evaluation, form, finalise_form)


@bp.route("/<int:evaluation_id>/final", methods=["POST"])
def finalise(evaluation_id: int):
    evaluation = _load(evaluation_id)
    if not can_finalise(current_user, evaluation):
        if evaluation.status is EvaluationStatus.FINAL:
            return _forbidden(_("Penilaian ini sudah final."))
        if is_owner(current_user, evaluation.plan):
            return _forbidden(_("Anda tidak dapat menilai SKP Anda sendiri."))
        return _forbidden(_("Hanya pejabat penilai pegawai ini yang dapat memfinalkan penilaian."))
    form = FinaliseForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        warnings = service.finalise(current_user, evaluation, form.version_number)
        db.session.commit()
    except (service.StaleEdit, StaleDataError):
        db.session.rollback()
        flash(_stale_message(), "error")
        return redirect(url_for("penilaian.detail", evaluation_id=evaluation_id))
    except service.EvaluationError as exc:
        db.session.rollback()
        evaluation = _load(evaluation_id)
        form_class = _rating_form_for(evaluation, service.runtime())
        rating = form_class(formdata=None)
        _fill_from_inputs(rating, evaluation)
        finalise_form = FinaliseForm(formdata=None)
        finalise_form.version.data = evaluation.version
        finalise_form.form_errors.append(exc.message)
        return _render_detail(evaluation, rating, finalise_form, 422)
    except service.EvaluationForbidden as exc:
        db.session.rollback()
        return _forbidden(exc.message)
    for warning in warnings:
        flash(_("Peringatan kurva distribusi: %(w)s", w=warning), "error")
    flash(_("Penilaian difinalkan. Pegawai telah diberi tahu; masa keberatan dimulai hari ini."), "success")
    return redirect(url_for("penilaian.detail", evaluation_id=evaluation_id))


# --- 360° -------------------------------------------------------------------------------------

@bp.route("/<int:evaluation_id>/rekan", methods=["GET", "POST"])
def peer(evaluation_id: int):
    evaluation = _load(evaluation_id)
    if not can_peer_rate(current_user, evaluation):
        if evaluation.status is EvaluationStatus.FINAL:
            return _forbidden(_("Penilaian ini sudah final; penilaian rekan ditutup."))
        return _forbidden(_("Hanya rekan kerja atau bawahan pegawai ini yang dapat memberi penilaian perilaku."))
    rt = service.runtime()
    if not service.uses_360(rt):
        return _forbidden(_("Rule set instansi ini tidak memakai penilaian perilaku 360°."))
    scheme = rt.rule_set.scheme
    form = peer_form(service._behaviour_codes(evaluation, rt), scheme.maximum if scheme else 120.0)()
    role = peer_role(current_user, evaluation)
    if form.validate_on_submit():
        try:
            service.submit_peer_ratings(current_user, evaluation,
                                        {code: form[name].data for name, code, _label in form.behaviour_fields})
            db.session.commit()
            flash(_("Penilaian perilaku Anda tersimpan. Terima kasih."), "success")
            return redirect(url_for("penilaian.index"))
        except service.EvaluationError as exc:
            db.session.rollback()
            form.form_errors.append(exc.message)
        except service.EvaluationForbidden as exc:
            db.session.rollback()
            return _forbidden(exc.message)
    elif request.method == "GET":
        mine = service.my_peer_scores(current_user, evaluation)
        for name, code, _label in form.behaviour_fields:
            form[name].data = mine.get(code)
    return render_template("skp/eval_peer.html", evaluation=evaluation, form=form, role=role), \
        200 if not form.errors and not form.form_errors else 422


# --- the unit's distribution ----------------------------------------------------------------------

@bp.route("/unit/<int:unit_id>/<int:period_id>", methods=["GET", "POST"])
def unit(unit_id: int, period_id: int):
    unit = _get(Unit, unit_id)
    period = _get(Period, period_id)
    head = service.unit_head_of(unit.id)
    is_head = head is not None and head.id == current_user.employee_id
    if not can_check_distribution(current_user, is_head,
                                              service.rates_in_unit(current_user, unit.id, period.id)):
        return _forbidden(_("Halaman distribusi unit ini untuk admin, kepala unit dan pejabat penilai di unit ini."))
    rt = service.runtime()
    form = OrganisationPredikatForm()
    form.organisation_predikat.choices = [(c, ORGANISATION_PREDIKAT_LABELS.get(c, c))
                                          for c in service.organisation_choices(rt)]
    status = 200
    chosen = request.args.get("predikat_organisasi")
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                changed = service.set_organisation_predikat(current_user, unit, period,
                                                            form.organisation_predikat.data)
                db.session.commit()
                flash(_("Predikat organisasi disimpan pada %(n)d penilaian draf.", n=changed), "success")
                return redirect(url_for("penilaian.unit", unit_id=unit.id, period_id=period.id))
            except service.EvaluationError as exc:
                db.session.rollback()
                form.organisation_predikat.errors.append(exc.message)
        status = 422
        chosen = form.organisation_predikat.data
    spread = service.unit_spread(unit, period, chosen, rt)
    if request.method == "GET":
        form.organisation_predikat.data = spread.organisation_predikat
    return render_template("skp/eval_unit.html", unit=unit, period=period, spread=spread, form=form,
                           head=head, organisation_labels=ORGANISATION_PREDIKAT_LABELS,
                           reapply_form=ReapplyForm(), rule_set=rt.rule_set), status


@bp.route("/periode/<int:period_id>/terapkan-ulang", methods=["POST"])
def reapply(period_id: int):
    period = _get(Period, period_id)
    if not can_reapply_rules(current_user):
        return _forbidden(_("Hanya admin instansi yang dapat menerapkan ulang aturan."))
    form = ReapplyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        changes = service.reapply_rules(current_user, period, form.reason.data)
        db.session.commit()
    except service.EvaluationForbidden as exc:
        db.session.rollback()
        return _forbidden(exc.message)
    changed = sum(1 for _ev, before, after in changes if before != after)
    flash(_("Aturan diterapkan ulang pada %(n)d penilaian draf %(period)s (%(c)d berubah); "
            "penilaian final tidak disentuh.", n=len(changes), period=period.label, c=changed), "success")
    return redirect(url_for("penilaian.index", tahun=period.year))
