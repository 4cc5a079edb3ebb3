"""Every blueprint, registered in one place."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template
from sqlalchemy import select

from app.extensions import db
from app.tenancy.models import Tenant

site = Blueprint("site", __name__)


@site.route("/")
def landing():
    tenants = db.session.scalars(select(Tenant).where(Tenant.active).order_by(Tenant.name)).all()
    return render_template("site/landing.html", tenants=tenants)


@site.route("/health")
def health():
    db.session.execute(select(1))
    return {"status": "ok"}


def register_blueprints(app: Flask) -> None:
    from app import reminders as _reminders  # noqa: F401 - registers the pages reminders link to
    from app.admin import invitation_views as _admin_invitations  # noqa: F401 - adds routes to admin
    from app.admin.audit_views import bp as audit_bp
    from app.admin.document_header import bp as document_header_bp
    from app.admin.document_header import logo_bp as tenant_logo_bp
    from app.admin.pickers import bp as pickers_bp
    from app.admin.views import bp as admin_bp
    from app.api import init_api
    from app.api.views_admin import bp as api_tokens_bp
    from app.auth import invitation_views as _invitation_views  # noqa: F401 - adds the invitation page
    from app.auth.views import bp as auth_bp
    from app.auth.views import platform_bp as platform_auth_bp
    from app.consultation.views import admin_bp as consultation_admin_bp
    from app.consultation.views import bp as consultation_bp
    from app.consultation.views import public_bp as consultation_public_bp
    from app.home.history import riwayat as history_bp
    from app.home.views import bp as home_bp
    from app.imports.views import bp as imports_bp
    from app.meetings.views import bp as meetings_bp
    from app.notifications.views import bp as inbox_bp
    from app.platform import invitations as _platform_invitations  # noqa: F401 - adds the first-admin invitation
    from app.platform.views import bp as platform_bp
    from app.portability.views import bp as portability_bp
    from app.portability.views import platform_bp as portability_platform_bp
    from app.publik.views_admin import bp as publik_admin_bp
    from app.publik.views_public import bp as publik_bp
    from app.publik.views_staff import bp as publik_staff_bp
    from app.reports.views import bp as reports_bp
    from app.reports.views_bundles import bp as bundles_bp
    from app.reports.views_recaps import bp as recaps_bp
    from app.rules.views import bp as rules_bp
    from app.settings.views import bp as settings_bp
    from app.siasn.views import bp as siasn_bp
    from app.skp.evaluation.views import bp as penilaian_bp
    from app.skp.evaluation.views_bulk import bp as penilaian_bulk_bp
    from app.skp.feedback.views import bp as feedback_bp
    from app.skp.objections.views import keberatan as objections_bp
    from app.skp.planning.views import bp as skp_bp
    from app.skp.planning.views_bulk import bp as skp_bulk_bp
    from app.skp.planning.views_periods import bp as periods_bp
    from app.skp.planning.views_submit import bp as skp_submit_bp
    from app.skp.realisation.views import bp as realisasi_bp
    from app.skp.realisation.views_review import bp as evidence_review_bp
    from app.skp.training.views import pelatihan as training_bp
    from app.webhooks.views import bp as webhooks_bp

    app.register_blueprint(site)
    # Platform first: its fixed prefix must win over the tenant slug pattern.
    app.register_blueprint(platform_auth_bp)
    app.register_blueprint(platform_bp)
    app.register_blueprint(portability_platform_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(pickers_bp)
    app.register_blueprint(document_header_bp)
    app.register_blueprint(tenant_logo_bp)
    app.register_blueprint(imports_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(recaps_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(bundles_bp)
    app.register_blueprint(siasn_bp)
    app.register_blueprint(consultation_public_bp)  # /publik/konsultasi before the publik pages
    app.register_blueprint(publik_bp)
    app.register_blueprint(publik_admin_bp)
    app.register_blueprint(publik_staff_bp)
    app.register_blueprint(penilaian_bp)
    app.register_blueprint(penilaian_bulk_bp)
    app.register_blueprint(objections_bp)
    app.register_blueprint(training_bp)
    app.register_blueprint(rules_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(inbox_bp)
    app.register_blueprint(history_bp)
    app.register_blueprint(realisasi_bp)
    app.register_blueprint(evidence_review_bp)
    app.register_blueprint(feedback_bp)
    app.register_blueprint(periods_bp)
    app.register_blueprint(skp_bp)
    app.register_blueprint(skp_bulk_bp)
    app.register_blueprint(skp_submit_bp)
    app.register_blueprint(api_tokens_bp)
    app.register_blueprint(webhooks_bp)
    app.register_blueprint(consultation_admin_bp)
    app.register_blueprint(consultation_bp)
    app.register_blueprint(portability_bp)
    app.register_blueprint(settings_bp)
    init_api(app)  # the JSON API under /api/v1/, its OpenAPI document and reference page
