"""Admin instansi screens for the public side: /<slug>/admin/publik/…

Survey links and QR codes per unit, the IKM per unit and its trend, the
complaint inbox and its workflow, and publications.
"""

from __future__ import annotations

import io

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app import charts
from app.auth.roles import admin_required
from app.extensions import db
from app.org.models import Employee, Position, Unit
from app.publik import complaints, surveys, transparency
from app.publik.forms import (
    CATEGORY_LABELS,
    ELEMENT_NAMES,
    PUBLICATION_LABELS,
    QUARTER_LABELS,
    STATUS_LABELS,
    AssignForm,
    CloseForm,
    FindingForm,
    PublikSettingsForm,
    PublishForm,
    RespondForm,
    TriageForm,
)
from app.publik.ikm import BANDS, ELEMENTS
from app.publik.models import Complaint, ComplaintStatus, FollowUpItem, Publication, PublicationKind
from app.publik.periods import ReportingPeriod
from app.tenancy import tenant_today
from app.tenancy.web import tenant_blueprint
from app.web.forms import ConfirmForm, perform
from app.web.listing import paginate

bp = tenant_blueprint("publik_admin", __name__, "/admin/publik", guard=admin_required)




def _survey_url(unit: Unit) -> str:
    return url_for("publik.survey", unit_id=unit.id, _external=True)


def _units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.active).order_by(Unit.name)))


def _unit_choices() -> list[tuple]:
    return [("", "—")] + [(u.id, u.name) for u in _units()]


def _staff_choices(unit_id: int | None) -> list[tuple]:
    rows = db.session.execute(
        select(Employee.id, Employee.name).join(Position, Employee.position_id == Position.id)
        .where(Employee.active, *([Position.unit_id == unit_id] if unit_id else []))
        .order_by(Employee.name)
    ).all()
    return [("", "—")] + [(r.id, r.name) for r in rows]


# --- survey links and QR codes -------------------------------------------------------------

