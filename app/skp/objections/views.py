"""Objection screens (keberatan): lodge, decide, the lists of each role.

The evaluation page shows an evaluation's objection box through the
``objection_info_for`` template helper this blueprint provides (evaluation
sits below objections and does not import it).
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.errors import Forbidden
from app.extensions import db
from app.notifications import register_link
from app.skp.evaluation.models import Evaluation
from app.skp.objections import services as objection_rules
from app.skp.objections.access import can_decide_objection, can_lodge_objection, can_view_objection
from app.skp.objections.forms import DecideObjectionForm, LodgeObjectionForm
from app.skp.objections.models import Objection, ObjectionStatus
from app.skp.objections.worklist import my_evaluations, objections_to_decide
from app.skp.planning.access import can_view_plan
from app.skp.planning.models import Plan
from app.tenancy import tenant_today
from app.tenancy.web import tenant_blueprint
from app.web.filters import register_labels
from app.web.forms import form_status, perform

keberatan = tenant_blueprint("keberatan", __name__, "/keberatan", template_folder="templates", guard=login_required)
register_link("objection", "keberatan.detail", "objection_id")

OBJECTION_STATUS_LABELS = {
    ObjectionStatus.OPEN: _l("menunggu keputusan"), ObjectionStatus.UPHELD: _l("hasil tetap"),
    ObjectionStatus.CHANGED: _l("hasil diubah"),
}
register_labels(OBJECTION_STATUS_LABELS)



@keberatan.app_context_processor
def _objection_helpers():
    """``objection_info_for(evaluation)`` for any page showing an evaluation
    (``skp/followup_objection_box.html``)."""
    return {"objection_info_for": lambda evaluation: objection_rules.objection_info(current_user, evaluation)}


def _paginate(query):
    return db.paginate(query, per_page=current_app.config["PAGE_SIZE"], max_per_page=100, error_out=False)


# --- keberatan ----------------------------------------------------------------------

@keberatan.route("/")
def index():
    today = tenant_today()
    employee_id = current_user.employee_id
    mine, to_decide, eligible = [], [], []
    if employee_id is not None:
        mine = list(db.session.scalars(
            select(Objection).options(joinedload(Objection.evaluation).joinedload(Evaluation.period))
            .where(Objection.lodged_by_id == current_user.id).order_by(Objection.lodged_at.desc())))
        to_decide = objections_to_decide(current_user.employee, today)
        eligible = [row for row in my_evaluations(employee_id, today)
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
        raise Forbidden(_("Keberatan hanya dapat diajukan oleh pegawai yang dinilai atas penilaian yang sudah final."))
    info = objection_rules.objection_info(current_user, evaluation)
    form, done = LodgeObjectionForm(), None
    if form.validate_on_submit():
        done = perform(form, lambda: objection_rules.lodge(current_user, evaluation, form.reasons.data),
                       success=_("Keberatan diajukan kepada atasan pejabat penilai."),
                       redirect_to=lambda objection: url_for("keberatan.detail", objection_id=objection.id))
        if done.ok:
            return done.response
    return render_template("skp/followup_objection_lodge.html", form=form, evaluation=evaluation, info=info,
                           window_days=objection_rules.window_days()), form_status(form, done)


def _require_decider(objection: Objection) -> None:
    if not can_decide_objection(current_user, objection):
        if objection.status is not ObjectionStatus.OPEN:
            raise Forbidden(_("Keberatan ini sudah diputuskan; keputusan atasan pejabat penilai bersifat final."))
        raise Forbidden(_("Hanya atasan pejabat penilai yang dapat memutuskan keberatan ini."))


@keberatan.route("/<int:objection_id>", methods=["GET", "POST"])
def detail(objection_id: int):
    objection = db.get_or_404(Objection, objection_id)
    if not can_view_objection(current_user, objection):
        raise Forbidden(_("Keberatan ini hanya dapat dilihat oleh pegawai yang mengajukan, atasan pejabat penilai, "
                          "dan admin."))
    evaluation = objection.evaluation
    form, done = DecideObjectionForm(), None
    form.new_predikat_code.choices = [("", "—")] + objection_rules.predikat_choices(evaluation)
    if request.method == "POST":
        _require_decider(objection)
        if form.validate_on_submit():
            done = perform(form, lambda: objection_rules.decide(
                current_user, objection, form.outcome.data, form.reasons.data, form.new_predikat_code.data or None,
                float(form.new_score.data) if form.new_score.data is not None else None),
                success=_("Keputusan atas keberatan disimpan."),
                redirect_to=url_for("keberatan.detail", objection_id=objection.id))
            if done.ok:
                return done.response
    return render_template("skp/followup_objection.html", objection=objection, evaluation=evaluation,
                           form=form, may_decide=can_decide_objection(current_user, objection),
                           uses_score=objection_rules.uses_score(evaluation),
                           decision_deadline=objection_rules.decision_deadline(objection),
                           overdue=objection_rules.is_overdue(objection),
                           labels=dict(objection_rules.predikat_choices(evaluation))), form_status(form, done)
