"""Follow-up screens: objections (keberatan), training (pelatihan), the
notifications inbox (kotak) and an employee's history across years (riwayat).

Thin views: the rules live in ``app.skp.objections``, ``app.skp.training``,
``app.notifications`` and ``app.home.worklists``; permissions in
``app.skp.permissions``.
"""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app import notifications
from app.admin.forms import ConfirmForm
from app.extensions import db
from app.home import worklists
from app.org.models import Employee
from app.skp import objections as objection_rules
from app.skp import permissions
from app.skp import training as training_rules
from app.skp.forms_followup import (
    CourseForm,
    DecideObjectionForm,
    LodgeObjectionForm,
    TrainingStatusForm,
)
from app.skp.models import (
    Evaluation,
    EvaluationStatus,
    Notification,
    Objection,
    ObjectionStatus,
    Plan,
    PlanStatus,
    TrainingCourse,
    TrainingRecord,
    TrainingStatus,
)
from app.tenancy.web import tenant_blueprint

keberatan = tenant_blueprint("keberatan", __name__, "/keberatan")
pelatihan = tenant_blueprint("pelatihan", __name__, "/pelatihan")
kotak = tenant_blueprint("kotak", __name__, "/notifikasi")
riwayat = tenant_blueprint("riwayat", __name__, "/riwayat")
blueprints = (keberatan, pelatihan, kotak, riwayat)

for _bp in blueprints:
    @_bp.before_request
    @login_required
    def _signed_in():
        """Every follow-up page needs a signed-in user of this tenant."""


# --- labels shown in every template --------------------------------------------------

PLAN_STATUS_LABELS = {
    PlanStatus.DRAFT: _l("draf"), PlanStatus.SUBMITTED: _l("diajukan"),
    PlanStatus.AGREED: _l("disetujui"), PlanStatus.RETURNED: _l("dikembalikan"),
}
OBJECTION_STATUS_LABELS = {
    ObjectionStatus.OPEN: _l("menunggu keputusan"), ObjectionStatus.UPHELD: _l("hasil tetap"),
    ObjectionStatus.CHANGED: _l("hasil diubah"),
}
TRAINING_STATUS_LABELS = {
    TrainingStatus.RECOMMENDED: _l("direkomendasikan"), TrainingStatus.ENROLLED: _l("terdaftar"),
    TrainingStatus.COMPLETED: _l("selesai"), TrainingStatus.DECLINED: _l("ditolak"),
}


@kotak.app_template_filter("status_label")
def status_label(value) -> str:
    for labels in (PLAN_STATUS_LABELS, OBJECTION_STATUS_LABELS, TRAINING_STATUS_LABELS):
        for key, label in labels.items():
            if value is key:
                return str(label)
    return str(value) if value is not None else "—"


@kotak.app_template_filter("tanggal")
def tanggal(value) -> str:
    return value.strftime("%d-%m-%Y") if value else "—"


@kotak.app_context_processor
def _unread_notifications() -> dict:
    """``unread_notifications()`` for the top bar: one query, and only when a page asks."""
    def unread_notifications() -> int:
        if "unread_notifications" not in g:
            user = current_user
            ok = (getattr(g, "tenant", None) is not None and user and user.is_authenticated
                  and user.tenant_id == g.tenant.id)
            g.unread_notifications = notifications.unread_count(user.id) if ok else 0
        return g.unread_notifications
    return {"unread_notifications": unread_notifications}



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
    if not permissions.can_view_plan(current_user, evaluation.plan):
        abort(404)
    existing = objection_rules.objection_of(evaluation)
    if existing is not None:
        flash(_("Keberatan atas penilaian ini sudah diajukan."), "info")
        return redirect(url_for("keberatan.detail", objection_id=existing.id))
    if not permissions.can_lodge_objection(current_user, evaluation):
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
    if not permissions.can_view_objection(current_user, objection):
        return _forbidden(_("Keberatan ini hanya dapat dilihat oleh pegawai yang mengajukan, atasan pejabat penilai, dan admin."))
    evaluation = objection.evaluation
    may_decide = permissions.can_decide_objection(current_user, objection)
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


