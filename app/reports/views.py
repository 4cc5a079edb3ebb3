"""Documents: downloads of the SKP and evaluation documents (signed-in, the
same people who may see the plan or evaluation) and the public verification
page ``/<slug>/verifikasi/<code>`` (no sign-in).

Downloads answer with the PDF as an attachment, never cached. Another
tenant's plan, evaluation or code is a 404.
"""

from __future__ import annotations

from flask import Response, abort, g, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage

from app.errors import Forbidden, NotFound
from app.extensions import db
from app.regions.documents import DocumentSubject
from app.reports import issuing, verification
from app.tenancy.web import tenant_blueprint
from app.web.forms import Form

bp = tenant_blueprint("reports", __name__, "", template_folder="templates")


class VerifyUploadForm(Form):
    file = FileField(_l("Berkas PDF yang Anda pegang"), render_kw={"accept": "application/pdf,.pdf"})


def _private(body: str | bytes, status: int = 200) -> Response:
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store, max-age=0"
    response.headers["Pragma"] = "no-cache"
    return response


# --- downloads ----------------------------------------------------------------------------

@bp.app_context_processor
def _document_formats() -> dict:
    """``document_formats("skp" | "evaluation")`` for the plan and evaluation pages' download
    buttons: (code, name) of the tenant's PDF formats of that subject."""
    def formats(subject: str) -> list[tuple[str, str]]:
        return issuing.formats_for(DocumentSubject(subject)) if getattr(g, "tenant", None) is not None else []
    return {"document_formats": formats}


def _send(subject: DocumentSubject, object_id: int, default: str) -> Response:
    try:
        obj = issuing.load_subject(subject, object_id)
    except NotFound:
        abort(404)
    if not issuing.may_download(current_user, obj):
        raise Forbidden(_("Anda tidak berhak mengunduh dokumen ini."))
    kind = request.args.get("format") or default
    document = issuing.download(kind, obj, current_user)
    if document.issued is not None:
        db.session.commit()  # the register entry and its audit record
    response = _private(document.content)
    response.headers["Content-Type"] = issuing.PDF
    response.headers["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/dokumen/skp/<int:plan_id>")
@login_required
def skp(plan_id: int):
    return _send(DocumentSubject.SKP, plan_id, "skp")


@bp.route("/dokumen/evaluasi/<int:evaluation_id>")
@login_required
def evaluation(evaluation_id: int):
    return _send(DocumentSubject.EVALUATION, evaluation_id, "dokumen-evaluasi")


# --- the public verification page ---------------------------------------------------------------

def _too_many() -> Response:
    return _private(render_template("reports/verify_message.html", title=_("Terlalu banyak permintaan"),
                                    message=_("Terlalu banyak pemeriksaan dari jaringan Anda dalam satu jam "
                                              "terakhir. Silakan coba lagi nanti.")), 429)


@bp.route("/verifikasi/<code>", methods=["GET", "POST"])
def verify(code: str):
    if verification.is_rate_limited():
        return _too_many()
    doc = verification.find(code)
    if doc is None:
        verification.count_attempt()
        db.session.commit()
        return _private(render_template("reports/verify_message.html", title=_("Dokumen tidak ditemukan"),
                                        message=_("Kode verifikasi ini tidak terdaftar. Periksa kembali kode "
                                                  "pada dokumen.")), 404)
    form, check, status = VerifyUploadForm(), None, 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        upload = form.file.data
        verification.count_attempt()
        db.session.commit()
        check = verification.check_upload(doc, upload.stream if isinstance(upload, FileStorage) else None)
        status = 200 if check.match in (verification.Match.THIS, verification.Match.OTHER) else 422
    return _private(render_template("reports/verify.html", doc=doc, info=verification.status_of(doc), form=form,
                                    check=check, Match=verification.Match,
                                    max_mb=verification.max_bytes() // (1024 * 1024)), status)
