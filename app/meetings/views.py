"""Rapat evaluasi kinerja screens: the list (with the schedule form), one
meeting (participants and attendance, minutes, status, follow-up actions),
and closing a follow-up action.

Thin views: access is checked here to answer early (403 with the reason, 404
for another tenant's meeting) and again in ``app.meetings.services``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_login import current_user, login_required
from sqlalchemy import select

from app.errors import Forbidden, Invalid
from app.extensions import db
from app.meetings import services
from app.meetings.access import can_close, can_organise, can_schedule, can_view, organised_units
from app.meetings.forms import (
    ActionForm,
    CancelForm,
    CloseActionForm,
    MeetingForm,
    MinutesForm,
    ParticipantForm,
)
from app.meetings.models import (
    ActionStatus,
    Attendance,
    EvaluationMeeting,
    MeetingAction,
    MeetingStatus,
)
from app.notifications import register_link
from app.org.models import Employee, Unit
from app.periods.models import Period
from app.tenancy.web import tenant_blueprint
from app.web.filters import register_labels
from app.web.forms import ConfirmForm, Form, form_status, perform
from app.web.listing import paginate

bp = tenant_blueprint("rapat", __name__, "/rapat", template_folder="templates", guard=login_required)
register_link("meeting", "rapat.detail", "meeting_id")
register_link("meeting-action", "rapat.detail", values=services.action_link_values)

register_labels({
    MeetingStatus.SCHEDULED: _l("dijadwalkan"), MeetingStatus.HELD: _l("dilaksanakan"),
    MeetingStatus.CANCELLED: _l("dibatalkan"),
    Attendance.PRESENT: _l("hadir"), Attendance.ABSENT: _l("tidak hadir"), Attendance.EXCUSED: _l("izin"),
    ActionStatus.OPEN: _l("terbuka"), ActionStatus.CLOSED: _l("selesai"),
})
ATTENDANCE_CHOICES = [("", _l("belum dicatat")), (Attendance.PRESENT.value, _l("hadir")),
                      (Attendance.ABSENT.value, _l("tidak hadir")), (Attendance.EXCUSED.value, _l("izin"))]
NO_ORGANISER = _l("Rapat evaluasi kinerja diatur oleh admin instansi dan kepala unit.")


def _meeting(meeting_id: int) -> EvaluationMeeting:
    meeting = db.session.get(EvaluationMeeting, meeting_id)
    if meeting is None:
        abort(404)
    if not can_view(current_user, meeting):
        raise Forbidden(_("Rapat ini hanya untuk peserta, penanggung jawab tindak lanjut dan penyelenggaranya."))
    return meeting


def _organised(meeting_id: int) -> EvaluationMeeting:
    meeting = _meeting(meeting_id)
    if not can_organise(current_user, meeting):
        raise Forbidden(str(NO_ORGANISER))
    return meeting


def _unit_choices() -> list[tuple]:
    allowed = organised_units(current_user)
    query = select(Unit).where(Unit.active).order_by(Unit.name)
    if allowed is not None:
        query = query.where(Unit.id.in_(allowed or [-1]))
    return [("", "—")] + [(u.id, u.name) for u in db.session.scalars(query)]


def _period_choices() -> list[tuple]:
    periods = db.session.scalars(select(Period).order_by(Period.year.desc(), Period.starts_on.desc(),
                                                         Period.kind)).all()
    return [("", "—")] + [(p.id, p.label) for p in periods]


def _meeting_form(meeting: EvaluationMeeting | None = None) -> MeetingForm:
    form = MeetingForm(obj=meeting)
    form.unit_id.choices = _unit_choices()
    form.period_id.choices = _period_choices()
    return form


def _data(form: MeetingForm) -> services.MeetingData:
    return services.MeetingData(form.unit_id.data, form.period_id.data, form.held_on.data, form.starts_at.data,
                                form.place.data, form.agenda.data)


@bp.route("/", methods=["GET", "POST"])
def index():
    may_schedule = can_schedule(current_user)
    if request.method == "POST" and not may_schedule:
        raise Forbidden(str(NO_ORGANISER))
    form = _meeting_form() if may_schedule else None
    done = None
    if form is not None and form.validate_on_submit():
        done = perform(form, lambda: services.schedule(current_user, _data(form)),
                       success=_("Rapat evaluasi kinerja dijadwalkan; peserta diberi tahu."),
                       redirect_to=lambda meeting: url_for(".detail", meeting_id=meeting.id))
        if done.ok:
            return done.response
    page = paginate(services.visible_query(current_user))
    return render_template("meetings/index.html", page=page, form=form), \
        form_status(form, done) if form is not None else 200


def _render_detail(meeting: EvaluationMeeting, status: int = 200, **forms):
    organiser = can_organise(current_user, meeting)
    participants = services.participants_of(meeting)
    actions = services.actions_of(meeting)
    own = current_user.employee_id

    def may_close(action: MeetingAction) -> bool:  # ``can_close``, with the organiser check done once
        return organiser or (own is not None and action.owner_id == own)

    context = {"meeting": meeting, "participants": participants, "actions": actions, "organiser": organiser,
               "attendance_choices": ATTENDANCE_CHOICES, "may_close": may_close}
    if organiser:
        minutes = forms.get("minutes_form") or MinutesForm(formdata=None, obj=meeting)
        participant_form = forms.get("participant_form") or ParticipantForm(formdata=None)
        invited = {p.employee_id for p in participants}
        candidates = db.session.execute(
            select(Employee.id, Employee.name).where(Employee.id.in_(services.unit_employee_ids(meeting.unit_id)))
            .order_by(Employee.name)).all()
        participant_form.employee_id.choices = [("", "—")] + [(i, n) for i, n in candidates if i not in invited]
        action_form = forms.get("action_form") or ActionForm(formdata=None)
        action_form.owner_id.choices = [("", "—")] + [(p.employee_id, p.employee.name) for p in participants]
        context.update(minutes_form=minutes, participant_form=participant_form, action_form=action_form,
                       cancel_form=forms.get("cancel_form") or CancelForm(formdata=None),
                       confirm_form=forms.get("confirm_form") or ConfirmForm(formdata=None))
    context["close_form"] = forms.get("close_form") or CloseActionForm(formdata=None)
    context["close_action_id"] = forms.get("close_action_id")
    return render_template("meetings/detail.html", **context), status


@bp.route("/<int:meeting_id>")
def detail(meeting_id: int):
    return _render_detail(_meeting(meeting_id))


@bp.route("/<int:meeting_id>/ubah", methods=["GET", "POST"])
def edit(meeting_id: int):
    meeting = _organised(meeting_id)
    form = _meeting_form(meeting)
    form.unit_id.choices = [(meeting.unit_id, meeting.unit.name)]
    done = None
    if form.validate_on_submit():
        done = perform(form, lambda: services.update(current_user, meeting, _data(form)),
                       success=_("Rapat diubah."), redirect_to=url_for(".detail", meeting_id=meeting.id))
        if done.ok:
            return done.response
    return render_template("meetings/edit.html", meeting=meeting, form=form), form_status(form, done)


def _post_form(meeting: EvaluationMeeting, form, name: str, action, success: str):
    done = None
    if form.validate_on_submit():
        done = perform(form, action, success=success,
                       redirect_to=url_for(".detail", meeting_id=meeting.id))
        if done.ok:
            return done.response
    return _render_detail(meeting, form_status(form, done) or 422, **{name: form})


def _organiser_post(rule: str, form_class: type[Form], name: str, success: LazyString):
    """Register the decorated ``run(meeting, form)`` as the POST view of
    ``/<meeting_id>/<rule>`` (endpoint: the function's name) for the meeting's
    organisers: ``form_class`` read from the request, ``run`` through
    ``perform``, ``success`` flashed and back to the meeting; on failure the
    meeting page with the form (as ``name``) and its errors."""
    def register(run: Callable[[EvaluationMeeting, Form], object]):
        @wraps(run)
        def view(meeting_id: int):
            meeting = _organised(meeting_id)
            form = form_class()
            return _post_form(meeting, form, name, lambda: run(meeting, form), str(success))

        bp.route(f"/<int:meeting_id>/{rule}", methods=["POST"])(view)
        return view
    return register


@_organiser_post("notulen", MinutesForm, "minutes_form", _l("Notulen disimpan."))
def minutes(meeting: EvaluationMeeting, form: MinutesForm):
    return services.save_minutes(current_user, meeting, form.minutes.data)


@_organiser_post("peserta", ParticipantForm, "participant_form", _l("Peserta ditambahkan."))
def add_participant(meeting: EvaluationMeeting, form: ParticipantForm):
    return services.add_participant(current_user, meeting, form.employee_id.data)


@_organiser_post("peserta/hapus", ConfirmForm, "confirm_form", _l("Peserta dihapus dari rapat."))
def remove_participant(meeting: EvaluationMeeting, form: ConfirmForm):
    return services.remove_participant(current_user, meeting, request.form.get("participant_id", type=int))


def _attendance_values(meeting: EvaluationMeeting) -> dict[int, Attendance | None]:
    values: dict[int, Attendance | None] = {}
    for participant in meeting.participants:
        raw = request.form.get(f"attendance_{participant.id}")
        if raw is None:
            continue
        if raw == "":
            values[participant.id] = None
            continue
        try:
            values[participant.id] = Attendance(raw)
        except ValueError:
            raise Invalid(_("Pilih kehadiran: hadir, tidak hadir atau izin.")) from None
    return values


@_organiser_post("kehadiran", ConfirmForm, "confirm_form", _l("Kehadiran disimpan."))
def attendance(meeting: EvaluationMeeting, form: ConfirmForm):
    return services.record_attendance(current_user, meeting, _attendance_values(meeting))


@_organiser_post("terlaksana", ConfirmForm, "confirm_form", _l("Rapat dinyatakan terlaksana; peserta diberi tahu."))
def mark_held(meeting: EvaluationMeeting, form: ConfirmForm):
    return services.mark_held(current_user, meeting)


@_organiser_post("batal", CancelForm, "cancel_form", _l("Rapat dibatalkan."))
def cancel(meeting: EvaluationMeeting, form: CancelForm):
    return services.cancel(current_user, meeting, form.reason.data)


@_organiser_post("tindak-lanjut", ActionForm, "action_form", _l("Tindak lanjut dicatat; penanggung jawab diberi tahu."))
def add_action(meeting: EvaluationMeeting, form: ActionForm):
    return services.add_action(current_user, meeting, form.description.data, form.owner_id.data, form.due_on.data)


@bp.route("/tindak-lanjut/<int:action_id>/tutup", methods=["POST"])
def close_action(action_id: int):
    action = db.session.get(MeetingAction, action_id)
    if action is None:
        abort(404)
    if not can_close(current_user, action):
        raise Forbidden(_("Tindak lanjut ditutup oleh penanggung jawabnya."))
    meeting = action.meeting
    form = CloseActionForm()
    done = None
    if form.validate_on_submit():
        done = perform(form, lambda: services.close_action(current_user, action, form.note.data),
                       success=_("Tindak lanjut ditutup."), redirect_to=url_for(".detail", meeting_id=meeting.id))
        if done.ok:
            return done.response
    if not can_view(current_user, meeting):  # an organiser of a unit above always can
        return redirect(url_for(".index"))
    return _render_detail(meeting, form_status(form, done) or 422, close_form=form, close_action_id=action.id)
