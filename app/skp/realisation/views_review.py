"""The penilai's evidence review list and in-page previews of evidence.

/<slug>/skp/<plan_id>/bukti              every item awaiting review, previewed, with tick boxes
/<slug>/skp/<plan_id>/bukti/terima       "terima semua yang sudah diperiksa" (POST)
/<slug>/skp/bukti/<evidence_id>/pratinjau          an image, inline, sandboxed
/<slug>/skp/bukti/<evidence_id>/pratinjau/<page>   page <page> of a PDF, rendered as PNG (app.web.pdfpages)
"""

from __future__ import annotations

import io
import posixpath

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.errors import Forbidden
from app.extensions import db
from app.skp.planning.access import can_view_plan
from app.skp.planning.models import Plan
from app.skp.realisation import bulk
from app.skp.realisation import evidence as evidence_service
from app.skp.realisation.access import can_review_evidence
from app.skp.realisation.models import Evidence
from app.storage import StorageError
from app.tenancy.web import tenant_blueprint
from app.web import pdfpages
from app.web.bulk import run_each, selected_ids
from app.web.forms import ConfirmForm
from app.web.previews import guarded_preview, preview_kind

bp = tenant_blueprint("bukti", __name__, "/skp", template_folder="templates", guard=login_required)
# The cell page shows previews too (skp/_evidence_preview.html).
bp.add_app_template_global(preview_kind, "evidence_preview_kind")


def _read(item: Evidence) -> bytes:
    with evidence_service.open_file(item) as handle:
        return handle.read()


@bp.app_template_global("evidence_pdf_pages")
def pdf_pages(item: Evidence) -> pdfpages.RenderedPdf:
    """The page images of a PDF evidence item (rendered on first use, then kept)."""
    try:
        return pdfpages.rendered(item.tenant_id, item.storage_key, lambda: _read(item))
    except StorageError:
        return pdfpages.RenderedPdf(failure=pdfpages.MISSING)


def _reviewable_plan(plan_id: int) -> Plan:
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        abort(404)
    if not can_view_plan(current_user, plan):
        abort(403)
    if not can_review_evidence(current_user, plan):
        raise Forbidden(_("Hanya pejabat penilai yang dapat memeriksa bukti dukung."))
    return plan


def _review_page(plan: Plan, results=None, form=None, status: int = 200):
    items = bulk.awaiting_review(plan)
    return render_template("skp/evidence_review.html", plan=plan, items=items, results=results,
                           form=form or ConfirmForm(),
                           review_labels=evidence_service.REVIEW_LABELS), status


@bp.route("/<int:plan_id>/bukti")
def review_list(plan_id: int):
    return _review_page(_reviewable_plan(plan_id))


@bp.route("/<int:plan_id>/bukti/terima", methods=["POST"])
def accept_checked(plan_id: int):
    plan = _reviewable_plan(plan_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _review_page(plan, form=form, status=400)
    ids = selected_ids(request.form.getlist("evidence"))
    if not ids:
        form.form_errors.append(_("Centang dulu bukti yang sudah Anda periksa."))
        return _review_page(plan, form=form, status=422)
    results = run_each(bulk.accept_rows(current_user, plan, ids), _("Diterima."))
    return _review_page(db.session.get(Plan, plan_id), results=results)


def _previewed(evidence_id: int, kind: str) -> Evidence:
    """The evidence item, when the viewer may see its plan and it is shown as ``kind``."""
    item = db.session.get(Evidence, evidence_id)
    if item is None:
        abort(404)
    if not can_view_plan(current_user, item.realisation.indicator.result.plan):
        abort(403)
    if preview_kind(item) != kind:
        abort(404)
    return item


@bp.route("/bukti/<int:evidence_id>/pratinjau")
def preview(evidence_id: int):
    item = _previewed(evidence_id, "image")
    try:
        handle = evidence_service.open_file(item)
    except StorageError:
        abort(404)
    return guarded_preview(handle, item.content_type.split(";")[0].strip().lower(), item.original_name, "bukti")


@bp.route("/bukti/<int:evidence_id>/pratinjau/<int:page>")
def preview_page(evidence_id: int, page: int):
    item = _previewed(evidence_id, "pdf")
    try:
        png = pdfpages.page_png(item.tenant_id, item.storage_key, page, lambda: _read(item))
    except StorageError:
        png = None
    if png is None:
        abort(404)
    stem = posixpath.splitext(item.original_name or "bukti")[0] or "bukti"
    return guarded_preview(io.BytesIO(png), "image/png", f"{stem}-halaman-{page}.png", "bukti.png")
