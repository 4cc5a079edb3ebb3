"""During the period: realisation per IKI per sub-period, evidence, dialog kinerja.

Thin views: permissions (``app.skp.permissions``) are checked here to pick the
answer and again in the services before anything changes. Another tenant's
object, or an object that does not belong to the plan in the URL, is a 404.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.notifications import register_link
from app.regions.manager import regions
from app.skp.feedback import services as feedback
from app.skp.feedback.access import can_read_feedback, can_record_feedback_session
from app.skp.planning.access import can_view_plan, is_penilai
from app.skp.planning.models import Plan
from app.skp.realisation import evidence as evidence_service
from app.skp.realisation import services as realisation_service
from app.skp.realisation.access import (
    can_delete_evidence,
    can_record_realisation,
    can_review_evidence,
)
from app.skp.realisation.forms import (
    ConfirmForm,
    EvidenceFileForm,
    EvidenceLinkForm,
    EvidenceReviewForm,
    MessageForm,
    RealisationForm,
    SessionForm,
)
from app.skp.realisation.models import Evidence, EvidenceKind
from app.skp.realisation.services import NotAllowed, PeriodWorkError, StaleEdit
from app.storage import StorageError
from app.tenancy.web import tenant_blueprint

bp = tenant_blueprint("realisasi", __name__, "/skp", template_folder="templates")
register_link("realisation", "realisasi.edit", values=realisation_service.link_values)
register_link("plan-dialog", "realisasi.dialog", "plan_id")
register_link("feedback-message", "realisasi.dialog", values=feedback.message_link_values)
register_link("plan-sessions", "realisasi.sessions", "plan_id")

# Downloads: the browser must neither guess nor run anything.
DOWNLOAD_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user of this tenant."""


@bp.context_processor
def _period_helpers() -> dict:
    return {"can_read_feedback": lambda plan: can_read_feedback(current_user, plan)}


def _forbidden(message):
    return render_template("errors/error.html", status=403, title=_("Akses ditolak"), message=str(message)), 403


def _plan_or_404(plan_id: int) -> Plan:
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        abort(404)
    return plan


def _viewable_plan(plan_id: int) -> Plan:
    plan = _plan_or_404(plan_id)
    if not can_view_plan(current_user, plan):
        abort(403)
    return plan


def _runtime():
    return regions().for_tenant(g.tenant)


def _field_errors(form, name: str | None) -> list:
    """Where a service's message goes: its field, else above the form."""
    target = getattr(form, name, None) if name else None
    if target is None or not hasattr(target, "errors"):
        return form.form_errors
    if not isinstance(target.errors, list):
        target.errors = list(target.errors)
    return target.errors


def _optional_int(name: str) -> int | None:
    value = request.values.get(name, "")
    return int(value) if value.isdigit() else None


# --- the grid --------------------------------------------------------------------------

@bp.route("/<int:plan_id>/realisasi")
def grid(plan_id: int):
    plan = _viewable_plan(plan_id)
    data = realisation_service.grid(plan, _runtime())
    return render_template("skp/period_grid.html", plan=plan, grid=data,
                           can_record=can_record_realisation(current_user, plan),
                           can_review=can_review_evidence(current_user, plan))


# --- one cell: value, note, evidence -------------------------------------------------------

def _cell_or_404(plan_id: int, indicator_id: int, period_id: int):
    plan = _viewable_plan(plan_id)
    indicator = realisation_service.indicator_of_plan(plan, indicator_id)
    period = realisation_service.period_of_plan(plan, period_id)
    if indicator is None or period is None:
        abort(404)
    return plan, indicator, period


def _render_cell(plan, indicator, period, status: int = 200, form=None, file_form=None, link_form=None):
    current = realisation_service.find(indicator, period)
    closed = realisation_service.is_closed(plan, period)
    editable = realisation_service.can_edit(current_user, plan, period)
    if form is None:
        form = RealisationForm()
        if current is not None:
            form.version.data = current.version
            form.value.data = f"{current.value:g}".replace(".", ",") if current.value is not None else ""
            form.note.data = current.note
    target = realisation_service.period_target(indicator, period, len(realisation_service.sub_periods(plan)))
    achievement = realisation_service.achievement_of(_runtime(), indicator,
                                                     current.value if current is not None else None, target)
    return render_template(
        "skp/period_edit.html", plan=plan, indicator=indicator, period=period, realisation=current,
        achievement=achievement, target=target, annual_target=realisation_service.target_of(indicator),
        closed=closed,
        editable=editable, form=form, file_form=file_form or EvidenceFileForm(),
        link_form=link_form or EvidenceLinkForm(), review_form=EvidenceReviewForm(formdata=None),
        confirm_form=ConfirmForm(), accept=evidence_service.ACCEPT_ATTRIBUTE,
        review_labels=evidence_service.REVIEW_LABELS,
        can_review=can_review_evidence(current_user, plan) and not closed,
        can_delete=lambda e: (not closed and can_delete_evidence(current_user, plan, e.uploaded_by_id)),
        max_mb=f"{evidence_service.max_bytes() / (1024 * 1024):g}",
    ), status


