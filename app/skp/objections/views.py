"""Objection screens (keberatan): lodge, decide, the lists of each role, the
attached files (downloaded, and an image or a PDF's first pages shown in the
page as evidence is: ``app.web.previews``, ``app.web.pdfpages``).

The evaluation page shows an evaluation's objection box through the
``objection_info_for`` template helper this blueprint provides (evaluation
sits below objections and does not import it).
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import FileStorage

from app.errors import Forbidden
from app.extensions import db
from app.notifications import register_link
from app.skp.evaluation.models import Evaluation
from app.skp.objections import files as objection_files
from app.skp.objections import services as objection_rules
from app.skp.objections.access import (
    can_attach_objection_file,
    can_decide_objection,
    can_lodge_objection,
    can_view_objection,
)
from app.skp.objections.forms import DecideObjectionForm, LodgeObjectionForm, ObjectionFileForm
from app.skp.objections.materials import materials
from app.skp.objections.models import Objection, ObjectionFile, ObjectionSide, ObjectionStatus
from app.skp.objections.worklist import my_evaluations, objections_to_decide
from app.skp.planning.access import can_view_plan
from app.skp.planning.models import Plan
from app.storage import StorageError
from app.tenancy import tenant_today
from app.tenancy.web import tenant_blueprint
from app.web import pdfpages
from app.web.downloads import guarded_file
from app.web.filters import register_labels
from app.web.forms import Outcome, add_error, form_status, perform
from app.web.listing import paginate
from app.web.previews import guarded_preview, preview_kind

keberatan = tenant_blueprint("keberatan", __name__, "/keberatan", template_folder="templates", guard=login_required)
register_link("objection", "keberatan.detail", "objection_id")

OBJECTION_STATUS_LABELS = {
    ObjectionStatus.OPEN: _l("menunggu keputusan"), ObjectionStatus.UPHELD: _l("hasil tetap"),
    ObjectionStatus.CHANGED: _l("hasil diubah"),
}
register_labels(OBJECTION_STATUS_LABELS)
OBJECTION_SIDE_LABELS = {ObjectionSide.PEGAWAI: _l("pegawai"), ObjectionSide.ATASAN: _l("atasan pejabat penilai")}
register_labels(OBJECTION_SIDE_LABELS)

# Downloads, as evidence downloads: the browser must neither guess nor run anything.



@keberatan.app_context_processor
def _objection_helpers():
    """``objection_info_for(evaluation)`` for any page showing an evaluation
    (``skp/followup_objection_box.html``)."""
    return {"objection_info_for": lambda evaluation: objection_rules.objection_info(current_user, evaluation)}


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
        everything = paginate(
            select(Objection)
            .options(joinedload(Objection.evaluation).joinedload(Evaluation.plan).joinedload(Plan.employee),
                     joinedload(Objection.evaluation).joinedload(Evaluation.period))
            .order_by((Objection.status == ObjectionStatus.OPEN).desc(), Objection.lodged_at.desc()))
    return render_template("skp/followup_objections.html", mine=mine, to_decide=to_decide, eligible=eligible,
                           everything=everything, today=today, decision_deadline=objection_rules.decision_deadline)


# --- uploads: the stored file goes when its row is not committed ------------------------

def _upload(field) -> FileStorage | None:
    data = field.data
    return data if isinstance(data, FileStorage) and data.filename else None


def _perform_storing(form, tenant_id: int, action: Callable[[list[ObjectionFile]], Any], **kwargs) -> Outcome:
    """``perform`` for an action that may store uploaded files (it appends the
    rows it adds to the list it is given): their stored bytes are discarded
    when the rows are not committed."""
    stored: list[ObjectionFile] = []
    try:
        done = perform(form, lambda: action(stored), **kwargs)
    except Exception:
        for item in stored:
            objection_files.discard(tenant_id, item.storage_key)
        raise
    if not done.ok:
        for item in stored:
            objection_files.discard(tenant_id, item.storage_key)
    return done


def _attach_upload(field, objection: Objection, stored: list[ObjectionFile]) -> None:
    upload = _upload(field)
    if upload is not None:
        stored.append(objection_files.attach(current_user, objection, upload.filename, upload.stream))


# --- lodging and deciding --------------------------------------------------------------

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
        def lodge_with_file(stored: list[ObjectionFile]) -> Objection:
            objection = objection_rules.lodge(current_user, evaluation, form.reasons.data)
            _attach_upload(form.lampiran, objection, stored)
            return objection

        done = _perform_storing(form, evaluation.tenant_id, lodge_with_file,
                                success=_("Keberatan diajukan kepada atasan pejabat penilai."),
                                redirect_to=lambda objection: url_for("keberatan.detail", objection_id=objection.id))
        if done.ok:
            return done.response
    return render_template("skp/followup_objection_lodge.html", form=form, evaluation=evaluation, info=info,
                           window_days=objection_rules.window_days(evaluation),
                           max_mb=_max_mb()), form_status(form, done)


def _max_mb() -> str:
    return f"{objection_files.max_bytes() / (1024 * 1024):g}"


def _require_decider(objection: Objection) -> None:
    if not can_decide_objection(current_user, objection):
        if objection.status is not ObjectionStatus.OPEN:
            raise Forbidden(_("Keberatan ini sudah diputuskan; keputusan atasan pejabat penilai bersifat final."))
        raise Forbidden(_("Hanya atasan pejabat penilai yang dapat memutuskan keberatan ini."))


def _viewable(objection_id: int) -> Objection:
    objection = db.get_or_404(Objection, objection_id)
    if not can_view_objection(current_user, objection):
        raise Forbidden(_("Keberatan ini hanya dapat dilihat oleh pegawai yang mengajukan, atasan pejabat penilai, "
                          "dan admin."))
    return objection


def _decide_form(objection: Objection) -> DecideObjectionForm:
    form = DecideObjectionForm()
    form.new_predikat_code.choices = [("", "—")] + objection_rules.predikat_choices(objection.evaluation)
    return form


def _render_detail(objection: Objection, form: DecideObjectionForm, file_form: ObjectionFileForm | None = None,
                   status: int = 200):
    evaluation = objection.evaluation
    files = objection_files.files_of(current_user, objection)
    return render_template("skp/followup_objection.html", objection=objection, evaluation=evaluation,
                           form=form, may_decide=can_decide_objection(current_user, objection),
                           uses_score=objection_rules.uses_score(evaluation),
                           decision_deadline=objection_rules.decision_deadline(objection),
                           overdue=objection_rules.is_overdue(objection),
                           labels=dict(objection_rules.predikat_choices(evaluation)),
                           files=files, previews={f.id: _preview_of(objection, f) for f in files},
                           may_attach=can_attach_objection_file(current_user, objection),
                           file_form=file_form or ObjectionFileForm(formdata=None),
                           max_mb=_max_mb(),
                           materials=materials(current_user, objection)), status


@keberatan.route("/<int:objection_id>", methods=["GET", "POST"])
def detail(objection_id: int):
    objection = _viewable(objection_id)
    form, done = _decide_form(objection), None
    if request.method == "POST":
        _require_decider(objection)
        if form.validate_on_submit():
            def decide_with_file(stored: list[ObjectionFile]) -> Objection:
                _attach_upload(form.lampiran, objection, stored)  # while still open
                return objection_rules.decide(
                    current_user, objection, form.outcome.data, form.reasons.data,
                    form.new_predikat_code.data or None,
                    float(form.new_score.data) if form.new_score.data is not None else None)

            done = _perform_storing(form, objection.tenant_id, decide_with_file,
                                    success=_("Keputusan atas keberatan disimpan."),
                                    redirect_to=url_for("keberatan.detail", objection_id=objection.id))
            if done.ok:
                return done.response
    return _render_detail(objection, form, status=form_status(form, done))


# --- files ------------------------------------------------------------------------------

@keberatan.route("/<int:objection_id>/berkas", methods=["POST"])
def attach(objection_id: int):
    objection = _viewable(objection_id)
    if not can_attach_objection_file(current_user, objection):
        if objection.status is not ObjectionStatus.OPEN:
            raise Forbidden(_("Keberatan ini sudah diputuskan; berkas tidak dapat dilampirkan lagi."))
        raise Forbidden(_("Berkas keberatan hanya dapat dilampirkan oleh pegawai yang mengajukan dan atasan "
                          "pejabat penilai yang memutuskannya."))
    file_form = ObjectionFileForm()
    if file_form.validate_on_submit():
        upload = _upload(file_form.file)
        if upload is None:
            add_error(file_form, _("Pilih berkas yang akan diunggah."), "file")
        else:
            done = _perform_storing(
                file_form, objection.tenant_id,
                lambda stored: stored.append(objection_files.attach(current_user, objection, upload.filename,
                                                                    upload.stream)),
                success=_("Berkas dilampirkan pada keberatan."),
                redirect_to=url_for("keberatan.detail", objection_id=objection.id) + "#lampiran")
            if done.ok:
                return done.response
            return _render_detail(objection, _decide_form(objection), file_form, done.status)
    return _render_detail(objection, _decide_form(objection), file_form, 422)


@keberatan.route("/<int:objection_id>/berkas")
def download(objection_id: int):
    """One file of the objection (``?berkas=<id>``): an attachment, never shown inline."""
    objection = _viewable(objection_id)
    file_id = request.args.get("berkas", type=int)  # the bounded reader: junk or huge → None
    item = db.session.get(ObjectionFile, file_id) if file_id is not None else None
    if item is None or item.objection_id != objection.id:
        abort(404)
    try:
        done = perform(None, lambda: objection_files.open_file(current_user, objection, item))
    except StorageError:
        db.session.rollback()
        abort(404)
    if not done.ok:
        abort(404)
    return guarded_file(done.value, item.content_type, item.original_name, "berkas")


# --- previews: an image or a PDF's pages inside the detail page -------------------------

def _read(objection: Objection, item: ObjectionFile) -> bytes:
    with objection_files.open_preview(current_user, objection, item) as handle:
        return handle.read()


def _preview_of(objection: Objection, item: ObjectionFile) -> tuple[str, pdfpages.RenderedPdf | None] | None:
    """How the detail page shows ``item``: ("image", None), ("pdf", its rendered
    pages, rendered on first use and then kept), or None (only the download link)."""
    kind = preview_kind(item)
    if kind != "pdf":
        return (kind, None) if kind else None
    try:
        return kind, pdfpages.rendered(item.tenant_id, item.storage_key, lambda: _read(objection, item))
    except StorageError:
        return kind, pdfpages.RenderedPdf(failure=pdfpages.MISSING)


def _previewed(objection_id: int, file_id: int, kind: str) -> tuple[Objection, ObjectionFile]:
    """The objection's file shown as ``kind``, for those who may download it; 404
    for anything else (who may not see the objection learns nothing of its files)."""
    try:
        objection = _viewable(objection_id)
    except Forbidden:
        abort(404)
    item = db.session.get(ObjectionFile, file_id)
    if item is None or item.objection_id != objection.id or preview_kind(item) != kind:
        abort(404)
    return objection, item


@keberatan.route("/<int:objection_id>/berkas/<int:file_id>/pratinjau")
def preview(objection_id: int, file_id: int):
    """An image file of the objection, inline and sandboxed."""
    objection, item = _previewed(objection_id, file_id, "image")
    try:
        handle = objection_files.open_preview(current_user, objection, item)
    except (StorageError, Forbidden):
        abort(404)
    return guarded_preview(handle, item.content_type.split(";")[0].strip().lower(), item.original_name, "berkas")


@keberatan.route("/<int:objection_id>/berkas/<int:file_id>/pratinjau/<int:page>")
def preview_page(objection_id: int, file_id: int, page: int):
    """Page ``page`` of a PDF file of the objection, rendered as PNG."""
    objection, item = _previewed(objection_id, file_id, "pdf")
    try:
        png = pdfpages.page_png(item.tenant_id, item.storage_key, page, lambda: _read(objection, item))
    except (StorageError, Forbidden):
        png = None
    if png is None:
        abort(404)
    stem = posixpath.splitext(item.original_name or "berkas")[0] or "berkas"
    return guarded_preview(io.BytesIO(png), "image/png", f"{stem}-halaman-{page}.png", "berkas.png")
