"""Signed-in staff: a supervisor marks a complaint follow-up as done."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.publik.models import FollowUpItem
from app.tenancy import utc_now
from app.tenancy.web import tenant_blueprint
from app.web.forms import ConfirmForm

bp = tenant_blueprint("publik_staff", __name__, "/tindak-lanjut")


@bp.route("/<int:follow_up_id>/selesai", methods=["POST"])
@login_required
def follow_up_done(follow_up_id: int):
    item = db.session.get(FollowUpItem, follow_up_id)
    employee = current_user.employee
    # Only the supervisor it was given to; anyone else gets the same 404 as a missing item.
    if item is None or employee is None or item.supervisor_id != employee.id:
        abort(404)
    if ConfirmForm().validate_on_submit() and item.done_at is None:
        item.done_at = utc_now()
        db.session.commit()
        flash(_("Tindak lanjut ditandai selesai."), "success")
    return redirect(url_for("home.index"))