@bp.route("/<int:plan_id>/realisasi/<int:indicator_id>/<int:period_id>", methods=["GET", "POST"])
def edit(plan_id: int, indicator_id: int, period_id: int):
    plan, indicator, period = _cell_or_404(plan_id, indicator_id, period_id)
    if request.method == "GET":
        return _render_cell(plan, indicator, period)
    try:
        realisation_service.require_edit(current_user, plan, period)
    except NotAllowed as exc:
        return _forbidden(exc.message)
    form = RealisationForm()
    if form.validate_on_submit():
        try:
            realisation_service.save(current_user, plan, indicator, period, realisation_service.RealisationData(
                form.number, form.note.data, form.version_number))
            db.session.commit()
        except PeriodWorkError as exc:
            db.session.rollback()
            _field_errors(form, exc.field).append(str(exc.message))
        except (StaleEdit, StaleDataError, IntegrityError):
            db.session.rollback()
            form.form_errors.append(_("Realisasi ini sudah diubah orang lain sejak formulir dibuka. "
                                      "Isian Anda masih di bawah: periksa, lalu simpan lagi untuk menimpa."))
            current = realisation_service.find(indicator, period)
            # Keep what the user typed; the next save goes over the newer version knowingly.
            form.version.data = current.version if current is not None else ""
            return _render_cell(plan, indicator, period, 409, form=form)
        else:
            flash(_("Realisasi disimpan."), "success")
            return redirect(url_for(".edit", plan_id=plan.id, indicator_id=indicator.id, period_id=period.id))
    return _render_cell(plan, indicator, period, 422, form=form)


def _add_evidence(plan_id: int, indicator_id: int, period_id: int, kind: str):
    plan, indicator, period = _cell_or_404(plan_id, indicator_id, period_id)
    try:
        realisation_service.require_edit(current_user, plan, period)
    except NotAllowed as exc:
        return _forbidden(exc.message)
    form = EvidenceFileForm() if kind == "file" else EvidenceLinkForm()
    added = None
    if form.validate_on_submit():
        try:
            if kind == "file":
                upload = form.file.data
                if upload is None or not getattr(upload, "filename", ""):
                    raise PeriodWorkError(_("Pilih berkas yang akan diunggah."), "file")
                added = evidence_service.add_file(current_user, plan, indicator, period,
                                                  upload.filename, upload.stream)
            else:
                added = evidence_service.add_link(current_user, plan, indicator, period,
                                                  form.url.data, form.title.data)
            db.session.commit()
        except PeriodWorkError as exc:
            db.session.rollback()
            _field_errors(form, exc.field).append(str(exc.message))
        except Exception:
            db.session.rollback()
            if added is not None:
                evidence_service.discard(plan.tenant_id, added.storage_key)
            raise
        else:
            flash(_("Bukti dukung ditambahkan."), "success")
            return redirect(url_for(".edit", plan_id=plan.id, indicator_id=indicator.id, period_id=period.id))
    forms = {"file_form": form} if kind == "file" else {"link_form": form}
    return _render_cell(plan, indicator, period, 422, **forms)


@bp.route("/<int:plan_id>/realisasi/<int:indicator_id>/<int:period_id>/berkas", methods=["POST"])
def evidence_upload(plan_id: int, indicator_id: int, period_id: int):
    return _add_evidence(plan_id, indicator_id, period_id, "file")


@bp.route("/<int:plan_id>/realisasi/<int:indicator_id>/<int:period_id>/tautan", methods=["POST"])
def evidence_link(plan_id: int, indicator_id: int, period_id: int):
    return _add_evidence(plan_id, indicator_id, period_id, "link")


# --- one evidence item -------------------------------------------------------------------

def _evidence_or_404(evidence_id: int) -> tuple[Evidence, Plan]:
    item = db.session.get(Evidence, evidence_id)
    if item is None:
        abort(404)
    plan = item.realisation.indicator.result.plan
    if not can_view_plan(current_user, plan):
        abort(403)
    return item, plan


def _back_to_cell(item: Evidence, plan: Plan):
    return redirect(url_for(".edit", plan_id=plan.id, indicator_id=item.realisation.indicator_id,
                            period_id=item.realisation.period_id))


