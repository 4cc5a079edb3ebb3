"""Training screens (pelatihan): recommendations, their status, the catalogue.

The plan page shows open training through the ``open_training_for`` template
helper this blueprint provides (planning sits below training and does not import it).
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.errors import Forbidden
from app.extensions import db
from app.notifications import register_link
from app.org.models import Employee
from app.skp.training import services as training_rules
from app.skp.training.access import can_manage_training_catalogue, can_view_training
from app.skp.training.forms import CourseForm, TrainingStatusForm
from app.skp.training.models import TrainingCourse, TrainingRecord, TrainingStatus
from app.tenancy import tenant_today
from app.tenancy.web import tenant_blueprint
from app.web.filters import register_labels
from app.web.forms import ConfirmForm, add_error, form_status, perform
from app.web.listing import paginate

pelatihan = tenant_blueprint("pelatihan", __name__, "/pelatihan", template_folder="templates", guard=login_required)
register_link("training", "pelatihan.mine")



TRAINING_STATUS_LABELS = {
    TrainingStatus.RECOMMENDED: _l("direkomendasikan"), TrainingStatus.ENROLLED: _l("terdaftar"),
    TrainingStatus.COMPLETED: _l("selesai"), TrainingStatus.DECLINED: _l("ditolak"),
}
register_labels(TRAINING_STATUS_LABELS)


@pelatihan.app_context_processor
def _training_helpers():
    """``open_training_for(employee_id, year)`` for the plan page (``skp/plan_training.html``), and
    the names of recommendations and topics (never their codes) for every page that shows training."""
    return {"open_training_for": training_rules.open_training_for, "topic_names": training_rules.topic_names,
            "recommendation_name": training_rules.recommendation_name, "reason_text": training_rules.reason_text}


# --- pelatihan --------------------------------------------------------------------------

@pelatihan.route("/")
def mine():
    employee = current_user.employee
    records = training_rules.records_of(employee.id) if employee is not None else []
    year = tenant_today().year
    hours = training_rules.completed_hours(employee.id, year) if employee is not None else 0
    return render_template("skp/followup_training.html", records=records, year=year, hours=hours,
                           required=training_rules.required_hours())


@pelatihan.route("/semua")
def everyone():
    if not current_user.is_admin:
        raise Forbidden(_("Hanya admin yang dapat melihat semua catatan pelatihan."))
    wanted = request.args.get("status", "")
    query = (select(TrainingRecord).options(joinedload(TrainingRecord.employee), joinedload(TrainingRecord.course))
             .join(Employee, TrainingRecord.employee_id == Employee.id)
             .order_by(TrainingRecord.year.desc(), Employee.name, TrainingRecord.id))
    if wanted in {s.value for s in TrainingStatus}:
        query = query.where(TrainingRecord.status == TrainingStatus(wanted))
    return render_template("skp/followup_training_all.html", page=paginate(query), wanted=wanted,
                           statuses=list(TrainingStatus))


@pelatihan.route("/<int:record_id>", methods=["GET", "POST"])
def record(record_id: int):
    record = db.get_or_404(TrainingRecord, record_id)
    if not can_view_training(current_user, record.employee):
        raise Forbidden(_("Catatan pelatihan ini hanya untuk pegawai yang bersangkutan, pejabat penilainya, "
                          "dan admin."))
    allowed = training_rules.allowed_statuses(current_user, record)
    form = TrainingStatusForm()
    form.status.choices = [(s.value, str(TRAINING_STATUS_LABELS[s])) for s in allowed]
    courses = db.session.scalars(select(TrainingCourse).where(TrainingCourse.active)
                                 .order_by(TrainingCourse.name)).all()
    form.course_id.choices = [("", "—")] + [(c.id, f"{c.name} ({c.hours:g} JP)") for c in courses]
    if request.method == "GET":
        form.course_id.data = record.course_id
    done = None
    if request.method == "POST" and not form.status.data:
        add_error(form, _("Pilih status baru."), "status")
    elif form.validate_on_submit():
        done = perform(form, lambda: training_rules.change_status(
            current_user, record, form.status.data, form.course_id.data, form.note.data),
            success=_("Status pelatihan disimpan."), redirect_to=url_for("pelatihan.record", record_id=record.id))
        if done.ok:
            return done.response
    return render_template("skp/followup_training_record.html", record=record, form=form,
                           allowed=allowed), form_status(form, done)


def _require_catalogue_admin() -> None:
    if not can_manage_training_catalogue(current_user):
        raise Forbidden(_("Hanya admin yang dapat mengelola katalog pelatihan."))


@pelatihan.route("/katalog")
def catalogue():
    _require_catalogue_admin()
    q = (request.args.get("q") or "").strip()[:100]
    query = select(TrainingCourse).order_by(TrainingCourse.active.desc(), TrainingCourse.name)
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(or_(TrainingCourse.name.ilike(pattern), TrainingCourse.code.ilike(pattern)))
    return render_template("skp/followup_catalogue.html", page=paginate(query), q=q,
                           topics=training_rules.known_topics())


@pelatihan.route("/katalog/baru", methods=["GET", "POST"])
@pelatihan.route("/katalog/<int:course_id>", methods=["GET", "POST"])
def course_form(course_id: int | None = None):
    course = db.get_or_404(TrainingCourse, course_id) if course_id else None
    _require_catalogue_admin()
    form = CourseForm(obj=course)
    if request.method == "GET" and course is not None:
        form.topics.data = ", ".join(course.topics or [])
    done = None
    if form.validate_on_submit():
        data = training_rules.CourseData(form.code.data, form.name.data, form.provider.data,
                                         float(form.hours.data), training_rules.parse_topics(form.topics.data))
        done = perform(form, lambda: training_rules.save_course(current_user, data, course),
                       success=_("Pelatihan disimpan di katalog."), redirect_to=url_for("pelatihan.catalogue"))
        if done.ok:
            return done.response
    return render_template("skp/followup_course_form.html", form=form, course=course,
                           topics=training_rules.known_topics()), form_status(form, done)


def _set_active(course_id: int, active: bool):
    course = db.get_or_404(TrainingCourse, course_id)
    _require_catalogue_admin()
    if ConfirmForm().validate_on_submit():
        perform(None, lambda: training_rules.set_course_active(current_user, course, active),
                success=_("Pelatihan diaktifkan kembali.") if active else _("Pelatihan dinonaktifkan."))
    return redirect(url_for("pelatihan.catalogue"))


@pelatihan.route("/katalog/<int:course_id>/nonaktifkan", methods=["POST"])
def course_deactivate(course_id: int):
    return _set_active(course_id, False)


@pelatihan.route("/katalog/<int:course_id>/aktifkan", methods=["POST"])
def course_activate(course_id: int):
    return _set_active(course_id, True)
