"""The trail's filter form (a GET form: no CSRF token, nothing is changed)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from app.audit.labels import OBJECT_TYPE_LABELS, object_type_label
from app.web.forms import Form


class TrailFilterForm(Form):
    class Meta:
        csrf = False

    object_type = SelectField(_l("Jenis data"), choices=[], validators=[Optional()], validate_choice=False)
    object_id = IntegerField(_l("Nomor data"), validators=[Optional(), NumberRange(min=1)])
    actor = StringField(_l("Pelaku (nama pengguna)"), validators=[Optional(), Length(max=120)])
    date_from = DateField(_l("Dari tanggal"), validators=[Optional()])
    date_to = DateField(_l("Sampai tanggal"), validators=[Optional()])

    def __init__(self, *args, present_types: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The known types, then any other type the trail holds (shown by its code).
        known = list(OBJECT_TYPE_LABELS.items())
        others = sorted(set(present_types or ()) - set(OBJECT_TYPE_LABELS))
        self.object_type.choices = [("", _l("Semua")), *known, *((code, object_type_label(code)) for code in others)]

    def valid(self, name: str):
        """A field's value when it was given and is valid, else None."""
        field = getattr(self, name)
        return field.data if field.data not in (None, "") and not field.errors else None
