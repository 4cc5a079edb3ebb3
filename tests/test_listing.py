"""List pages: the pager, its count that stops past a limit, and ``?page=`` of any shape."""

import re

import pytest
from flask_babel import force_locale
from sqlalchemy import event, select

from app.extensions import db
from app.org import services
from app.tenancy import tenant_scope
from app.tenancy.models import Tenant
from app.web.filters import angka
from tests.conftest import login


def _admin(client):
    assert login(client, "kota-a", "admin").status_code == 302


def _units(app, count: int) -> None:
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-a"))
        with tenant_scope(tenant):
            for i in range(count):  # as the admin pages save them: with their audit entries
                services.save_unit(services.UnitData(f"P{i:03d}", f"Unit Paging {i:03d}", "dinas"))
            db.session.commit()


def _pager(html: str) -> tuple[str, str, list[str]]:
    """The pager's page label, the count line and the links' addresses."""
    nav = re.search(r'<nav class="pager"[^>]*>(.*?)</nav>', html, re.S)
    label = re.search(r"<span>(.*?)</span>", nav.group(1)).group(1) if nav else ""
    links = re.findall(r'href="([^"]+)"', nav.group(1)) if nav else []
    count = re.search(r'<p class="muted">([^<]*data)</p>', html).group(1)
    return label, count, [link.replace("&amp;", "&") for link in links]


def test_the_count_stops_past_the_limit_and_the_pager_goes_on_page_by_page(app, client, two_tenants,
                                                                          monkeypatch):
    monkeypatch.setitem(app.config, "LIST_COUNT_LIMIT", 10)  # below a page: a page and one row are counted
    _units(app, 40)
    _admin(client)
    first = client.get("/kota-a/admin/unit?q=paging").get_data(as_text=True)
    assert _pager(first) == ("Halaman 1", "Lebih dari 25 data", ["/kota-a/admin/unit?page=2&q=paging"])
    assert "Unit Paging 000" in first and "Unit Paging 025" not in first
    # From page 2 the count reaches the end of the list again: exact, with the number of pages.
    second = client.get("/kota-a/admin/unit?q=paging&page=2").get_data(as_text=True)
    assert _pager(second) == ("Halaman 2 dari 2", "40 data", ["/kota-a/admin/unit?page=1&q=paging"])
    assert "Unit Paging 039" in second


def test_past_the_limit_every_page_links_both_ways_until_the_count_reaches_the_end(app, client, two_tenants,
                                                                                 monkeypatch):
    monkeypatch.setitem(app.config, "LIST_COUNT_LIMIT", 30)  # above a page of 25: the usual case
    _units(app, 80)
    _admin(client)
    pages = {n: _pager(client.get(f"/kota-a/admin/unit?q=paging&page={n}").get_data(as_text=True))
             for n in (1, 2, 4)}
    assert pages[1] == ("Halaman 1", "Lebih dari 30 data", ["/kota-a/admin/unit?page=2&q=paging"])
    assert pages[2] == ("Halaman 2", "Lebih dari 55 data",
                        ["/kota-a/admin/unit?page=1&q=paging", "/kota-a/admin/unit?page=3&q=paging"])
    assert pages[4] == ("Halaman 4 dari 4", "80 data", ["/kota-a/admin/unit?page=3&q=paging"])


def test_a_page_past_the_end_links_back_to_the_last_page(app, client, two_tenants):
    _units(app, 30)
    _admin(client)
    html = client.get("/kota-a/admin/unit?q=paging&page=9").get_data(as_text=True)
    assert _pager(html) == ("Halaman 9 dari 2", "30 data", ["/kota-a/admin/unit?page=2&q=paging"])
    one_page = client.get("/kota-a/admin/unit?q=paging+000&page=3").get_data(as_text=True)
    assert _pager(one_page) == ("Halaman 3 dari 1", "1 data", ["/kota-a/admin/unit?page=1&q=paging+000"])


def test_counts_read_naturally_in_english(app, client, two_tenants):
    _units(app, 1)
    _admin(client)
    assert '<p class="muted">1 record</p>' in client.get("/kota-a/admin/unit?q=paging&lang=en").get_data(as_text=True)
    assert '<p class="muted">2 records</p>' in client.get("/kota-a/admin/unit").get_data(as_text=True)  # + DINKES


def test_a_short_list_is_counted_exactly_and_shows_no_pager(app, client, two_tenants):
    _units(app, 3)
    _admin(client)
    html = client.get("/kota-a/admin/unit?q=paging").get_data(as_text=True)
    assert '<nav class="pager"' not in html and '<p class="muted">3 data</p>' in html


def test_the_count_reads_no_more_rows_than_the_limit_past_the_page(app, client, two_tenants, monkeypatch):
    monkeypatch.setitem(app.config, "LIST_COUNT_LIMIT", 30)
    _admin(client)
    seen: list[tuple[str, object]] = []
    with app.app_context():
        engine = db.engine

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get("/kota-a/admin/pegawai?page=3").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    counts = [(sql, params) for sql, params in seen if "count(*)" in sql and "FROM employee" in sql]
    assert len(counts) == 1
    sql, params = counts[0]
    assert re.search(r"LIMIT", sql)
    values = params.values() if isinstance(params, dict) else params
    assert 50 + 30 + 1 in values  # offset of page 3 + the limit + one row to know there are more


@pytest.mark.parametrize("page", ["abc", "-3", "0", "2.5", "99999999999999999999999", "1e9"])
def test_any_page_argument_answers_a_page(app, client, two_tenants, page):
    _admin(client)
    for path in ("/kota-a/admin/pegawai", "/kota-a/admin/unit", "/kota-a/admin/audit/", "/kota-a/notifikasi/"):
        response = client.get(f"{path}?page={page}")
        assert response.status_code == 200, (path, page)


def test_the_pager_keeps_the_list_filters(app, client, two_tenants):
    _units(app, 30)
    _admin(client)
    html = client.get("/kota-a/admin/audit/?object_type=unit").get_data(as_text=True)
    label, _count, links = _pager(html)
    assert label.startswith("Halaman 1 dari ")
    assert links == ["/kota-a/admin/audit/?page=2&object_type=unit"]
    # The unit progress of the admin's home keeps its year and period.
    home = client.get("/kota-a/?tahun=2025&periode=7").get_data(as_text=True)
    assert _pager(home)[2] == ["/kota-a/?page=2&tahun=2025&periode=7"]


def test_counts_are_grouped_in_the_ui_language(app):
    with app.test_request_context():
        with force_locale("id"):
            assert angka(10000) == "10.000"
        with force_locale("en"):
            assert angka(10000) == "10,000"
