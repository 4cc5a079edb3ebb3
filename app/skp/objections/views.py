"""Objection screens (keberatan): lodge, decide, the lists of each role."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.home import worklists
from app.notifications import register_link
from app.skp.evaluation.models import Evaluation
from app.skp.objections import services as objection_rules
from app.skp.objections.access import can_decide_objection, can_lodge_objection, can_view_objection
from app.skp.objections.forms import DecideObjectionForm, LodgeObjectionForm
from app.skp.objections.models import Objection, ObjectionStatus
from app.skp.planning.access import can_view_plan
from app.skp.planning.models import Plan
from app.tenancy.web import tenant_blueprint
from app.web.filters import register_labels

keberatan = tenant_blueprint("keberatan", __name__, "/keberatan", template_folder="templates")
register_link("objection", "keberatan.detail", "objection_id")



@keberatan.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user of this tenant."""



OBJECTION_STATUS_LABELS = {
    ObjectionStatus.OPEN: _l("menunggu keputusan"), ObjectionStatus.UPHELD: _l("hasil tetap"),
    ObjectionStatus.CHANGED: _l("hasil diubah"),
}
register_labels(OBJECTION_STATUS_LABELS)


def _forbidden(message):
    """A 403 that says why."""
    return render_template("errors/error.html", status=403, title=_("Akses ditolak"), message=str(message)), 403


def _show_error(form, exc) -> None:
    """A broken rule's message on its field, or above the form."""
    field = getattr(form, exc.field, None) if exc.field else None
    (field.errors if field is not None else form.form_errors).append(str(exc.message))


def _paginate(query):
    return db.paginate(query, per_page=current_app.config["PAGE_SIZE"], max_per_page=100, error_out=False)


# --- keberatan ----------------------------------------------------------------------

@keberatan.route("/")
def index():
    today = worklists.today()
    employee_id = current_user.employee_id
    mine, to_decide, eligible = [], [], []
    if employee_id is not None:
        mine = list(db.session.scalars(
            select(Objection).options(joinedload(Objection.evaluation).joinedload(Evaluation.period))
            .where(Objection.lodged_by_id == current_user.id).order_by(Objection.lodged_at.desc())))
        to_decide = worklists.objections_to_decide(current_user.employee, today)
        eligible = [row for row in worklists.my_evaluations(employee_id, today)
                    if row.objection is None and row.window_open]
    everything = None
    if current_user.is_admin:
        everything = _paginate(
            select(Objection)
            .options(joinedload(Objection.evaluation).joinedload(Evaluation.plan).joinedload(Plan.employee),
                     joinedload(Objection.evaluation).joinedload(Evaluation.period))
            .order_by((Objection.status == ObjectionStatus.OPEN).desc(), Objection.lodged_at.desc()))
    return render_template("skp/followup_objections.html", mine=mine, to_decide=to_decide, eligible=eligible,
                           everything=everything, today=today, decision_deadline=objection_rules.decision_deadline)


@keberatan.route("/baru/<int:evaluation_id>", methods=["GET", "POST"])
def lodge(evaluation_id: int):
    evaluation = db.get_or_404(Evaluation, evaluation_id)
    if not can_view_plan(current_user, evaluation.plan):
        abort(404)
    existing = objection_rules.objection_of(evaluation)
    if existing is not None:
        flash(_("Keberatan atas penilaian ini sudah diajukan."), "info")
        return redirect(url_for("keberatan.detail", objection_id=existing.id))
    if not can_lodge_objection(current_user, evaluation):
        return _forbidden(_("Keberatan hanya dapat diajukan oleh pegawai yang dinilai atas penilaian yang sudah final."))
    info = objection_rules.objection_info(current_user, evaluation)
    form = LodgeObjectionForm()
    status = 200
    if form.validate_on_submit():
        try:
            objection = objection_rules.lodge(current_user, evaluation, form.reasons.data)
            db.session.commit()
        except objection_rules.ObjectionForbidden as exc:
            db.session.rollback()
            return _forbidden(exc.message)
        except objection_rules.ObjectionError as exc:
            db.session.rollback()
            _show_error(form, exc)
            status = 422
        else:
            flash(_("Keberatan diajukan kepada atasan pejabat penilai."), "success")
            return redirect(url_for("keberatan.detail", objection_id=objection.id))
    elif request.method == "POST":
        status = 422
    return render_template("skp/followup_objection_lodge.html", form=form, evaluation=evaluation, info=info,
                           window_days=objection_rules.window_days()), status


@keberatan.route("/<int:objection_id>", methods=["GET", "POST"])
def detail(objection_id: int):
    objection = db.get_or_404(Objection, objection_id)
    if not can_view_objection(current_user, objection):
        return _forbidden(_("Keberatan ini hanya dapat dilihat oleh pegawai yang mengajukan, atasan pejabat penilai, dan admin."))
    evaluation = objection.evaluation
    may_decide = can_decide_objection(current_user, objection)
    form = DecideObjectionForm()
    form.new_predikat_code.choices = [("", "—")] + objection_rules.predikat_choices(evaluation)
    status = 200
    if request.method == "POST":
        if not may_decide:
            if objection.status is not ObjectionStatus.OPEN:
                return _forbidden(_("Keberatan ini sudah diputuskan; keputusan atasan pejabat penilai bersifat final."))
            return _forbidden(_("Hanya atasan pejabat penilai yang dapat memutuskan keberatan ini."))
        if form.validate_on_submit():
            try:
                objection_rules.decide(
                    current_user, objection, form.outcome.data, form.reasons.data,
                    form.new_predikat_code.data or None,
                    float(form.new_score.data) if form.new_score.data is not None else None)
                db.session.commit()
            except objection_rules.ObjectionForbidden as exc:
                db.session.rollback()
                return _forbidden(exc.message)
            except objection_rules.ObjectionError as exc:
                db.session.rollback()
                _show_error(form, exc)
                status = 422
            else:
                flash(_("Keputusan atas keberatan disimpan."), "success")
                return redirect(url_for("keberatan.detail", objection_id=objection.id))
        else:
            status = 422
    return render_template("skp/followup_objection.html", objection=objection, evaluation=evaluation,
                           form=form, may_decide=may_decide, uses_score=objection_rules.uses_score(evaluation),
                           decision_deadline=objection_rules.decision_deadline(objection),
                           overdue=objection_rules.is_overdue(objection),
                           labels=dict(objection_rules.predikat_choices(evaluation))), status
