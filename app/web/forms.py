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
service raises ``Invalid`` or ``Conflict`` (or the database refuses the
data: an ``IntegrityError`` or ``DataError``) it rolls back and puts the message
on the form (on its field when the error names one) so the page re-renders
with the input kept. ``Forbidden`` and ``NotFound`` go on to the application's
error handler (a 403/404 page), after the rollback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto, _is_submitted
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.wrappers import Response
from wtforms import HiddenField

from app.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, Stale
from app.extensions import db
from app.web.errors import duplicate_message, out_of_range_message, stale_message
from app.web.input_rules import apply_input_rules
from app.web.wtforms_messages import form_messages, translate


class Form(FlaskForm):
    """The base of every form in the application: the one place where input
    rules that hold for every field of every form live (``app.web.input_rules``:
    finite, bounded numbers and ids, dates in range, text without control
    characters and with a maximum length), checked before the field's own
    validators. WTForms' own messages come in the user's language
    (``app.web.wtforms_messages``); descriptions and labels are plain text."""

    class Meta:
        def get_translations(self, form):
            return form_messages

        def wrap_formdata(self, form, formdata):
            # An HTML form reads form-encoded bodies only: a JSON body (which
            # Flask-WTF would read, with non-text values) is an empty submission.
            if formdata is _Auto and _is_submitted() and request.is_json and not request.form and not request.files:
                return ImmutableMultiDict()
            return super().wrap_formdata(form, formdata)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self:
            # Lazy strings render as markup in Jinja (they define __html__):
            # plain strings are escaped wherever a template shows them.
            if field.description:
                field.description = str(field.description)
            if field.label is not None and field.label.text is not None:
                field.label.text = str(field.label.text)

    def validate(self, extra_validators=None) -> bool:
        apply_input_rules(self)
        valid = super().validate(extra_validators)
        csrf_field = getattr(self, "csrf_token", None)
        if csrf_field is not None and getattr(csrf_field, "errors", None):
            csrf_field.errors = [translate(str(error)) for error in csrf_field.errors]
        return valid


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


def optional_int(value: Any) -> int | None:
    """The ``coerce`` of a select of ids with an empty choice: "" (and None,
    "None") is no choice, anything else ``int(value)``; junk raises
    ``ValueError``, which the field reports as an invalid choice."""
    return int(value) if value not in (None, "", "None") else None


def lenient_optional_int(value: Any) -> int | None:
    """``optional_int``, but junk reads as no choice (None) instead of an
    invalid one: the service then says what is missing."""
    try:
        return optional_int(value)
    except (TypeError, ValueError):
        return None


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
    except IntegrityError:
        # Two people saving the same thing at once: the database's unique and
        # foreign-key constraints have the last word.
        db.session.rollback()
        add_error(form, duplicate_message())
        return Outcome(False, status=409)
    except DataError:
        db.session.rollback()
        add_error(form, out_of_range_message())
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