# --- pelatihan --------------------------------------------------------------------------

@pelatihan.route("/")
def mine():
    employee = current_user.employee
    records = training_rules.records_of(employee.id) if employee is not None else []
    year = date.today().year
    hours = training_rules.completed_hours(employee.id, year) if employee is not None else 0
    return render_template("skp/followup_training.html", records=records, year=year, hours=hours,
                           required=training_rules.required_hours())


@pelatihan.route("/semua")
def everyone():
    if not current_user.is_admin:
        return _forbidden(_("Hanya admin yang dapat melihat semua catatan pelatihan."))
    wanted = request.args.get("status", "")
    query = (select(TrainingRecord).options(joinedload(TrainingRecord.employee), joinedload(TrainingRecord.course))
             .join(Employee, TrainingRecord.employee_id == Employee.id)
             .order_by(TrainingRecord.year.desc(), Employee.name, TrainingRecord.id))
    if wanted in {s.value for s in TrainingStatus}:
        query = query.where(TrainingRecord.status == TrainingStatus(wanted))
    return render_template("skp/followup_training_all.html", page=_paginate(query), wanted=wanted,
                           statuses=list(TrainingStatus))


@pelatihan.route("/<int:record_id>", methods=["GET", "POST"])
def record(record_id: int):
    record = db.get_or_404(TrainingRecord, record_id)
    if not permissions.can_view_training(current_user, record.employee):
        return _forbidden(_("Catatan pelatihan ini hanya untuk pegawai yang bersangkutan, pejabat penilainya, dan admin."))
    allowed = training_rules.allowed_statuses(current_user, record)
    form = TrainingStatusForm()
    form.status.choices = [(s.value, str(TRAINING_STATUS_LABELS[s])) for s in allowed]
    courses = db.session.scalars(select(TrainingCourse).where(TrainingCourse.active)
                                 .order_by(TrainingCourse.name)).all()
    form.course_id.choices = [("", "—")] + [(c.id, f"{c.name} ({c.hours:g} JP)") for c in courses]
    if request.method == "GET":
        form.course_id.data = record.course_id
    status = 200
    if request.method == "POST":
        if form.validate_on_submit() and form.status.data:
            try:
                training_rules.change_status(current_user, record, form.status.data, form.course_id.data,
                                             form.note.data)
                db.session.commit()
            except training_rules.TrainingForbidden as exc:
                db.session.rollback()
                return _forbidden(exc.message)
            except training_rules.TrainingError as exc:
                db.session.rollback()
                _show_error(form, exc)
                status = 422
            except ValueError:
                db.session.rollback()
                form.status.errors.append(_("Status tidak dikenal."))
                status = 422
            else:
                flash(_("Status pelatihan disimpan."), "success")
                return redirect(url_for("pelatihan.record", record_id=record.id))
        else:
            if not form.status.data:
                form.status.errors.append(_("Pilih status baru."))
            status = 422
    return render_template("skp/followup_training_record.html", record=record, form=form, allowed=allowed), status


def _catalogue_admin():
    if not permissions.can_manage_training_catalogue(current_user):
        return _forbidden(_("Hanya admin yang dapat mengelola katalog pelatihan."))
    return None


@pelatihan.route("/katalog")
def catalogue():
    if (refused := _catalogue_admin()) is not None:
        return refused
    q = (request.args.get("q") or "").strip()[:100]
    query = select(TrainingCourse).order_by(TrainingCourse.active.desc(), TrainingCourse.name)
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(or_(TrainingCourse.name.ilike(pattern), TrainingCourse.code.ilike(pattern)))
    return render_template("skp/followup_catalogue.html", page=_paginate(query), q=q,
                           topics=training_rules.known_topics())


