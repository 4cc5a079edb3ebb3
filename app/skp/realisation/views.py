"""During the period: realisation per IKI per sub-period, and its evidence.

Thin views: access (``app.skp.realisation.access``) is checked here to pick
the answer and again in the services before anything changes. Another
tenant's object, or an object that does not belong to the plan in the URL,
is a 404. The dialog kinerja has its own screens (``app.skp.feedback``).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.errors import Forbidden
from app.extensions import db
from app.notifications import register_link
from app.skp.planning.access import can_view_plan
from app.skp.planning.models import Plan
from app.skp.realisation import evidence as evidence_service
from app.skp.realisation import services as realisation_service
from app.skp.realisation.access import (
    can_delete_evidence,
    can_record_realisation,
    can_review_evidence,
)
from app.skp.realisation.forms import (
    EvidenceFileForm,
    EvidenceLinkForm,
    EvidenceReviewForm,
    RealisationForm,
)
from app.skp.realisation.models import Evidence, EvidenceKind
from app.storage import StorageError
from app.tenancy import tenant_rules
from app.tenancy.web import tenant_blueprint
from app.web.downloads import guarded_file
from app.web.forms import ConfirmForm, add_error, perform

bp = tenant_blueprint("realisasi", __name__, "/skp", template_folder="templates", guard=login_required)
register_link("realisation", "realisasi.edit", values=realisation_service.link_values)

# Downloads: the browser must neither guess nor run anything.



def _viewable_plan(plan_id: int) -> Plan:
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        abort(404)
    if not can_view_plan(current_user, plan):
        abort(403)
    return plan


# --- the grid --------------------------------------------------------------------------

@bp.route("/<int:plan_id>/realisasi")
def grid(plan_id: int):
    plan = _viewable_plan(plan_id)
    data = realisation_service.grid(plan, tenant_rules())
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


def _cell_url(plan, indicator, period) -> str:
    return url_for(".edit", plan_id=plan.id, indicator_id=indicator.id, period_id=period.id)


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
    achievement = realisation_service.achievement_of(tenant_rules(), indicator,
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
    realisation_service.require_edit(current_user, plan, period)
    form = RealisationForm()
    if not form.validate_on_submit():
        return _render_cell(plan, indicator, period, 422, form=form)

    def current_version():
        # Keep what the user typed; the next save goes over the newer version knowingly.
        current = realisation_service.find(indicator, period)
        return current.version if current is not None else ""

    done = perform(form, lambda: realisation_service.save(current_user, plan, indicator, period,
                                                          realisation_service.RealisationData(
                                                              form.number, form.note.data, form.version_number)),
                   success=_("Realisasi disimpan."), redirect_to=_cell_url(plan, indicator, period),
                   current_version=current_version)
    return done.response if done.ok else _render_cell(plan, indicator, period, done.status, form=form)


def _add_evidence(plan_id: int, indicator_id: int, period_id: int, kind: str):
    plan, indicator, period = _cell_or_404(plan_id, indicator_id, period_id)
    realisation_service.require_edit(current_user, plan, period)
    form = EvidenceFileForm() if kind == "file" else EvidenceLinkForm()
    forms = {"file_form": form} if kind == "file" else {"link_form": form}
    if not form.validate_on_submit():
        return _render_cell(plan, indicator, period, 422, **forms)
    if kind == "file":
        upload = form.file.data
        if upload is None or not getattr(upload, "filename", ""):
            add_error(form, _("Pilih berkas yang akan diunggah."), "file")
            return _render_cell(plan, indicator, period, 422, **forms)
    added: list[Evidence] = []

    def add() -> None:
        if kind == "file":
            added.append(evidence_service.add_file(current_user, plan, indicator, period,
                                                   upload.filename, upload.stream))
        else:
            added.append(evidence_service.add_link(current_user, plan, indicator, period,
                                                   form.url.data, form.title.data))

    try:
        done = perform(form, add, success=_("Bukti dukung ditambahkan."),
                       redirect_to=_cell_url(plan, indicator, period))
    except Exception:
        if added:  # stored, but its row never committed
            evidence_service.discard(plan.tenant_id, added[0].storage_key)
        raise
    if not done.ok and added:
        evidence_service.discard(plan.tenant_id, added[0].storage_key)
    return done.response if done.ok else _render_cell(plan, indicator, period, done.status, **forms)


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
    return guarded_file(handle, item.content_type, item.original_name, "bukti")


@bp.route("/bukti/<int:evidence_id>/periksa", methods=["POST"])
def evidence_review(evidence_id: int):
    item, plan = _evidence_or_404(evidence_id)
    if not can_review_evidence(current_user, plan):
        raise Forbidden(_("Hanya pejabat penilai yang dapat memeriksa bukti dukung."))
    form = EvidenceReviewForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return _back_to_cell(item, plan)
    back = _back_to_cell(item, plan)
    perform(None, lambda: evidence_service.review(current_user, plan, item, form.decision.data == "accept",
                                                  form.note.data),
            success=_("Hasil pemeriksaan bukti dukung disimpan."))
    return back


@bp.route("/bukti/<int:evidence_id>/hapus", methods=["POST"])
def evidence_delete(evidence_id: int):
    item, plan = _evidence_or_404(evidence_id)
    back = _back_to_cell(item, plan)
    if not ConfirmForm().validate_on_submit():
        flash(_("Formulir kedaluwarsa. Kirim ulang."), "error")
        return back
    done = perform(None, lambda: evidence_service.delete(current_user, plan, item),
                   success=_("Bukti dukung dihapus."))
    if done.ok:
        evidence_service.discard(plan.tenant_id, done.value)
    return back
