"""A list page whose creation form makes a secret shown once (an API token, a
webhook's signing secret).

``register_secret_once`` gives a blueprint its ``index`` (``GET /``: the list
and the form) and ``create`` (``POST /``) views. The created object and its
secret are in the answer to the POST only: never flashed, never kept in the
session (the session cookie is signed, not secret), never in a redirect; a
reload or a later visit shows the list without it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint

from app.web.forms import Form, form_status, perform

F = TypeVar("F", bound=Form)


def register_secret_once(bp: Blueprint, *, make_form: Callable[[], F], render: Callable[[F, Any], str],
                         create: Callable[[F], Any]) -> None:
    """Register ``index`` and ``create`` on ``bp``. ``make_form`` builds the
    creation form (with its choices); ``render(form, created)`` renders the
    page, ``created`` being what ``create(form)`` returned (with the secret) in
    the answer to a successful POST and None otherwise. ``create`` runs through
    ``perform``: its ``Invalid``/``Conflict`` put the message on the form."""

    def page(form: F, created: Any = None, status: int = 200):
        return render(form, created), status

    @bp.route("/", endpoint="index")
    def index():
        return page(make_form())

    @bp.route("/", methods=["POST"], endpoint="create")
    def create_view():
        form = make_form()
        if not form.validate_on_submit():
            return page(form, status=form_status(form))
        done = perform(form, lambda: create(form))
        if not done.ok:
            return page(form, status=done.status)
        # The secret is in this answer only: a fresh form, and the created object beside it.
        return page(make_form(), done.value)