@pelatihan.route("/katalog/baru", methods=["GET", "POST"])
@pelatihan.route("/katalog/<int:course_id>", methods=["GET", "POST"])
def course_form(course_id: int | None = None):
    course = db.get_or_404(TrainingCourse, course_id) if course_id else None
    if (refused := _catalogue_admin()) is not None:
        return refused
    form = CourseForm(obj=course)
    if request.method == "GET" and course is not None:
        form.topics.data = ", ".join(course.topics or [])
    status = 200
    if form.validate_on_submit():
        data = training_rules.CourseData(form.code.data, form.name.data, form.provider.data,
                                         float(form.hours.data), training_rules.parse_topics(form.topics.data))
        try:
            training_rules.save_course(current_user, data, course)
            db.session.commit()
        except training_rules.TrainingError as exc:
            db.session.rollback()
            _show_error(form, exc)
            status = 422
        else:
            flash(_("Pelatihan disimpan di katalog."), "success")
            return redirect(url_for("pelatihan.catalogue"))
    elif request.method == "POST":
        status = 422
    return render_template("skp/followup_course_form.html", form=form, course=course,
                           topics=training_rules.known_topics()), status


def _set_active(course_id: int, active: bool):
    course = db.get_or_404(TrainingCourse, course_id)
    if (refused := _catalogue_admin()) is not None:
        return refused
    if ConfirmForm().validate_on_submit():
        training_rules.set_course_active(current_user, course, active)
        db.session.commit()
        flash(_("Pelatihan diaktifkan kembali.") if active else _("Pelatihan dinonaktifkan."), "success")
    return redirect(url_for("pelatihan.catalogue"))


@pelatihan.route("/katalog/<int:course_id>/nonaktifkan", methods=["POST"])
def course_deactivate(course_id: int):
    return _set_active(course_id, False)


@pelatihan.route("/katalog/<int:course_id>/aktifkan", methods=["POST"])
def course_activate(course_id: int):
    return _set_active(course_id, True)


# --- notifications inbox ------------------------------------------------------------------

@kotak.route("/")
def inbox():
    page = _paginate(notifications.inbox_query(current_user.id))
    return render_template("notifications/inbox.html", page=page)


def _own_notification(notification_id: int) -> Notification:
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != current_user.id:
        abort(404)  # someone else's entry: the same answer as a missing one
    return note


@kotak.route("/<int:notification_id>/baca", methods=["POST"])
def read(notification_id: int):
    note = _own_notification(notification_id)
    if ConfirmForm().validate_on_submit():
        notifications.mark_read(note)
        db.session.commit()
        # Only links inside this application: never an open redirect.
        if request.form.get("buka") and note.link and note.link.startswith("/") and not note.link.startswith("//"):
            return redirect(note.link)
    return redirect(url_for("kotak.inbox", page=request.args.get("page", type=int)))


@kotak.route("/baca-semua", methods=["POST"])
def read_all():
    if ConfirmForm().validate_on_submit():
        count = notifications.mark_all_read(current_user.id)
        db.session.commit()
        if count:
            flash(_("%(n)d notifikasi ditandai sudah dibaca.", n=count), "success")
    return redirect(url_for("kotak.inbox"))


# --- history across years -----------------------------------------------------------------

@riwayat.route("/")
def own_history():
    employee = current_user.employee
    if employee is None:
        if current_user.is_admin:
            return redirect(url_for("admin.employees"))
        return _forbidden(_("Akun ini belum terhubung dengan data pegawai."))
    return render_template("skp/followup_history.html", employee=employee, years=worklists.history(employee.id),
                           final=EvaluationStatus.FINAL)


@riwayat.route("/pegawai/<int:employee_id>")
def employee_history(employee_id: int):
    person = db.get_or_404(Employee, employee_id)
    if not permissions.can_view_history(current_user, person):
        return _forbidden(_("Riwayat ini hanya untuk pegawai yang bersangkutan, pejabat penilai dan atasannya, serta admin."))
    return render_template("skp/followup_history.html", employee=person, years=worklists.history(person.id),
                           final=EvaluationStatus.FINAL)
