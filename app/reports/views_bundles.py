"""Bulk documents: every SKP or evaluation document of an OPD for a period as one ZIP."""

from __future__ import annotations

from flask import Response, abort, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.roles import admin_required
from app.extensions import db
from app.org.models import Unit
from app.periods.models import Period
from app.reports import bundles
from app.reports.forms_bundles import BundleForm
from app.reports.models import DocumentBundle
from app.reports.recaps import OrgTree, tenant_periods
from app.tenancy.web import tenant_blueprint
from app.web.forms import form_status, perform
from app.web.progress import progress_answer

bp = tenant_blueprint("bundles", __name__, "/admin/dokumen-massal", guard=admin_required,
                      template_folder="templates")


def _form() -> BundleForm:
    form = BundleForm()
    form.kind.choices = bundles.kinds()
    periods = tenant_periods()
    form.period.choices = [(p.id, p.label) for p in periods]
    tree = OrgTree.load()
    units = sorted(tree.names.items(), key=lambda item: (tree.opd_name(item[0]), item[0] != tree.opd_of(item[0]),
                                                        item[1]))
    form.unit.choices = [(0, _("Semua perangkat daerah"))] + [
        (uid, name if tree.opd_of(uid) == uid else f"{tree.opd_name(uid)} — {name}") for uid, name in units]
    return form


def _bundle_or_404(bundle_id: int) -> DocumentBundle:
    bundle = db.session.get(DocumentBundle, bundle_id)  # another tenant's: invisible, the same 404
    if bundle is None:
        abort(404)
    return bundle


def _labels(found: list[DocumentBundle]) -> dict:
    periods = {p.id: p.label for p in db.session.scalars(select(Period))}
    units = {uid: name for uid, name in db.session.execute(select(Unit.id, Unit.name))}
    kinds = dict(bundles.kinds())
    return {"periods": periods, "units": units, "kinds": kinds, "status_labels": bundles.STATUS_LABELS,
            "running": bundles.RUNNING, "bundles": found}


@bp.route("/", methods=["GET", "POST"])
def index() -> ResponseReturnValue:
    form, done = _form(), None
    if form.validate_on_submit():
        period = db.session.get(Period, form.period.data)
        unit = db.session.get(Unit, form.unit.data) if form.unit.data else None
        if period is None or (form.unit.data and unit is None):
            abort(404)
        done = perform(form, lambda: bundles.start_bundle(form.kind.data, period, unit, current_user),
                       redirect_to=lambda bundle: url_for("bundles.detail", bundle_id=bundle.id))
        if done.ok:
            return done.response
    return render_template("reports/bundles.html", form=form, **_labels(bundles.recent())), form_status(form, done)


@bp.route("/<int:bundle_id>")
def detail(bundle_id: int) -> ResponseReturnValue:
    bundles.expire_abandoned(bundle_id)
    bundle = _bundle_or_404(bundle_id)
    return render_template("reports/bundle.html", bundle=bundle, **_labels([bundle]))


@bp.route("/<int:bundle_id>/status")
def status(bundle_id: int) -> ResponseReturnValue:
    return progress_answer(bundles.status_of(bundle_id))


@bp.route("/<int:bundle_id>/unduh")
def download(bundle_id: int) -> ResponseReturnValue:
    bundle = _bundle_or_404(bundle_id)
    content = bundles.content(bundle)
    return Response(content, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="dokumen-{bundle.kind}-{bundle.id}.zip"',
        "Cache-Control": "no-store"})
