"""The upload form: which kind of data, and the file (CSV or XLSX)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField

from app.imports.kinds import SPECS
from app.web.forms import Form

ALLOWED_EXTENSIONS = ["csv", "xlsx"]


class UploadForm(Form):
    kind = SelectField(_l("Jenis data"), choices=[(kind.value, spec.label) for kind, spec in SPECS.items()])
    file = FileField(
        _l("Berkas CSV atau XLSX"),
        validators=[
            FileRequired(_l("Pilih berkas yang akan diimpor.")),
            FileAllowed(ALLOWED_EXTENSIONS, _l("Hanya berkas .csv atau .xlsx yang dapat diimpor.")),
        ],
        description=_l("Baris pertama berisi nama kolom. CSV dipisah koma atau titik koma, berenkode UTF-8."),
        render_kw={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    )
