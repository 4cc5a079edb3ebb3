"""Dialog kinerja screens: the feedback thread of a plan (or of one RHK/IKI)
and the penilai's recorded feedback sessions.

Thin views: access is checked here to answer early (403 with the reason) and
again in ``app.skp.feedback.services``. An RHK/IKI of another plan is a 404.
"""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.errors import Forbidden
from app.extensions import db
from app.notifications import register_link
from app.skp.feedback import services as feedback
from app.skp.feedback.access import can_read_feedback, can_record_feedback_session
from app.skp.feedback.forms import MessageForm, SessionForm
from app.skp.planning.access import is_penilai
from app.skp.planning.models import Plan
from app.skp.realisation.services import indicator_of_plan, sub_periods
from app.tenancy.web import tenant_blueprint
from app.web.forms import form_status, perform

bp = tenant_blueprint("feedback", __name__, "/skp", template_folder="templates", guard=login_required)
register_link("plan-dialog", "feedback.dialog", "plan_id")
register_link("feedback-message", "feedback.dialog", values=feedback.message_link_values)
register_link("plan-sessions", "feedback.sessions", "plan_id")



@bp.app_context_processor
def _feedback_links() -> dict:
    """Lower stages' pages (the realisation grid) link to the dialog when the user may read it."""
    return {"can_read_feedback": lambda plan: can_read_feedback(current_user, plan)}


def _readable_plan(plan_id: int, refusal: str) -> Plan:
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        abort(404)
    if not can_read_feedback(current_user, plan):
        raise Forbidden(refusal)
    return plan


def _optional_int(name: str) -> int | None:
    return request.values.get(name, type=int)  # the bounded reader: junk or huge → None


@bp.route("/<int:plan_id>/dialog", methods=["GET", "POST"])
def dialog(plan_id: int):
    plan = _readable_plan(plan_id, _("Dialog kinerja hanya untuk pegawai, pejabat penilai dan atasan pejabat penilai."))
    result_id, indicator_id = feedback.subject_of(plan, _optional_int("result_id"), _optional_int("indicator_id"))
    form = MessageForm()
    done = None
    if form.validate_on_submit():
        done = perform(form, lambda: feedback.post_message(current_user, plan, form.body.data, result_id, indicator_id),
                       success=_("Pesan terkirim."),
                       redirect_to=url_for(".dialog", plan_id=plan.id, result_id=None if indicator_id else result_id,
                                           indicator_id=indicator_id))
        if done.ok:
            return done.response
    form.result_id.data = result_id or ""
    form.indicator_id.data = indicator_id or ""
    entries = feedback.thread(current_user, plan, result_id, indicator_id)
    subject = indicator_of_plan(plan, indicator_id) if indicator_id else None
    return render_template("skp/period_dialog.html", plan=plan, entries=entries, form=form,
                           result_id=result_id, indicator_id=indicator_id, subject=subject,
                           results=plan.results), form_status(form, done)


@bp.route("/<int:plan_id>/sesi", methods=["GET", "POST"])
def sessions(plan_id: int):
    plan = _readable_plan(plan_id, _("Sesi dialog kinerja hanya untuk pegawai, pejabat penilai dan "
                                     "atasan pejabat penilai."))
    can_record = can_record_feedback_session(current_user, plan)
    if request.method == "POST" and not can_record:
        raise Forbidden(_("Sesi dialog kinerja dicatat oleh pejabat penilai.")
                        if not is_penilai(current_user, plan)
                        else _("Sesi dialog kinerja dapat dicatat setelah SKP disetujui."))
    form = SessionForm()
    form.period_id.choices = [("", "—")] + [(p.id, p.label) for p in sub_periods(plan)]
    done = None
    if form.validate_on_submit():
        done = perform(form, lambda: feedback.record_session(current_user, plan, feedback.SessionData(
            form.held_on.data, form.face_to_face.data, form.notes.data, form.agreed_actions.data,
            form.period_id.data)), success=_("Sesi dialog kinerja dicatat."),
            redirect_to=url_for(".sessions", plan_id=plan.id))
        if done.ok:
            return done.response
    return render_template("skp/period_sessions.html", plan=plan, rows=feedback.sessions(current_user, plan),
                           form=form, can_record=can_record), form_status(form, done)
