"""Admin instansi: "Kirim ke SIASN" (status per final evaluation, bulk send, resend
one, the batch file) and the SIASN settings."""

from __future__ import annotations

from dataclasses import fields

from flask import Response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.roles import admin_required
from app.extensions import db
from app.org.models import Employee
from app.periods.models import Period
from app.siasn import exportfile, sender, settings
from app.siasn.forms import SettingsForm
from app.siasn.mapping import readiness
from app.siasn.models import ExportStatus, SiasnExport
from app.skp.evaluation.models import Evaluation
from app.skp.planning.models import Plan
from app.tenancy import tenant, tenant_today
from app.tenancy.web import tenant_blueprint
from app.web.forms import ConfirmForm, form_status, perform
from app.web.listing import paginate

bp = tenant_blueprint("siasn", __name__, "/admin/siasn", guard=admin_required, template_folder="templates")


def _period_id() -> int | None:
    period_id = request.args.get("periode", type=int)
    return period_id if period_id and db.session.get(Period, period_id) is not None else None


@bp.route("/")
def index():
    period_id = _period_id()
    status = request.args.get("status") or None
    query = (sender.finals(period_id)
             .join(Plan, Plan.id == Evaluation.plan_id).join(Employee, Employee.id == Plan.employee_id)
             .outerjoin(SiasnExport, SiasnExport.evaluation_id == Evaluation.id)
             .options(joinedload(Evaluation.period), joinedload(Evaluation.plan).joinedload(Plan.employee))
             .order_by(Employee.name, Evaluation.id))
    where = sender.failed_or_pending_filter(status)
    if where is not None:
        query = query.where(where)
    page = paginate(query)
    exports = {e.evaluation_id: e for e in db.session.scalars(select(SiasnExport).where(
        SiasnExport.evaluation_id.in_([ev.id for ev in page.items])))} if page.items else {}
    cfg = settings.config()
    reasons = {ev.id: readiness(ev, cfg) for ev in page.items}
    periods = list(db.session.scalars(select(Period).order_by(Period.year.desc(), Period.kind, Period.sequence)))
    return render_template("siasn/index.html", page=page, exports=exports, reasons=reasons, periods=periods,
                           period_id=period_id, status=status, counts=sender.counts(period_id),
                           can_send=cfg.can_send, statuses=ExportStatus, form=ConfirmForm())


@bp.route("/kirim", methods=["POST"])
def send_ready():
    period_id = request.form.get("periode", type=int) or None
    if ConfirmForm().validate_on_submit():
        perform(None, lambda: sender.queue_ready(current_user, period_id),
                success=lambda n: _("%(n)d penilaian masuk antrean kirim ke SIASN.", n=n))
    return redirect(url_for("siasn.index", periode=period_id))


@bp.route("/penilaian/<int:evaluation_id>")
def detail(evaluation_id: int):
    evaluation = db.get_or_404(Evaluation, evaluation_id)
    export = sender.export_for(evaluation)
    return render_template("siasn/detail.html", evaluation=evaluation, export=export,
                           reason=readiness(evaluation, settings.config()), history=sender.history(export))


@bp.route("/penilaian/<int:evaluation_id>/kirim", methods=["POST"])
def resend(evaluation_id: int):
    evaluation = db.get_or_404(Evaluation, evaluation_id)
    if ConfirmForm().validate_on_submit():
        perform(None, lambda: sender.queue_one(current_user, evaluation),
                success=_("Penilaian masuk antrean kirim ke SIASN."))
    return redirect(url_for("siasn.detail", evaluation_id=evaluation.id))


@bp.route("/berkas", methods=["POST"])
def batch_file():
    period_id = request.form.get("periode", type=int) or None
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("siasn.index", periode=period_id))
    done = perform(None, lambda: exportfile.export_file(current_user, period_id))
    if not done.ok:
        return redirect(url_for("siasn.index", periode=period_id))
    name = f"siasn-{tenant().slug}-{tenant_today():%Y%m%d}.zip"
    return Response(done.value, mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/pengaturan", methods=["GET", "POST"])
def settings_form():
    cfg = settings.config()
    row = settings.stored()
    form = SettingsForm()
    if request.method == "GET":
        form.base_url.data, form.apim_token_url.data = cfg.base_url or "", cfg.apim_token_url or ""
        form.sso_token_url.data = cfg.sso_token_url or ""
        form.client_id.data, form.username.data = (row.client_id or "", row.username or "") if row else ("", "")
        form.status_penilai.data, form.koefisien_id.data = cfg.status_penilai, cfg.koefisien_id
        form.periodik.data = settings.mapping_text(cfg.periodik)
        form.kuadran.data = settings.mapping_text(cfg.kuadran)
        form.ratings.data = settings.mapping_text(cfg.ratings)
        form.golongan.data = settings.mapping_text(cfg.golongan)
    elif form.validate_on_submit():
        data = settings.SettingsData(**{f.name: getattr(form, f.name).data or ("" if f.type != "bool" else False)
                                        for f in fields(settings.SettingsData)})
        done = perform(form, lambda: settings.save(data), success=_("Pengaturan SIASN disimpan."),
                       redirect_to=url_for("siasn.settings_form"))
        if done.ok:
            return done.response
    return render_template("siasn/settings.html", form=form, can_send=cfg.can_send), form_status(form)
