"""The "Aturan penilaian" page: every signed-in person of a tenant reads the rules in force."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from app.rules.services import num, rules_page
from app.tenancy.web import tenant_blueprint

bp = tenant_blueprint("rules", __name__, "/aturan", template_folder="templates", guard=login_required)


@bp.route("")
def index():
    return render_template("rules/index.html", page=rules_page(current_user), num=num)
