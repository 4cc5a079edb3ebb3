"""Rules every field of every form obeys, applied by the base ``Form``
(``app.web.forms``) before the field's own validators.

- numbers (``FloatField``, ``DecimalField``): finite, no NaN/sNaN, within
  ``NUMBER_LIMIT`` — a NaN passes every ``NumberRange`` and an sNaN makes any
  comparison raise;
- integers (``IntegerField``, and the ints a ``SelectField``/``RadioField``
  coerces to: ids): within the database's integer range;
- dates: years ``DATE_MIN`` to ``DATE_MAX`` (date arithmetic beyond them overflows);
- text: no control characters (PostgreSQL refuses NUL), except tab and line
  breaks in multi-line text, and a maximum length when the field declares none.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields import (
    DateField,
    DateTimeField,
    DecimalField,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, StopValidation

from app.web.numbers import in_int_range

NUMBER_LIMIT = Decimal("1e15")  # beyond any count, score or rupiah amount a form takes
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
SINGLE_LINE_MAX = 255
MULTI_LINE_MAX = 10000

# C0 controls, DEL and C1 controls; multi-line text keeps tab, LF and CR.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def number_message() -> str:
    return _l("Isi angka yang wajar (bukan NaN atau tak hingga).")


def _number_problem(value: Any) -> str | None:
    finite = math.isfinite(value) if isinstance(value, float) else (
        value.is_finite() if isinstance(value, Decimal) else True)
    if not finite or (isinstance(value, float | Decimal) and abs(value) >= NUMBER_LIMIT):
        return number_message()
    return None


def _integer_problem(value: Any) -> str | None:
    values = value if isinstance(value, list | tuple) else [value]
    if any(isinstance(v, int) and not isinstance(v, bool) and not in_int_range(v) for v in values):
        return _l("Angka di luar jangkauan yang diizinkan.")
    return None


def _date_problem(value: Any) -> str | None:
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(day, date) and not DATE_MIN <= day <= DATE_MAX:
        return _l("Isi tanggal antara tahun %(first)d dan %(last)d.", first=DATE_MIN.year, last=DATE_MAX.year)
    return None


def _declared_max(field: Field) -> int | None:
    for validator in field.validators:
        if isinstance(validator, Length) and validator.max is not None and validator.max >= 0:
            return validator.max
    return None


def _text_problem(field: StringField) -> str | None:
    values = [v for v in (field.raw_data or []) if isinstance(v, str)]
    if isinstance(field.data, str):
        values.append(field.data)
    multi_line = isinstance(field, TextAreaField)
    control = _CONTROL_MULTI_LINE if multi_line else _CONTROL
    if any(control.search(v) for v in values):
        return _l("Isian mengandung karakter kontrol yang tidak diizinkan.")
    if _declared_max(field) is None:
        limit = MULTI_LINE_MAX if multi_line else SINGLE_LINE_MAX
        if isinstance(field.data, str) and len(field.data) > limit:
            return _l("Maksimal %(n)d karakter.", n=limit)
    return None


def input_problem(field: Field) -> tuple[str, bool] | None:
    """What is wrong with ``field``'s input by the shared rules, and whether its
    value must be dropped (so no view computes with it); None when nothing is."""
    if isinstance(field, CSRFTokenField):
        return None
    if isinstance(field, FloatField | DecimalField):
        message = _number_problem(field.data)
        return (message, True) if message else None
    if isinstance(field, IntegerField | SelectField | RadioField | SelectMultipleField):
        message = _integer_problem(field.data)
        return (message, True) if message else None
    if isinstance(field, DateField | DateTimeField):
        message = _date_problem(field.data)
        return (message, True) if message else None
    if isinstance(field, StringField):
        message = _text_problem(field)
        return (message, False) if message else None
    return None


class Refuse:
    """Stands in for a field's validators once the shared rules refused its
    input: the one message, and no validator that would choke on the value."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        raise StopValidation(self.message)


def apply_input_rules(form) -> None:
    for field in form:
        problem = input_problem(field)
        if problem is None:
            continue
        message, drop = problem
        field.validators = [Refuse(message)]
        if drop:
            field.data = None
