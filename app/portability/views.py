"""Downloads: a tenant's archive for platform operators, a person's own data for themselves."""

from __future__ import annotations

import json
import tempfile

from flask import Response, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import HiddenField
from wtforms.validators import InputRequired

from app import audit
from app.auth.roles import operator_required
from app.extensions import db
from app.portability.archive import export_tenant
from app.portability.personal import personal_data
from app.tenancy import tenant_scope
from app.tenancy.current import tenant, tenant_today
from app.tenancy.models import Tenant
from app.tenancy.web import platform_blueprint, tenant_blueprint
from app.web.downloads import guarded_file
from app.web.forms import ConfirmForm, Form

platform_bp = platform_blueprint("portability_platform", __name__, "/platform", guard=operator_required)
bp = tenant_blueprint("portability", __name__, "/akun", guard=login_required)


class ExportForm(Form):
    slug = HiddenField(validators=[InputRequired()])


@platform_bp.route("/ekspor", methods=["POST"])
def export_archive():
    """The whole tenant as a ZIP archive (see app/portability/archive.py)."""
    form = ExportForm()
    row = None
    if form.validate_on_submit():
        row = db.session.scalar(select(Tenant).where(Tenant.slug == form.slug.data))
    if row is None:
        flash(_("Daerah tidak ditemukan."), "error")
        return redirect(url_for("platform.index"))
    slug, tenant_id = row.slug, row.id
    # Read now: the export ends the request's transaction, and the operator's
    # account is not visible inside the tenant's scope.
    actor = (current_user.id, f"platform:{current_user.username}")
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it
    manifest = export_tenant(row, handle)
    with tenant_scope(row), audit.acting_as(*actor):
        audit.record("tenant.export", db.session.get(Tenant, tenant_id), before=None,
                     after={"row_count": sum(manifest["counts"].values()), "files": manifest["files"]})
        db.session.commit()
    handle.seek(0)
    return guarded_file(handle, "application/zip", f"kinerja-{slug}-{tenant_today(row):%Y%m%d}.zip", "arsip.zip")


@bp.route("/data-saya", methods=["POST"])
def my_data():
    """The signed-in person's own data as JSON (UU 27/2022: the right to access one's data)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    document = personal_data(user)
    audit.record("user.personal_data", user, before=None,
                 after={"plans": len(document["plans"])}, employee_id=user.employee_id)
    db.session.commit()
    body = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    response = Response(body, mimetype="application/json")
    name = f"data-saya-{tenant().slug}-{tenant_today():%Y%m%d}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