@bp.route("/bukti/<int:evidence_id>")
def evidence_download(evidence_id: int):
    item, plan = _evidence_or_404(evidence_id)
    if item.kind is not EvidenceKind.FILE:
        return _back_to_cell(item, plan)  # a link is opened from the page, never redirected to
    try:
        handle = evidence_service.open_file(item)
    except StorageError:
        abort(404)
    response = send_file(handle, mimetype=item.content_type or "application/octet-stream",
                         as_attachment=True, download_name=item.original_name or "bukti",
                         max_age=0, conditional=False, etag=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/bukti/<int:evidence_id>/periksa", methods=["POST"])
def evidence_review(evidence_id: int):
    item, plan = _evidence_or_404(evidence_id)
    if not can_review_evidence(current_user, plan):
        return _forbidden(_("Hanya pejabat penilai yang dapat memeriksa bukti dukung."))
    form = EvidenceReviewForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return _back_to_cell(item, plan)
    try:
        evidence_service.review(current_user, plan, item, form.decision.data == "accept", form.note.data)
        db.session.commit()
    except NotAllowed as exc:
        db.session.rollback()
        return _forbidden(exc.message)
    except PeriodWorkError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        flash(_("Hasil pemeriksaan bukti dukung disimpan."), "success")
    return _back_to_cell(item, plan)


@bp.route("/bukti/<int:evidence_id>/hapus", methods=["POST"])
def evidence_delete(evidence_id: int):
    item, plan = _evidence_or_404(evidence_id)
    target = _back_to_cell(item, plan)
    if not ConfirmForm().validate_on_submit():
        flash(_("Formulir kedaluwarsa. Kirim ulang."), "error")
        return target
    try:
        key = evidence_service.delete(current_user, plan, item)
        db.session.commit()
    except NotAllowed as exc:
        db.session.rollback()
        return _forbidden(exc.message)
    evidence_service.discard(plan.tenant_id, key)
    flash(_("Bukti dukung dihapus."), "success")
    return target


# --- dialog kinerja ------------------------------------------------------------------------

@bp.route("/<int:plan_id>/dialog", methods=["GET", "POST"])
def dialog(plan_id: int):
    plan = _plan_or_404(plan_id)
    if not can_read_feedback(current_user, plan):
        return _forbidden(_("Dialog kinerja hanya untuk pegawai, pejabat penilai dan atasan pejabat penilai."))
    try:
        result_id, indicator_id = feedback.subject_of(plan, _optional_int("result_id"), _optional_int("indicator_id"))
    except LookupError:
        abort(404)
    form = MessageForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                feedback.post_message(current_user, plan, form.body.data, result_id, indicator_id)
                db.session.commit()
            except PeriodWorkError as exc:
                db.session.rollback()
                form.body.errors.append(str(exc.message))
            else:
                flash(_("Pesan terkirim."), "success")
                return redirect(url_for(".dialog", plan_id=plan.id, result_id=None if indicator_id else result_id,
                                        indicator_id=indicator_id))
        status = 422
    form.result_id.data = result_id or ""
    form.indicator_id.data = indicator_id or ""
    entries = feedback.thread(current_user, plan, result_id, indicator_id)
    subject = None
    if indicator_id:
        subject = realisation_service.indicator_of_plan(plan, indicator_id)
    return render_template("skp/period_dialog.html", plan=plan, entries=entries, form=form,
                           result_id=result_id, indicator_id=indicator_id, subject=subject,
                           results=plan.results), status


@bp.route("/<int:plan_id>/sesi", methods=["GET", "POST"])
def sessions(plan_id: int):
    plan = _plan_or_404(plan_id)
    if not can_read_feedback(current_user, plan):
        return _forbidden(_("Sesi dialog kinerja hanya untuk pegawai, pejabat penilai dan atasan pejabat penilai."))
    can_record = can_record_feedback_session(current_user, plan)
    form = SessionForm()
    periods = realisation_service.sub_periods(plan)
    form.period_id.choices = [("", "—")] + [(p.id, p.label) for p in periods]
    status = 200
    if request.method == "POST":
        if not can_record:
            message = (_("Sesi dialog kinerja dicatat oleh pejabat penilai.")
                       if not is_penilai(current_user, plan)
                       else _("Sesi dialog kinerja dapat dicatat setelah SKP disetujui."))
            return _forbidden(message)
        if form.validate_on_submit():
            try:
                feedback.record_session(current_user, plan, feedback.SessionData(
                    form.held_on.data, form.face_to_face.data, form.notes.data, form.agreed_actions.data,
                    form.period_id.data))
                db.session.commit()
            except PeriodWorkError as exc:
                db.session.rollback()
                _field_errors(form, exc.field).append(str(exc.message))
            else:
                flash(_("Sesi dialog kinerja dicatat."), "success")
                return redirect(url_for(".sessions", plan_id=plan.id))
        status = 422
    return render_template("skp/period_sessions.html", plan=plan, rows=feedback.sessions(current_user, plan),
                           form=form, can_record=can_record), status
