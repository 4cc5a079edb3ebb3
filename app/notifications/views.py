"""The inbox (kotak): read entries, open the page each is about."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.errors import NotFound
from app.extensions import db
from app.notifications import inbox
from app.notifications.models import Notification
from app.tenancy.web import tenant_blueprint
from app.web.forms import ConfirmForm
from app.web.listing import paginate

bp = tenant_blueprint("kotak", __name__, "/notifikasi", template_folder="templates", guard=login_required)



@bp.app_context_processor
def _unread_notifications() -> dict:
    """``unread_notifications()`` for the top bar: one query, and only when a page asks."""
    def unread_notifications() -> int:
        if "unread_notifications" not in g:
            user = current_user
            ok = (getattr(g, "tenant", None) is not None and user and user.is_authenticated
                  and user.tenant_id == g.tenant.id)
            g.unread_notifications = inbox.unread_count(user.id) if ok else 0
        return g.unread_notifications
    return {"unread_notifications": unread_notifications}


@bp.route("/", endpoint="inbox")
def inbox_page():
    page = paginate(inbox.inbox_query(current_user.id))
    return render_template("notifications/inbox.html", page=page)


def _own_notification(notification_id: int) -> Notification:
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != current_user.id:
        raise NotFound(_("Notifikasi tidak ditemukan."))  # someone else's: the same answer as a missing one
    return note


@bp.route("/<int:notification_id>/baca", methods=["POST"])
def read(notification_id: int):
    note = _own_notification(notification_id)
    if ConfirmForm().validate_on_submit():
        inbox.mark_read(note)
        db.session.commit()
        link = note.link  # built from what it is about, inside this application
        if request.form.get("buka") and link:
            return redirect(link)
    return redirect(url_for("kotak.inbox", page=request.args.get("page", type=int)))


@bp.route("/baca-semua", methods=["POST"])
def read_all():
    if ConfirmForm().validate_on_submit():
        count = inbox.mark_all_read(current_user.id)
        db.session.commit()
        if count:
            flash(_("%(n)d notifikasi ditandai sudah dibaca.", n=count), "success")
    return redirect(url_for("kotak.inbox"))