@bp.route("/")
def index():
    today = tenant_today()
    period = ReportingPeriod.calendar_quarter(today.year, (today.month - 1) // 3 + 1)
    counts = surveys.respondent_counts(period)
    open_complaints = db.session.scalar(select(func.count()).select_from(Complaint).where(
        Complaint.status != ComplaintStatus.SELESAI))
    return render_template("publik/admin/index.html", units=_units(), counts=counts, period=period,
                           open_complaints=open_complaints, survey_url=_survey_url)


def qr_svg(text: str) -> bytes:
    # Imported here: only a few routes draw QR codes, and qrcode with its SVG writer is slow to import.
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


@bp.route("/qr/<int:unit_id>.svg")
def unit_qr(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    return Response(qr_svg(_survey_url(unit)), mimetype="image/svg+xml")


@bp.route("/cetak/<int:unit_id>")
def unit_poster(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    return render_template("publik/admin/poster.html", unit=unit, url=_survey_url(unit))


# --- IKM ----------------------------------------------------------------------------------------

def _period_from_args() -> ReportingPeriod:
    today = tenant_today()
    year = request.args.get("tahun", type=int) or today.year
    quarter = request.args.get("triwulan", type=int)
    if quarter is None:
        quarter = (today.month - 1) // 3 + 1
    if not 2000 <= year <= 2100 or quarter not in (0, 1, 2, 3, 4):
        abort(404)
    return ReportingPeriod.for_publication(year, quarter)


@bp.route("/ikm")
def ikm():
    period = _period_from_args()
    results = surveys.ikm_by_unit(period)
    return render_template("publik/admin/ikm.html", units=_units(), results=results, period=period,
                           quarters=QUARTER_LABELS, elements=ELEMENTS, element_names=ELEMENT_NAMES)


@bp.route("/ikm/<int:unit_id>")
def ikm_unit(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    period = _period_from_args()
    result = surveys.unit_ikm(unit.id, period)
    year = period.year
    trend_periods = [ReportingPeriod.calendar_quarter(y, q) for y in (year - 1, year) for q in range(1, 5)]
    trend = surveys.trend(unit.id, trend_periods)
    trend_chart = charts.trend_chart(
        [(p.label.replace("Triwulan ", "T"), float(r.index) if r else None) for p, r in trend],
        _("IKM per triwulan, %(a)d–%(b)d", a=year - 1, b=year), _("IKM"), (25, 100),
        (*(float(band.lower) for band in BANDS), 100))
    return render_template("publik/admin/ikm_unit.html", unit=unit, period=period, result=result,
                           trend_chart=trend_chart, elements=ELEMENTS, element_names=ELEMENT_NAMES,
                           quarters=QUARTER_LABELS)


# --- complaints ---------------------------------------------------------------------------------

@bp.route("/pengaduan")
def complaints_inbox():
    status = request.args.get("status") or "terbuka"
    query = select(Complaint).order_by(Complaint.received_at.desc())
    if status == "terbuka":
        query = query.where(Complaint.status != ComplaintStatus.SELESAI)
    elif status in {s.value for s in ComplaintStatus}:
        query = query.where(Complaint.status == ComplaintStatus(status))
    page = paginate(query)
    return render_template("publik/admin/complaints.html", page=page, status=status,
                           statuses=STATUS_LABELS, categories=CATEGORY_LABELS)


def _complaint_forms(complaint: Complaint) -> dict:
    triage = TriageForm(prefix="telaah", category=complaint.category.value, unit_id=complaint.unit_id)
    triage.unit_id.choices = _unit_choices()
    assign = AssignForm(prefix="tugas", unit_id=complaint.assigned_unit_id or complaint.unit_id,
                        employee_id=complaint.assigned_employee_id)
    assign.unit_id.choices = _unit_choices()
    assign.employee_id.choices = _staff_choices(complaint.assigned_unit_id or complaint.unit_id)
    finding = FindingForm(prefix="temuan")
    return {"triage": triage, "assign": assign, "respond": RespondForm(prefix="jawab"),
            "finding": finding, "close": CloseForm(prefix="tutup")}


def _show(complaint: Complaint, forms: dict | None = None, status: int = 200):
    follow_ups = db.session.scalars(select(FollowUpItem).where(FollowUpItem.complaint_id == complaint.id)).all()
    return render_template("publik/admin/complaint.html", complaint=complaint,
                           forms=forms or _complaint_forms(complaint), follow_ups=follow_ups,
                           statuses=STATUS_LABELS, categories=CATEGORY_LABELS,
                           code=complaints.display_tracking_code(complaint.tracking_code)), status


@bp.route("/pengaduan/<int:complaint_id>")
def complaint(complaint_id: int):
    return _show(db.get_or_404(Complaint, complaint_id))


def _act(complaint_id: int, form_key: str, action):
    item = db.get_or_404(Complaint, complaint_id)
    forms = _complaint_forms(item)
    form = forms[form_key]
    if not form.validate_on_submit():
        return _show(item, forms, 400)
    perform(None, lambda: action(item, form), success=lambda message: message)
    return redirect(url_for("publik_admin.complaint", complaint_id=complaint_id))


@bp.route("/pengaduan/<int:complaint_id>/telaah", methods=["POST"])
def complaint_triage(complaint_id: int):
    def action(item, form):
        db.get_or_404(Unit, form.unit_id.data)
        complaints.triage(item, current_user.id, form.category.data, form.unit_id.data,
                          form.note.data, form.public_message.data)
        return _("Pengaduan ditelaah.")
    return _act(complaint_id, "triage", action)


@bp.route("/pengaduan/<int:complaint_id>/tugaskan", methods=["POST"])
def complaint_assign(complaint_id: int):
    def action(item, form):
        db.get_or_404(Unit, form.unit_id.data)
        if form.employee_id.data is not None:
            db.get_or_404(Employee, form.employee_id.data)
        complaints.assign(item, current_user.id, form.unit_id.data, form.employee_id.data, form.note.data)
        return _("Pengaduan ditugaskan.")
    return _act(complaint_id, "assign", action)


@bp.route("/pengaduan/<int:complaint_id>/jawab", methods=["POST"])
def complaint_respond(complaint_id: int):
    def action(item, form):
        complaints.respond(item, current_user.id, form.public_message.data, form.note.data)
        return _("Jawaban dikirim ke halaman pelacakan.")
    return _act(complaint_id, "respond", action)


@bp.route("/pengaduan/<int:complaint_id>/temuan", methods=["POST"])
def complaint_finding(complaint_id: int):
    def action(item, form):
        items = complaints.record_finding(item, current_user.id, form.substantiated.data == "1", form.note.data)
        if items:
            return _("Hasil pemeriksaan disimpan; %(n)d tindak lanjut dibuat untuk atasan pegawai.", n=len(items))
        return _("Hasil pemeriksaan disimpan.")
    return _act(complaint_id, "finding", action)


@bp.route("/pengaduan/<int:complaint_id>/tutup", methods=["POST"])
def complaint_close(complaint_id: int):
    def action(item, form):
        complaints.close(item, current_user.id, form.public_message.data, form.note.data)
        return _("Pengaduan ditutup.")
    return _act(complaint_id, "close", action)


# --- publications -----------------------------------------------------------------------------

@bp.route("/publikasi", methods=["GET", "POST"])
def publications():
    form = PublishForm(prefix="terbit")
    if request.method == "GET" and form.year.data is None:
        form.year.data = tenant_today().year
    settings_form = PublikSettingsForm(prefix="atur", min_group_size=transparency.min_group_size(),
                                       contact_retention_days=transparency.settings().contact_retention_days)
    if request.method == "POST" and form.validate_on_submit():
        done = perform(form, lambda: transparency.publish(PublicationKind(form.kind.data), form.year.data,
                                                          form.quarter.data, current_user.id),
                       success=_("Diterbitkan di halaman transparansi."),
                       redirect_to=url_for("publik_admin.publications"))
        if done.ok:
            return done.response
    items = db.session.scalars(select(Publication).order_by(Publication.published_at.desc()).limit(100)).all()
    return render_template("publik/admin/publications.html", form=form, settings_form=settings_form,
                           items=items, labels=PUBLICATION_LABELS, confirm=ConfirmForm(),
                           evaluated_periods=transparency.evaluated_periods(),
                           report_formats=transparency.public_report_formats())


@bp.route("/publikasi/pengaturan", methods=["POST"])
def publication_settings():
    form = PublikSettingsForm(prefix="atur")
    if form.validate_on_submit():
        transparency.settings().min_group_size = form.min_group_size.data
        transparency.settings().contact_retention_days = form.contact_retention_days.data
        db.session.commit()
        flash(_("Pengaturan disimpan. Berlaku untuk terbitan berikutnya."), "success")
    else:
        flash(_("Ukuran kelompok harus antara 2 dan 50, masa simpan kontak antara 30 dan 3650 hari."), "error")
    return redirect(url_for("publik_admin.publications"))


@bp.route("/publikasi/<int:publication_id>/tarik", methods=["POST"])
def publication_withdraw(publication_id: int):
    publication = db.get_or_404(Publication, publication_id)
    if ConfirmForm().validate_on_submit():
        perform(None, lambda: transparency.withdraw(publication),
                success=_("Terbitan ditarik dari halaman transparansi."))
    return redirect(url_for("publik_admin.publications"))
