"""The request form of a document bundle (choices filled per request)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import DataRequired

from app.web.forms import Form


class BundleForm(Form):
    kind = SelectField(_l("Jenis dokumen"), validators=[DataRequired()])
    period = SelectField(_l("Periode"), coerce=int, validators=[DataRequired()])
    unit = SelectField(_l("Perangkat daerah / unit"), coerce=int, default=0)
