"""Role checks, enforced on the server for every view that needs them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import abort
from flask_login import current_user, login_required

F = TypeVar("F", bound=Callable)


def admin_required(view: F) -> F:
    """Admin instansi of the current tenant."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def operator_required(view: F) -> F:
    """Platform operator (signed in at /platform/login)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_platform_operator:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
