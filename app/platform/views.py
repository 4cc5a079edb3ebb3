"""Platform operators: the list of regions and onboarding a new one."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.roles import operator_required
from app.extensions import db
from app.org.models import Employee
from app.platform.forms import TenantForm
from app.platform.services import TenantSpec, onboard
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
