"""E-mail copies of notifications, through SMTP when configured.

When ``app.config["MAIL_SERVER"]`` is set, ``notify`` queues a mail for each
recipient with an address; it goes out only after the transaction commits,
so a rolled-back change never sends mail. E-mail is off by default.

Nothing personal reaches the application log: a failed delivery is logged
with the notification kind only, never the address or the text.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_PENDING_KEY = "kinerja_pending_mail"
MESSAGE_MAX = 500
LINK_MAX = 300


# --- e-mail -----------------------------------------------------------------------

@dataclass(frozen=True)
class OutgoingMail:
    to: str
    subject: str
    body: str
    kind: str


class Mailer:
    """Sends plain-text mail with smtplib, configured from ``MAIL_*`` settings."""

    def __init__(self, host: str, port: int = 25, *, username: str | None = None,
                 password: str | None = None, use_tls: bool = False, use_ssl: bool = False,
                 sender: str = "kinerja@localhost", timeout: float = 10.0) -> None:
        self.host, self.port = host, port
        self.username, self.password = username, password
        self.use_tls, self.use_ssl = use_tls, use_ssl
        self.sender, self.timeout = sender, timeout

    @classmethod
    def from_config(cls, config: Any) -> Mailer:
        return cls(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25),
                   username=config.get("MAIL_USERNAME"), password=config.get("MAIL_PASSWORD"),
                   use_tls=bool(config.get("MAIL_USE_TLS")), use_ssl=bool(config.get("MAIL_USE_SSL")),
                   sender=config.get("MAIL_DEFAULT_SENDER") or "kinerja@localhost",
                   timeout=float(config.get("MAIL_TIMEOUT") or 10))

    def send(self, mails: Iterable[OutgoingMail]) -> int:
        """Send every mail over one connection; returns how many were accepted."""
        mails = list(mails)
        if not mails:
            return 0
        smtp_class = smtplib.SMTP_SSL if self.use_ssl else smtplib.SMTP
        sent = 0
        with smtp_class(self.host, self.port, timeout=self.timeout) as smtp:
            if self.use_tls and not self.use_ssl:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            for mail in mails:
                message = EmailMessage()
                message["From"] = self.sender
                message["To"] = mail.to
                message["Subject"] = mail.subject
                message.set_content(mail.body)
                try:
                    smtp.send_message(message)
                    sent += 1
                except smtplib.SMTPException:
                    log.warning("E-mail for a %s notification was refused by the SMTP server", mail.kind)
        return sent


def mail_enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def compose(to: str, kind: str, message: str, link: str | None) -> OutgoingMail:
    """A plain-text mail: the first line as subject, the message and the page's full URL."""
    first_line = message.splitlines()[0] if message else ""
    lines = [message] + (["", link] if link else [])
    return OutgoingMail(to, f"[Kinerja] {first_line[:120]}", "\n".join(lines) + "\n", kind)


def queue(session: Session, mail: OutgoingMail) -> None:
    """Send ``mail`` once ``session``'s transaction commits (dropped on rollback)."""
    _install_listeners()
    pending = session.info.setdefault(_PENDING_KEY, [])
    if not pending:
        # Remember the application: the commit hook may run without a context.
        session.info["kinerja_mail_app"] = current_app._get_current_object()  # type: ignore[attr-defined]
    pending.append(mail)


def deliver(app: Any, mails: list[OutgoingMail]) -> None:
    """Send queued mail; failures are logged without personal data."""
    try:
        Mailer.from_config(app.config).send(mails)
    except (OSError, smtplib.SMTPException):
        log.warning("Could not deliver %d notification e-mail(s): SMTP server unavailable", len(mails))


def _after_commit(session: Session) -> None:
    mails = session.info.pop(_PENDING_KEY, None)
    app = session.info.pop("kinerja_mail_app", None)
    if not mails or app is None:
        return
    if app.config.get("JOBS_INLINE") or app.config.get("MAIL_SYNC"):
        deliver(app, mails)
    else:
        # Never hold up the request on a slow mail server.
        threading.Thread(target=deliver, args=(app, mails), name="kinerja-mail", daemon=True).start()


def _after_soft_rollback(session: Session, previous_transaction: Any) -> None:
    # Only the outermost rollback drops the queue: a savepoint rolled back
    # inside a transaction that later commits keeps the mail queued before it.
    if previous_transaction.parent is None:
        session.info.pop(_PENDING_KEY, None)
        session.info.pop("kinerja_mail_app", None)


_installed = False


def _install_listeners() -> None:
    global _installed
    if not _installed:
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)
        _installed = True
