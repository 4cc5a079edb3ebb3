"""Database integrity errors are form errors, e-mails validate, logs hold no personal data."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import event, insert, select, text

from app.extensions import db
from app.org import services
from app.org.models import Employee, Unit
from app.tenancy import tenant_scope
from app.tenancy.models import Tenant
from tests.conftest import csrf_token, login

NEW_NIP = "199103152015031002"  # born 15-03-1991, TMT CPNS 03-2015, male, 002


def _admin(client):
    assert login(client, "kota-a", "admin").status_code == 302
    return client


def _post(client, url, data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/kota-a/admin/"), **data})


def _tenant_id(app) -> int:
    with app.app_context():
        tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == "kota-a"))
        db.session.remove()
        return tenant_id


def _second_insert_first(app, owner_engine, table: str, values: dict):
    """Just before this request inserts into ``table``, another admin's insert of
    the same key commits (through another connection): the race the pre-checks
    cannot see."""
    state = {"done": False}

    def race(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        if not state["done"] and statement.lstrip().upper().startswith(f"INSERT INTO {table.upper()} "):
            state["done"] = True
            with owner_engine.begin() as other:
                other.execute(text(f"INSERT INTO {table} ({', '.join(values)}) "  # noqa: S608 - test SQL
                                   f"VALUES ({', '.join(':' + k for k in values)})"), values)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", race)
    return lambda: event.remove(engine, "before_cursor_execute", race)


@pytest.mark.parametrize(("url", "table", "form", "row", "message"), [
    ("/kota-a/admin/pegawai/baru", "employee",
     {"nip": NEW_NIP, "name": "Rizky Pratama", "sex": "L", "employee_type": "PNS", "position_id": "", "email": ""},
     {"nip": NEW_NIP, "name": "Rizky Kembar", "sex": "L", "employee_type": "PNS", "active": True, "version": 1},
     "NIP ini sudah terdaftar"),
    ("/kota-a/admin/unit/baru", "unit",
     {"code": "BARU", "name": "Unit Baru", "kind": "dinas", "parent_id": ""},
     {"code": "BARU", "name": "Unit Lain", "kind": "dinas", "active": True, "version": 1},
     "Kode unit BARU sudah dipakai"),
    ("/kota-a/admin/akun/baru", "user_account",
     {"username": "budi.baru", "employee_nip": "", "password": ""},
     {"username": "budi.baru", "is_admin": False, "is_platform_operator": False, "active": True,
      "created_at": "2026-12-02 08:00:00", "version": 1},
     "Nama pengguna budi.baru sudah dipakai"),
])
def test_a_second_admin_inserting_the_same_key_meanwhile_is_a_form_error(
        app, client, owner_engine, two_tenants, url, table, form, row, message):
    _admin(client)
    stop = _second_insert_first(app, owner_engine, table, {**row, "tenant_id": _tenant_id(app)})
    try:
        response = _post(client, url, form)
    finally:
        stop()
    assert response.status_code == 422, response.status_code
    assert message in response.get_data(as_text=True)


def test_a_position_code_taken_meanwhile_is_a_form_error(app, client, owner_engine, two_tenants):
    a, _ = two_tenants
    _admin(client)
    row = {"code": "JAB-BARU", "name": "Jabatan Lain", "kind": "pelaksana", "unit_id": a.unit_id,
           "active": True, "version": 1, "tenant_id": _tenant_id(app)}
    stop = _second_insert_first(app, owner_engine, "position", row)
    try:
        response = _post(client, "/kota-a/admin/jabatan/baru", {
            "code": "JAB-BARU", "name": "Jabatan Baru", "kind": "pelaksana", "unit_id": a.unit_id,
            "reports_to_id": ""})
    finally:
        stop()
    assert response.status_code == 422
    assert "Kode jabatan JAB-BARU sudah dipakai" in response.get_data(as_text=True)


def test_the_service_turns_a_clash_into_invalid_on_the_field_and_keeps_the_session_usable(
        app_context, two_tenants, monkeypatch):
    from app.errors import Invalid

    a, _ = two_tenants
    with tenant_scope(a.tenant):
        db.session.add(Unit(code="PERTAMA", name="Unit Pertama"))
        db.session.flush()  # a transaction that has written: the clash is undone by a savepoint
        db.session.execute(insert(Unit).values(code="KEMBAR", name="Kembar", tenant_id=a.tenant.id))
        monkeypatch.setattr(services, "_taken_by", lambda *args: None)  # the pre-check misses it
        with pytest.raises(Invalid) as exc:
            services.save_unit(services.UnitData("KEMBAR", "Unit Kembar", "dinas"))
        assert exc.value.field == "code"
        assert db.session.is_active  # the rest of the transaction goes on
        assert db.session.scalar(select(Unit.name).where(Unit.code == "PERTAMA")) == "Unit Pertama"
        db.session.rollback()


def test_an_employee_with_an_email_can_be_saved(app, client, two_tenants):
    a, _ = two_tenants
    _admin(client)
    response = _post(client, "/kota-a/admin/pegawai/baru", {
        "nip": NEW_NIP, "name": "Rizky Pratama", "sex": "L", "employee_type": "PNS",
        "position_id": a.position_ids["STAF"], "email": "rizky@example.go.id"})
    assert response.status_code == 302, response.get_data(as_text=True)
    bad = _post(client, "/kota-a/admin/pegawai/baru", {
        "nip": "199205202016032001", "name": "Dewi", "sex": "P", "employee_type": "PNS",
        "position_id": "", "email": "bukan-email"})
    assert bad.status_code == 422


def test_the_engine_hides_parameters(app_context, two_tenants):
    """Whoever logs a database error (a job's log.exception, a handler) logs no personal data."""
    from sqlalchemy.exc import IntegrityError

    a, _ = two_tenants
    assert db.engine.hide_parameters is True
    with tenant_scope(a.tenant):
        nip = db.session.get(Employee, a.pegawai_id).nip
        with pytest.raises(IntegrityError) as exc:
            db.session.execute(insert(Employee).values(nip=nip, name="Nama Rahasia", sex="L",
                                                       employee_type="PNS", tenant_id=a.tenant.id))
        db.session.rollback()
    assert nip not in str(exc.value) and "Nama Rahasia" not in str(exc.value)


def test_a_request_failing_in_the_database_logs_no_nip_or_name(app, client, two_tenants, caplog, monkeypatch):
    from app.admin import views

    a, _ = two_tenants
    with app.app_context(), tenant_scope(a.tenant):
        taken = db.session.get(Employee, a.pegawai_id).nip
    secret_name = "Nama Rahasia Sekali"
    choices = views._position_choices

    def failing_choices(*args, **kwargs):  # a write nothing foresaw, failing in the database outside any form
        from flask import request

        if request.method == "POST":
            db.session.execute(insert(Employee).values(nip=request.form["nip"], name=request.form["name"],
                                                       sex="L", employee_type="PNS", tenant_id=a.tenant.id))
        return choices(*args, **kwargs)

    monkeypatch.setattr(views, "_position_choices", failing_choices)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    caplog.set_level(logging.DEBUG)
    _admin(client)
    response = _post(client, "/kota-a/admin/pegawai/baru", {
        "nip": taken, "name": secret_name, "sex": "L", "employee_type": "PNS", "position_id": "", "email": ""})
    assert response.status_code in (409, 500)  # 409 once app.web.errors handles IntegrityError
    assert caplog.records  # the failure was logged ...
    assert taken not in caplog.text and secret_name not in caplog.text  # ... without the personal data


def test_the_same_person_cannot_be_registered_twice_in_other_digits(client, two_tenants):
    _admin(client)
    arabic = "".join(chr(0x0660 + int(d)) if i != 14 else d for i, d in enumerate(NEW_NIP))
    response = _post(client, "/kota-a/admin/pegawai/baru", {
        "nip": arabic, "name": "Rizky", "sex": "L", "employee_type": "PNS", "position_id": "", "email": ""})
    assert response.status_code == 422
    assert "18 angka" in response.get_data(as_text=True)
