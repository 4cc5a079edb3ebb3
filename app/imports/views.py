"""Bulk import of units, positions and employees (CSV/XLSX)."""

from flask import render_template

from app.auth.roles import admin_required
from app.tenancy.web import tenant_blueprint

bp = tenant_blueprint("imports", __name__, "/admin/impor")


@bp.route("/")
@admin_required
def index():
    return render_template("imports/index.html")
