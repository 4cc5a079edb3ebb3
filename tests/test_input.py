"""Input that can never cause a 500 (issue #9, items 6, 7 and 10 in part):
one way to read an id, a number, a date and a text, in the URL converter, the
request's query arguments and the base ``Form`` every form inherits."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from flask import Blueprint, jsonify, render_template_string, request
from wtforms import (
    DateField,
    DecimalField,
    FloatField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

import app as app_package
from app import create_app
from app.web.forms import Form, VersionedForm
from tests.conftest import login

HUGE = "99999999999999999999"


class ProbeForm(Form):
    name = StringField("Nama", validators=[DataRequired()])
    notes = TextAreaField("Catatan")
    secret = PasswordField("Sandi")
    short = StringField("Singkat", validators=[Optional(), Length(min=10, max=5000)])
    ratio = FloatField("Rasio", validators=[Optional()])
    hours = DecimalField("JP", places=1, validators=[Optional(), NumberRange(min=0, max=1000)])
    count = IntegerField("Jumlah", validators=[Optional()])
    unit_id = SelectField("Unit", coerce=lambda v: int(v) if v not in (None, "", "None") else None,
                          validate_choice=False)
    held_on = DateField("Tanggal", validators=[Optional()])
    token = HiddenField()


def _probe_app(database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False})
    probe = Blueprint("probe", __name__)

    @probe.route("/probe/form", methods=["POST"])
    def form_page():
        form = ProbeForm()
        ok = form.validate()
        return jsonify(ok=ok, errors={k: [str(e) for e in v] for k, v in form.errors.items()},
                       data={k: str(v) for k, v in form.data.items()})

    @probe.route("/probe/args")
    def args_page():
        return jsonify(page=request.args.get("page", 1, type=int), unit=request.values.get("unit", type=int),
                       raw=request.args.get("page"))

    @probe.route("/probe/item/<int:item_id>")
    def item_page(item_id):
        return jsonify(item=item_id)

    @probe.route("/probe/hint")
    def hint_page():
        from flask_babel import lazy_gettext as _l
        from markupsafe import Markup

        class HintForm(Form):
            a = StringField("A", description=_l("Kelompok yang lebih kecil ditampilkan sebagai \"<n\"."))
            b = StringField("B", description=Markup("<b>tebal</b>"))

        return render_template_string('{% from "macros.html" import field %}{{ field(form.a) }}{{ field(form.b) }}'
                                      '<button>Simpan</button>', form=HintForm())

    app.register_blueprint(probe)
    return app


@pytest.fixture(scope="module")
def probe_app(app, database_url):
    return _probe_app(database_url)


@pytest.fixture
def probe(probe_app):
    return probe_app.test_client()


def _post(probe, lang="id", **data):
    body = {"name": "Budi"}
    body.update(data)
    return probe.post(f"/probe/form?lang={lang}", data=body).get_json()


# --- ids in URLs ------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [HUGE, "2147483648", "１", "٣", "²", "-1"])
def test_an_id_beyond_the_integer_range_or_not_ascii_digits_is_404(probe, raw):
    assert probe.get(f"/probe/item/{raw}").status_code == 404


def test_an_ordinary_id_still_reaches_the_view(probe):
    assert probe.get("/probe/item/2147483647").get_json() == {"item": 2147483647}


def test_a_huge_id_on_a_real_page_is_404_not_500(app, client, two_tenants):
    login(client, "kota-a", "admin")
    assert client.get(f"/kota-a/admin/pegawai/{HUGE}").status_code == 404
    a, _ = two_tenants
    assert client.get(f"/kota-a/admin/pegawai/{a.pegawai_id}").status_code == 200
    fullwidth = "".join(chr(0xFF10 + int(d)) for d in str(a.pegawai_id))
    assert client.get(f"/kota-a/admin/pegawai/{fullwidth}").status_code == 404


# --- integers in the query string ---------------------------------------------------------


@pytest.mark.parametrize("raw", [HUGE, "２", "²", "1e3", "0x10", " 7"])
def test_odd_or_huge_query_integers_never_reach_the_view(probe, raw):
    body = probe.get("/probe/args", query_string={"page": raw, "unit": raw}).get_json()
    assert body["page"] == 1 and body["unit"] is None and body["raw"] == raw


def test_ordinary_query_integers_are_read(probe):
    assert probe.get("/probe/args?page=3&unit=12").get_json()["page"] == 3
    assert probe.get("/probe/args?page=-2").get_json()["page"] == -2


def test_a_huge_page_or_year_on_real_pages_is_not_a_500(app, client, two_tenants):
    app.config["PROPAGATE_UNEXPECTED"] = False
    try:
        login(client, "kota-a", "admin")
        for url in (f"/kota-a/admin/impor/?page={HUGE}", f"/kota-a/skp/admin/?tahun={HUGE}",
                    f"/kota-a/?tahun={HUGE}", f"/kota-a/penilaian/?tahun={HUGE}",
                    f"/kota-a/admin/publik/ikm?tahun={HUGE}&triwulan={HUGE}"):
            assert client.get(url).status_code < 500, url
        assert client.get(f"/kota-a/publik/pengaduan?unit={HUGE}").status_code < 500
    finally:
        app.config["PROPAGATE_UNEXPECTED"] = True


# --- numbers in forms ---------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["nan", "NaN", "inf", "-Infinity", "1e309", "1e16"])
def test_a_float_field_refuses_nan_infinity_and_huge_values(probe, raw):
    body = _post(probe, ratio=raw)
    assert not body["ok"] and body["errors"]["ratio"] == ["Isi angka yang wajar (bukan NaN atau tak hingga)."]


@pytest.mark.parametrize("raw", ["sNaN", "NaN", "Infinity", "-inf", "1e309", "1e40"])
def test_a_decimal_field_refuses_nan_infinity_and_huge_values(probe, raw):
    body = _post(probe, hours=raw)
    assert not body["ok"] and body["errors"]["hours"] == ["Isi angka yang wajar (bukan NaN atau tak hingga)."]


def test_ordinary_numbers_pass(probe):
    body = _post(probe, ratio="12.5", hours="3.5", count="40", unit_id="7", held_on="2026-03-20")
    assert body["ok"], body


@pytest.mark.parametrize(("field", "raw"), [("count", HUGE), ("count", "-" + HUGE), ("unit_id", HUGE),
                                            ("unit_id", "2147483648")])
def test_integers_and_ids_beyond_the_database_range_are_refused(probe, field, raw):
    body = _post(probe, **{field: raw})
    assert not body["ok"] and body["errors"][field] == ["Angka di luar jangkauan yang diizinkan."]
    assert body["data"][field] == "None"


@pytest.mark.parametrize("raw", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"])
def test_dates_outside_the_supported_range_are_a_form_error(probe, raw):
    body = _post(probe, held_on=raw)
    assert not body["ok"] and body["errors"]["held_on"] == ["Isi tanggal antara tahun 1900 dan 2100."]
    assert body["data"]["held_on"] == "None"


def test_the_audit_filter_with_a_far_date_is_not_a_500(app, client, two_tenants):
    login(client, "kota-a", "admin")
    response = client.get("/kota-a/admin/audit/?date_from=0001-01-01&date_to=9999-12-31&object_id=" + HUGE)
    assert response.status_code < 500


def test_every_versioned_form_reads_a_tampered_version_as_stale(app):
    for info in pkgutil.walk_packages(app_package.__path__, "app."):
        if info.name.endswith("forms") or ".forms" in info.name:
            importlib.import_module(info.name)
    forms, pending = [], list(VersionedForm.__subclasses__())
    while pending:
        cls = pending.pop()
        forms.append(cls)
        pending.extend(cls.__subclasses__())
    assert len(forms) >= 3
    for cls in forms:
        assert cls.version_number is VersionedForm.version_number, f"{cls.__name__} reads its version itself"
        assert cls.version.field_class is HiddenField
    for raw in ("abc", HUGE, "-1", "１２", "1e3", "\x00", "2147483648"):
        with app.test_request_context(method="POST", data={"version": raw}):
            assert VersionedForm(meta={"csrf": False}).version_number == -1, raw


# --- text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["name", "notes", "secret", "token"])
@pytest.mark.parametrize("raw", ["Budi\x00", "a\x07b", "\x1b[31m", "x\x7f"])
def test_control_characters_are_refused_in_every_text_field(probe, field, raw):
    body = _post(probe, **{field: raw})
    assert not body["ok"]
    assert body["errors"][field] == ["Isian mengandung karakter kontrol yang tidak diizinkan."]


def test_line_breaks_and_tabs_are_kept_in_multi_line_text_only(probe):
    assert _post(probe, notes="baris 1\r\nbaris\t2")["ok"]
    assert not _post(probe, name="Budi\nSantoso")["ok"]


def test_every_text_field_has_a_maximum_length(probe):
    body = _post(probe, name="a" * 256, notes="b" * 10001)
    assert "Maksimal 255 karakter." in body["errors"]["name"]
    assert "Maksimal 10000 karakter." in body["errors"]["notes"]
    assert _post(probe, name="a" * 255, notes="b" * 10000)["ok"]


# --- WTForms' own messages in the user's language -------------------------------------------


def test_wtforms_messages_are_indonesian_by_default_and_english_in_english(probe):
    body = _post(probe, name="", ratio="abc", short="pendek", unit_id="x")
    assert body["errors"]["name"] == ["Wajib diisi."]
    assert body["errors"]["ratio"] == ["Bukan angka yang sah."]
    assert body["errors"]["short"] == ["Panjang isian harus antara 10 dan 5000 karakter."]
    english = _post(probe, lang="en", name="", ratio="abc", short="pendek")
    assert english["errors"]["name"] == ["This field is required."]
    assert english["errors"]["ratio"] == ["Not a valid float value."]
    assert english["errors"]["short"] == ["Field must be between 10 and 5000 characters long."]


def test_every_wtforms_message_has_an_indonesian_text():
    from babel.messages.pofile import read_po
    from wtforms.i18n import messages_path

    from app.web.wtforms_messages import INDONESIAN

    with open(f"{messages_path()}/wtforms.pot", "rb") as pot:
        catalogue = read_po(pot)
    missing = [m.id for m in catalogue if m.id and (m.id if isinstance(m.id, str) else m.id[0]) not in INDONESIAN]
    assert not missing, missing


# --- descriptions are text ----------------------------------------------------------------


def test_a_field_description_is_never_rendered_as_html(probe):
    html = probe.get("/probe/hint").get_data(as_text=True)
    assert "&#34;&lt;n&#34;" in html or "&quot;&lt;n&quot;" in html or '"&lt;n"' in html
    assert "<n" not in html and "<b>tebal</b>" not in html
    assert html.rstrip().endswith("<button>Simpan</button>")


def test_the_publication_page_shows_its_hint_as_text(app, client, two_tenants):
    login(client, "kota-a", "admin")
    html = client.get("/kota-a/admin/publik/publikasi").get_data(as_text=True)
    assert "&lt;n" in html and '"<n' not in html


# --- database errors are answers, not crashes ----------------------------------------------


def test_a_value_the_database_refuses_is_a_form_error_not_a_500(app, two_tenants):
    from sqlalchemy.exc import DataError

    from app.web.forms import perform

    with app.test_request_context(method="POST", data={"name": "Budi"}):
        form = ProbeForm(meta={"csrf": False})

        def action():
            raise DataError("INSERT …", {}, Exception("value too long"))

        done = perform(form, action)
        assert not done.ok and done.status == 422
        assert form.form_errors == ["Isian tidak dapat disimpan: ada nilai yang terlalu panjang atau di luar "
                                    "jangkauan."]

