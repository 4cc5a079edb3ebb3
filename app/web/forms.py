"""Form plumbing: one ``VersionedForm`` and one way to run a service for a form.

A form view reads like this::

    form, done = UnitForm(), None
    if form.validate_on_submit():
        done = perform(form, lambda: services.save_unit(unit, form.data),
                       success=_("Unit disimpan."), redirect_to=lambda: url_for("admin.units"))
        if done.ok:
            return done.response
    return render_template("admin/unit_form.html", form=form), form_status(form, done)

``perform`` calls the service, commits, flashes and redirects; when the
service raises ``Invalid`` or ``Conflict`` it rolls back and puts the message
on the form (on its field when the error names one) so the page re-renders
with the input kept. ``Forbidden`` and ``NotFound`` go on to the application's
error handler (a 403/404 page), after the rollback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response
from wtforms import HiddenField

from app.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, Stale
from app.extensions import db
from app.web.errors import stale_message


class Form(FlaskForm):
    """The base of every form in the application: the one place where input
    rules that hold for every field of every form live (see its validate)."""


class VersionedForm(Form):
    """Carries the edited object's version: a save from a stale form is refused."""

    version = HiddenField()

    @property
    def version_number(self) -> int | None:
        """The version the form was opened on; None when absent, -1 when tampered
        with (never a current version, so the save is refused as stale)."""
        raw = (self.version.data or "").strip() if isinstance(self.version.data, str) else self.version.data
        if raw in (None, ""):
            return None
        try:
            return int(raw) if str(raw).isascii() and str(raw).isdigit() and len(str(raw)) < 10 else -1
        except ValueError:
            return -1


class ConfirmForm(Form):
    """An empty form: a POST button with its CSRF token."""


@dataclass
class Outcome:
    """What ``perform`` did: ``ok`` and the action's ``value``; ``response`` the
    redirect after success (when asked for); ``status`` the HTTP status to
    re-render the form with after a failure (409 or 422)."""

    ok: bool
    value: Any = None
    status: int = 200
    response: Response | None = None


def add_error(form: FlaskForm | None, error: DomainError | str, field: str | None = None) -> None:
    """Put a message on ``field`` of ``form`` (or above the form; flashed without a form)."""
    message = str(error.message) if isinstance(error, DomainError) else str(error)
    field = error.field if isinstance(error, DomainError) and field is None else field
    if form is None:
        flash(message, "error")
        return
    target = getattr(form, field, None) if field else None
    if target is not None and hasattr(target, "errors") and isinstance(target.errors, list):
        target.errors.append(message)
    else:
        form.form_errors.append(message)


def perform(form: FlaskForm | None, action: Callable[[], Any], *,
            success: str | Callable[[Any], str] | None = None,
            redirect_to: str | Callable[[Any], str] | None = None,
            current_version: Callable[[], int | None] | None = None) -> Outcome:
    """Run ``action`` and commit; on success flash ``success`` and redirect to
    ``redirect_to`` (strings, or functions of the action's result called after
    the commit). On ``Invalid``/``Conflict`` roll back and show the message on
    ``form`` (flashed when ``form`` is None); ``current_version`` refreshes the
    form's hidden version after a stale save so the next save can go through."""
    try:
        value = action()
        db.session.commit()
    except (Forbidden, NotFound):
        db.session.rollback()
        raise
    except (Conflict, StaleDataError) as exc:
        db.session.rollback()
        message = str(exc.message) if isinstance(exc, Conflict) and str(exc.message) else stale_message()
        add_error(form, message, exc.field if isinstance(exc, Conflict) and not isinstance(exc, Stale) else None)
        if form is not None and current_version is not None and hasattr(form, "version"):
            form.version.data = current_version()
        return Outcome(False, status=409)
    except Invalid as exc:
        db.session.rollback()
        add_error(form, exc)
        return Outcome(False, status=422)
    if success is not None:
        flash(success(value) if callable(success) else success, "success")
    target = redirect_to(value) if callable(redirect_to) else redirect_to
    return Outcome(True, value, response=redirect(target) if target is not None else None)


def form_status(form: FlaskForm, outcome: Outcome | None = None) -> int:
    """The status to re-render a form with: the outcome's, or 422 when it has errors."""
    if outcome is not None and outcome.status != 200:
        return outcome.status
    return 422 if form.errors else 200
