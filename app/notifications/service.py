"""``notify``: the one way every domain tells people that something happened."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask_babel import force_locale
from sqlalchemy import or_, select

from app.auth.models import User
from app.extensions import db
from app.notifications import mail
from app.notifications.links import link_for
from app.notifications.models import Notification
from app.org.models import Employee

MESSAGE_MAX = 500
KIND_MAX = 40

Message = str | Callable[[], Any]


def notify(kind: str, message: Message, *, users: Iterable[int | User | None] = (),
           employees: Iterable[int | None] = (), about: tuple[str, int | None] | None = None,
           exclude_user_id: int | None = None) -> list[Notification]:
    """Add an inbox entry for each active account among ``users`` and the
    accounts of ``employees`` (in the caller's transaction), about the object
    ``about`` = (kind, id). ``message`` may be a function: it is then rendered
    in each account's own language. Each entry is also e-mailed when mail is
    configured and the account's employee has an address. Two queries,
    whatever the number of recipients."""
    user_ids = {u.id if isinstance(u, User) else u for u in users} - {None}
    employee_ids = set(employees) - {None}
    if not user_ids and not employee_ids:
        return []
    recipients = db.session.execute(
        select(User.id, User.locale, Employee.email)
        .outerjoin(Employee, User.employee_id == Employee.id)
        .where(User.active, or_(User.id.in_(user_ids), User.employee_id.in_(employee_ids)))
        .order_by(User.id)).all()
    about_kind, about_id = about if about is not None else (None, None)
    sending = mail.mail_enabled()
    link = link_for(about_kind, about_id, external=True) if sending else None
    made = []
    for user_id, locale, email in recipients:
        if user_id == exclude_user_id:
            continue
        text = _render(message, locale)
        note = Notification(user_id=user_id, kind=kind[:KIND_MAX], message=text,
                            about_kind=about_kind, about_id=about_id)
        db.session.add(note)
        made.append(note)
        if sending and email:
            mail.queue(db.session(), mail.compose(email, note.kind, text, link))
    return made


def _render(message: Message, locale: str | None) -> str:
    if not callable(message):
        return str(message)[:MESSAGE_MAX]
    with force_locale(locale or "id"):
        return str(message())[:MESSAGE_MAX]
