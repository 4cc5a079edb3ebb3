"""Platform operators: the list of regions and onboarding a new one."""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.roles import operator_required
from app.extensions import db
from app.org.models import Employee
from app.platform.forms import TenantEditForm, TenantForm, TenantStatusForm
from app.platform.services import (
    TenantMeta,
    TenantSpec,
    find_tenant,
    has_evaluations,
    onboard,
    set_active,
    update_tenant,
)
from app.regions.manager import regions
from app.tenancy.models import Tenant
from app.tenancy.web import platform_blueprint
from app.web.forms import form_status, perform

bp = platform_blueprint("platform", __name__, "/platform", guard=operator_required)



@bp.route("/")
def index():
    employee_counts = dict(
        db.session.execute(
            select(Employee.tenant_id, func.count()).where(Employee.active).group_by(Employee.tenant_id)
        ).all()
    )
    tenants = db.session.scalars(select(Tenant).order_by(Tenant.name)).all()
    return render_template("platform/index.html", tenants=tenants, employee_counts=employee_counts,
                           rule_sets=regions().rule_sets)


@bp.route("/tenant/baru", methods=["GET", "POST"])
def tenant_new():
    form = TenantForm()
    form.rule_set.choices = regions().choices()
    if form.validate_on_submit():
        spec = TenantSpec(
            slug=form.slug.data.strip().lower(), name=form.name.data.strip(), level=form.level.data,
            province=form.province.data.strip(), rule_set=form.rule_set.data, locale=form.locale.data,
            timezone=form.timezone.data, admin_username=form.admin_username.data.strip().lower(),
            admin_password=form.admin_password.data,
        )
        exists = db.session.scalar(select(Tenant.id).where(Tenant.slug == spec.slug))
        if exists is not None:
            form.slug.errors.append(_("Slug ini sudah dipakai daerah lain."))
        else:
            done = perform(form, lambda: onboard(spec)[0],
                           success=lambda tenant: _("Daerah %(name)s siap di /%(slug)s/.",
                                                    name=tenant.name, slug=tenant.slug),
                           redirect_to=url_for("platform.index"))
            if done.ok:
                return done.response
    return render_template("platform/tenant_form.html", form=form), form_status(form)


def _tenant_or_404(slug: str) -> Tenant:
    tenant = find_tenant(slug)
    if tenant is None:
        abort(404)
    return tenant


def _edit_page(tenant: Tenant, form: TenantEditForm, status_form: TenantStatusForm, status: int = 200):
    return render_template("platform/tenant_edit.html", region=tenant, form=form, status_form=status_form,
                           has_evaluations=has_evaluations(tenant)), status


def _edit_form(tenant: Tenant, **kwargs) -> TenantEditForm:
    form = TenantEditForm(**kwargs)
    form.rule_set.choices = regions().choices()
    if tenant.rule_set_code not in dict(form.rule_set.choices):  # a plugin no longer installed
        form.rule_set.choices.append((tenant.rule_set_code, tenant.rule_set_code))
    return form


@bp.route("/tenant/<slug>/ubah", methods=["GET", "POST"])
def tenant_edit(slug: str):
    tenant = _tenant_or_404(slug)
    form = _edit_form(tenant, data={"name": tenant.name, "level": tenant.level.value, "province": tenant.province,
                                    "rule_set": tenant.rule_set_code, "locale": tenant.locale,
                                    "timezone": tenant.timezone})
    done = None
    if form.validate_on_submit():
        meta = TenantMeta(name=form.name.data, level=form.level.data, province=form.province.data,
                          rule_set=form.rule_set.data, locale=form.locale.data, timezone=form.timezone.data)
        done = perform(form, lambda: update_tenant(tenant, meta),
                       success=lambda row: _("Data daerah %(name)s disimpan.", name=row.name),
                       redirect_to=url_for("platform.tenant_edit", slug=slug))
        if done.ok:
            return done.response
        tenant = _tenant_or_404(slug)
    return _edit_page(tenant, form, TenantStatusForm(formdata=None), form_status(form, done))


def _set_status(slug: str, active: bool):
    tenant = _tenant_or_404(slug)
    status_form, done = TenantStatusForm(), None
    if status_form.validate_on_submit():
        done = perform(status_form, lambda: set_active(tenant, active, status_form.reason.data),
                       success=(_("Daerah %(name)s diaktifkan kembali.", name=tenant.name) if active else
                                _("Daerah %(name)s dinonaktifkan. Datanya tetap tersimpan.", name=tenant.name)),
                       redirect_to=url_for("platform.tenant_edit", slug=slug))
        if done.ok:
            return done.response
        tenant = _tenant_or_404(slug)
    form = _edit_form(tenant, formdata=None, data={
        "name": tenant.name, "level": tenant.level.value, "province": tenant.province,
        "rule_set": tenant.rule_set_code, "locale": tenant.locale, "timezone": tenant.timezone})
    return _edit_page(tenant, form, status_form, form_status(status_form, done))


@bp.route("/tenant/<slug>/nonaktifkan", methods=["POST"])
def tenant_deactivate(slug: str):
    return _set_status(slug, False)


@bp.route("/tenant/<slug>/aktifkan", methods=["POST"])
def tenant_reactivate(slug: str):
    return _set_status(slug, True)
