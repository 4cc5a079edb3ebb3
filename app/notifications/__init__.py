"""Notifications: the one way to tell someone something happened.

``notify(kind, message, users=…, employees=…, about=(kind, id))`` adds an inbox
entry for each recipient account in the caller's transaction (nothing here
commits), its text rendered in that account's language, and — for every kind,
when ``MAIL_SERVER`` is set — e-mails it after the transaction commits
(``app.notifications.mail``). The inbox shows each entry with a link built
from what it is about (``app.notifications.links``).
"""

from app.notifications.inbox import inbox_query, mark_all_read, mark_read, unread_count
from app.notifications.links import link_for, register_link
from app.notifications.models import Notification
from app.notifications.service import notify

__all__ = [
    "Notification",
    "inbox_query",
    "link_for",
    "mark_all_read",
    "mark_read",
    "notify",
    "register_link",
    "unread_count",
]
