"""The document header settings (kop dokumen) of the admin instansi, and the logo for everyone signed in.

``header`` (admin instansi only): the place of signing, the logo (upload,
preview, remove) and whether a signing certificate is installed (the
operator installs it from the command line). ``logo`` (any signed-in user
of the tenant): the logo file, as a guarded download, so pages and previews
can show it.
"""

from __future__ import annotations

import io

from flask import abort, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.admin.forms import DocumentPlaceForm, LogoForm
from app.auth.roles import admin_required
from app.org import letterhead
from app.tenancy.web import tenant_blueprint
from app.web.downloads import guarded_file
from app.web.forms import ConfirmForm, form_status, perform

bp = tenant_blueprint("document_header", __name__, "/admin/kop-dokumen", guard=admin_required)
logo_bp = tenant_blueprint("tenant_logo", __name__, "/logo", guard=login_required)


def _page(place_form: DocumentPlaceForm, logo_form: LogoForm, status: int = 200):
    tenant = g.tenant
    return render_template(
        "admin/document_header.html", place_form=place_form, logo_form=logo_form,
        has_logo=letterhead.logo_configured(tenant), signing=letterhead.signing_configured(tenant),
        place=letterhead.signing_place(tenant), max_kb=letterhead.LOGO_MAX_BYTES // 1024,
    ), status


@bp.route("/", methods=["GET", "POST"])
def header():
    tenant = g.tenant
    form = DocumentPlaceForm(document_place=tenant.document_place)
    if form.validate_on_submit():
        done = perform(form, lambda: letterhead.save_document_place(tenant, form.document_place.data),
                       success=_("Tempat penandatanganan disimpan."), redirect_to=url_for(".header"))
        if done.ok:
            return done.response
    return _page(form, LogoForm(), form_status(form))


@bp.route("/logo", methods=["POST"])
def logo_upload():
    tenant = g.tenant
    form = LogoForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read() if upload is not None and hasattr(upload, "read") else b""
        done = perform(form, lambda: letterhead.set_logo(tenant, data),
                       success=_("Logo disimpan."), redirect_to=url_for(".header"))
        if done.ok:
            letterhead.discard(tenant.id, done.value)
            return done.response
    return _page(DocumentPlaceForm(document_place=tenant.document_place), form, form_status(form))


@bp.route("/logo/hapus", methods=["POST"])
def logo_remove():
    tenant = g.tenant
    if ConfirmForm().validate_on_submit():
        done = perform(None, lambda: letterhead.remove_logo(tenant), success=_("Logo dihapus."))
        if done.ok:
            letterhead.discard(tenant.id, done.value)
    return redirect(url_for(".header"))


@logo_bp.route("/")
def logo():
    found = letterhead.read_logo(g.tenant)
    if found is None:
        abort(404)
    data, media_type = found
    extension = "png" if media_type == "image/png" else "jpg"
    return guarded_file(io.BytesIO(data), media_type, f"logo.{extension}", "logo")
