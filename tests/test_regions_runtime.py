"""A plugin that raises at run time fails only its own tenant's request."""

from __future__ import annotations

import logging

import pytest
from flask import g

from app import create_app
from app.extensions import db
from app.regions.api import baseline_rule_set
from app.regions.conformance import sample_evaluation
from app.regions.hookspecs import hookimpl
from app.regions.manager import regions
from app.tenancy.web import tenant_blueprint
from tests.conftest import make_tenant


class plugin_uji_rusak:  # noqa: N801 - named like the module a real plugin would be
    """Registers a valid rule set, then fails whenever it scores."""

    @staticmethod
    @hookimpl
    def kinerja_rule_sets():
        return [baseline_rule_set("uji-rusak", "Kota Uji Rusak", "1.0.0")]

    @staticmethod
    @hookimpl
    def kinerja_period_result(rule_set, evaluation):
        raise KeyError("indikator yang hilang")


@pytest.fixture
def app_with_failing_plugin(app, database_url):
    """A second app on the same (migrated) database with the failing plugin installed."""
    failing_app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url,
                                         "EXTRA_REGION_PLUGINS": [plugin_uji_rusak]})
    probe = tenant_blueprint("regions_probe", __name__, "/uji-aturan")

    @probe.route("/")
    def score_sample():
        rules = regions().for_tenant(g.tenant)
        result = rules.period_result(sample_evaluation(rules.rule_set))
        return {"rule_set": rules.code, "predikat": result.predikat_label}

    failing_app.register_blueprint(probe)
    with failing_app.app_context():
        make_tenant("kota-rusak", rule_set="uji-rusak")
        make_tenant("kota-sehat", rule_set="nasional")
        db.session.remove()
    yield failing_app
    with failing_app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_failing_plugin_affects_only_its_tenant(app_with_failing_plugin, caplog):
    client = app_with_failing_plugin.test_client()
    with caplog.at_level(logging.ERROR):
        broken = client.get("/kota-rusak/uji-aturan/")
    assert broken.status_code == 500
    page = broken.get_data(as_text=True)
    assert "Aturan daerah gagal dijalankan" in page and "plugin_uji_rusak" in page
    assert "plugin_uji_rusak" in caplog.text and "kinerja_period_result" in caplog.text

    healthy = client.get("/kota-sehat/uji-aturan/")
    assert healthy.status_code == 200
    assert healthy.get_json() == {"rule_set": "nasional", "predikat": "Baik"}

    as_json = client.get("/kota-rusak/uji-aturan/", headers={"Accept": "application/json"})
    assert as_json.status_code == 500
    assert as_json.get_json()["title"] == "Aturan daerah gagal dijalankan"  # RFC 9457 problem body
    # The failure did not unload anything: the healthy tenant keeps working afterwards.
    assert client.get("/kota-sehat/uji-aturan/").status_code == 200
