"""Bulk import of units, positions and employees (CSV/XLSX): upload, preview, apply."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.roles import admin_required
from app.extensions import db
from app.imports import services
from app.imports.forms import UploadForm
from app.imports.kinds import SPEC_BY_SLUG, SPECS
from app.imports.models import ImportBatch, ImportKind, ImportStatus
from app.imports.rows import CREATE, ERROR, UNCHANGED, UPDATE
from app.tenancy.web import tenant_blueprint
from app.web.forms import ConfirmForm, perform
from app.web.progress import progress_answer

bp = tenant_blueprint("imports", __name__, "/admin/impor", guard=admin_required)

# ?aksi= on the preview → the rows it shows
ACTION_FILTERS = {"baru": CREATE, "diperbarui": UPDATE, "tetap": UNCHANGED}
STATUS_LABELS = {
    ImportStatus.VALIDATING: _l("Sedang diperiksa"),
    ImportStatus.PREVIEW: _l("Siap diterapkan"),
    ImportStatus.APPLYING: _l("Sedang diterapkan"),
    ImportStatus.APPLIED: _l("Sudah diterapkan"),
    ImportStatus.REJECTED: _l("Ditolak"),
    ImportStatus.FAILED: _l("Gagal"),
}
ACTION_LABELS = {CREATE: _l("baru"), UPDATE: _l("diperbarui"), UNCHANGED: _l("tetap"), ERROR: _l("bermasalah")}



@bp.context_processor
def _labels() -> dict:
    return {"status_labels": STATUS_LABELS, "action_labels": ACTION_LABELS, "action_filters": ACTION_FILTERS}


def _batch_or_404(batch_id: int) -> ImportBatch:
    # Tenant scoping makes another tenant's batch invisible: the same 404 as a missing one.
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None:
        abort(404)
    return batch


def _index(form: UploadForm, status: int = 200) -> ResponseReturnValue:
    return render_template("imports/index.html", form=form, specs=SPECS,
                           batches=services.recent_batches()), status


@bp.route("/")
def index() -> ResponseReturnValue:
    return _index(UploadForm())


@bp.route("/unggah", methods=["POST"])
def upload() -> ResponseReturnValue:
    form = UploadForm()
    if form.validate_on_submit():
        uploaded = form.file.data
        done = perform(form, lambda: services.start_import(ImportKind(form.kind.data), uploaded.filename,
                                                           uploaded.read(), current_user.id),
                       redirect_to=lambda batch: url_for("imports.batch", batch_id=batch.id))
        if done.ok:
            return done.response
    return _index(form, 422)


@bp.route("/<int:batch_id>")
def batch(batch_id: int) -> ResponseReturnValue:
    services.expire_abandoned(batch_id)
    batch = _batch_or_404(batch_id)
    action_filter = request.args.get("aksi")
    action_filter = action_filter if action_filter in ACTION_FILTERS else None
    page = services.preview_page(batch, ACTION_FILTERS.get(action_filter or ""),
                                 request.args.get("page", 1, type=int) or 1)
    return render_template("imports/batch.html", batch=batch, spec=SPECS[batch.kind], page=page,
                           action_filter=action_filter, running=batch.status in services.RUNNING,
                           errors_shown=services.ERRORS_SHOWN, confirm_form=ConfirmForm())


@bp.route("/<int:batch_id>/terapkan", methods=["POST"])
def confirm(batch_id: int) -> ResponseReturnValue:
    batch = _batch_or_404(batch_id)
    if ConfirmForm().validate_on_submit():
        if not services.confirm_import(batch):
            flash(_("Impor ini tidak dapat diterapkan: hanya impor yang sudah diperiksa tanpa kesalahan "
                    "dan belum diterapkan yang bisa diterapkan."), "error")
        elif batch.status == ImportStatus.APPLIED:  # the job ran inline
            flash(_("Impor diterapkan."), "success")
        elif batch.status in services.RUNNING:
            flash(_("Impor sedang diterapkan."), "info")
    return redirect(url_for("imports.batch", batch_id=batch_id))


@bp.route("/<int:batch_id>/status")
def status(batch_id: int) -> ResponseReturnValue:
    return progress_answer(services.status_of(batch_id))


@bp.route("/<int:batch_id>/galat.csv")
def errors_csv(batch_id: int) -> ResponseReturnValue:
    batch = _batch_or_404(batch_id)
    return _csv_download(services.errors_csv(batch), f"galat-impor-{batch.id}.csv")


@bp.route("/templat/<kind>")
def template(kind: str) -> ResponseReturnValue:
    spec = SPEC_BY_SLUG.get(kind)
    if spec is None:
        abort(404)
    return _csv_download(services.template_csv(spec), f"templat-{spec.slug}.csv")


def _csv_download(text: str, filename: str) -> Response:
    return Response(text.encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "no-store"})

