"""The one family of domain errors.

Services raise these; they know nothing of HTTP. The web layer
(``app.web.errors``) turns them into answers: a form re-rendered with the
message on its field (``app.web.forms.perform``), a 403/404/409 page, or an
``application/problem+json`` body for the API (RFC 9457).

``message`` is already in the user's language (services use ``gettext``);
``field`` names the form field the message belongs to, when there is one.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain said no. Subclass by kind, never per module."""

    status = 422
    kind = "invalid"

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class Invalid(DomainError):
    """The input breaks a rule: show the message (on ``field``) and keep the input."""


class Forbidden(DomainError):
    """This person may not do this (to this object)."""

    status = 403
    kind = "forbidden"


class NotFound(DomainError):
    """The object does not exist for this tenant (another tenant's is the same)."""

    status = 404
    kind = "not-found"


class Conflict(DomainError):
    """The object changed since the form was opened, or the action clashes with its state."""

    status = 409
    kind = "conflict"


class Stale(Conflict):
    """Optimistic locking: the version in the form is not the current one."""

    kind = "stale"
