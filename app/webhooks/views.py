"""The admin instansi's webhooks: endpoints (the secret shown once), their
deliveries, and resending one."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Length, Optional

from app.auth.roles import admin_required
from app.extensions import db
from app.tenancy.web import tenant_blueprint
from app.web.forms import ConfirmForm, Form, perform
from app.web.secret_once import register_secret_once
from app.webhooks import services
from app.webhooks.models import WebhookDelivery, WebhookEndpoint

bp = tenant_blueprint("webhooks", __name__, "/admin/webhook", guard=admin_required, template_folder="templates")


class EndpointForm(Form):
    url = StringField(_l("Alamat penerima (URL)"), validators=[DataRequired(), Length(max=500)],
                      description=_l("Alamat https sistem Anda yang menerima pemberitahuan."))
    description = StringField(_l("Keterangan"), validators=[Optional(), Length(max=200)])
    events = SelectMultipleField(_l("Peristiwa"), widget=widgets.ListWidget(prefix_label=False),
                                 option_widget=widgets.CheckboxInput(),
                                 validators=[DataRequired(message=_l("Pilih sekurang-kurangnya satu peristiwa."))])


def _form() -> EndpointForm:
    form = EndpointForm()
    form.events.choices = [(code, f"{code} — {label}") for code, label in services.EVENTS.items()]
    return form


register_secret_once(
    bp, make_form=_form,
    render=lambda form, created: render_template("webhooks/index.html", form=form, endpoints=services.endpoints(),
                                                 created=created, events=services.EVENTS),
    create=lambda form: services.create_endpoint(form.url.data, form.events.data, form.description.data,
                                                 created_by_id=current_user.id))


@bp.route("/<int:endpoint_id>")
def deliveries(endpoint_id: int):
    endpoint = db.get_or_404(WebhookEndpoint, endpoint_id)
    return render_template("webhooks/deliveries.html", endpoint=endpoint,
                           deliveries=services.deliveries(endpoint))


@bp.route("/<int:endpoint_id>/status", methods=["POST"])
def toggle(endpoint_id: int):
    endpoint = db.get_or_404(WebhookEndpoint, endpoint_id)
    if ConfirmForm().validate_on_submit():
        active = not endpoint.active
        perform(None, lambda: services.set_active(endpoint, active),
                success=_("Webhook diaktifkan.") if active else _("Webhook dinonaktifkan."))
    return redirect(url_for("webhooks.index"))


@bp.route("/<int:endpoint_id>/hapus", methods=["POST"])
def remove(endpoint_id: int):
    endpoint = db.get_or_404(WebhookEndpoint, endpoint_id)
    if ConfirmForm().validate_on_submit():
        perform(None, lambda: services.delete_endpoint(endpoint), success=_("Webhook dihapus."))
    return redirect(url_for("webhooks.index"))


@bp.route("/pengiriman/<int:delivery_id>/kirim-ulang", methods=["POST"])
def resend(delivery_id: int):
    delivery = db.get_or_404(WebhookDelivery, delivery_id)
    if ConfirmForm().validate_on_submit():
        perform(None, lambda: services.resend(delivery), success=_("Pemberitahuan dikirim ulang."))
    return redirect(url_for("webhooks.deliveries", endpoint_id=delivery.endpoint_id))
