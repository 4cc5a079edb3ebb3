"""The audit trail: what is recorded, that the chain catches tampering, who sees it."""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import IntegrityError, ProgrammingError

from app import audit
from app.audit.chain import HASHED_FIELDS, compute_hash
from app.audit.models import GENESIS_HASH, AuditEntry, AuditEntryImmutable
from app.auth import accounts
from app.auth.models import User
from app.extensions import db
from app.org import services
from app.org.models import Employee, Position, Unit
from app.tenancy import all_tenants, tenant_scope, tenant_today, utc_now
from app.tenancy.models import Tenant
from tests.conftest import PASSWORD, csrf_token, login

NEW_PASSWORD = "Sandi-Baru-Uji-2027"


# --- helpers --------------------------------------------------------------------------

def _tenant(slug: str) -> Tenant:
    with all_tenants("test lookup"):
        return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def _entries(slug: str, *criteria) -> list[AuditEntry]:
    with tenant_scope(_tenant(slug)):
        return db.session.scalars(select(AuditEntry).where(*criteria).order_by(AuditEntry.seq)).all()


def _verify(slug: str, anchor=None) -> audit.VerifyResult:
    tenant = _tenant(slug)
    with tenant_scope(tenant):
        return audit.verify(tenant, anchor=anchor)


def _admin(client, slug: str = "kota-a"):
    assert login(client, slug, "admin").status_code == 302
    return client


def _post(client, url, data, slug: str = "kota-a"):
    return client.post(url, data={"csrf_token": csrf_token(client, f"/{slug}/admin/"), **data})


def _owner_sql(owner_engine, sql: str, **params) -> int:
    """Run SQL as the owner of the tables (the tamperer: bypasses the app role's limits)."""
    with owner_engine.begin() as conn:
        return conn.execute(text(sql), params).rowcount


def _set_after(owner_engine, tenant_id: int, seq: int, after: dict) -> None:
    value = "CAST(:after AS json)" if owner_engine.dialect.name == "postgresql" else ":after"
    changed = _owner_sql(owner_engine, f'UPDATE audit_entry SET "after" = {value} '  # noqa: S608 - fixed SQL
                         "WHERE tenant_id = :t AND seq = :seq",
                         after=json.dumps(after), t=tenant_id, seq=seq)
    assert changed == 1


def _raw_audit_text(owner_engine) -> str:
    with owner_engine.connect() as conn:
        return "\n".join(str(tuple(row)) for row in conn.execute(text("SELECT * FROM audit_entry")))


def _employee_form(employee: Employee, **changes) -> dict:
    data = {"nip": employee.nip, "name": employee.name, "sex": employee.sex.value,
            "employee_type": employee.employee_type.value, "position_id": employee.position_id or "",
            "email": employee.email or "", "version": str(employee.version)}
    return {**data, **changes}


# --- what is recorded -----------------------------------------------------------------

def test_onboarding_and_organisation_building_start_each_tenants_chain(app_context, two_tenants):
    entries = _entries("kota-a")
    a = _tenant("kota-a")
    assert entries[0].seq == 1 and entries[0].prev_hash == GENESIS_HASH
    assert entries[0].action == "tenant.create" and entries[0].object_id == a.id
    assert entries[0].after["slug"] == "kota-a"
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert all(e.prev_hash == prev.hash for prev, e in zip(entries, entries[1:], strict=False))
    actions = [e.action for e in entries]
    assert actions.count("unit.create") == 1 and actions.count("position.create") == 4
    assert actions.count("employee.create") == 5
    assert actions.count("user.create") == 4  # the admin at onboarding, then three accounts
    # Outside a request and a command: the system did it.
    assert {e.actor_label for e in entries} == {"system"} and {e.actor_user_id for e in entries} == {None}
    # Tenant B's chain is its own.
    b_entries = _entries("kota-b")
    assert b_entries[0].seq == 1 and {e.tenant_id for e in b_entries} == {_tenant("kota-b").id}


def test_admin_edit_through_the_web_records_before_after_and_actor(app, client, two_tenants):
    a, _ = two_tenants
    with app.app_context(), tenant_scope(a.tenant):
        employee = db.session.get(Employee, a.pegawai_id)
        form, old_name, nip = _employee_form(employee, name="Siti Rahmawati"), employee.name, employee.nip
    _admin(client)
    started = utc_now().replace(microsecond=0)
    response = _post(client, f"/kota-a/admin/pegawai/{a.pegawai_id}", form)
    assert response.status_code == 302
    with app.app_context():
        [entry] = _entries("kota-a", AuditEntry.action == "employee.update")
        assert entry.before["name"] == old_name and entry.after["name"] == "Siti Rahmawati"
        assert entry.before["nip"] == entry.after["nip"] == nip  # NIPs may be in the trail
        assert entry.object_type == "employee" and entry.object_id == a.pegawai_id
        assert entry.employee_id == a.pegawai_id
        assert entry.actor_label == "admin" and entry.actor_user_id == a.user_ids["admin"]
        assert started <= entry.occurred_at <= utc_now() + timedelta(seconds=1)
    # The admin reads it on the employee's trail, linked from the edit page.
    edit_page = client.get(f"/kota-a/admin/pegawai/{a.pegawai_id}").get_data(as_text=True)
    assert f"/kota-a/admin/audit/pegawai/{a.pegawai_id}" in edit_page and "Riwayat perubahan" in edit_page
    trail = client.get(f"/kota-a/admin/audit/pegawai/{a.pegawai_id}").get_data(as_text=True)
    # Issue #9: a sentence with labels, not column names and arrows.
    assert "admin mengubah data pegawai Siti Rahmawati" in trail
    assert f"Nama dari {old_name} menjadi Siti Rahmawati" in trail


def test_every_organisation_change_is_recorded(app_context, two_tenants):
    a, _ = two_tenants
    count = len(_entries("kota-a"))
    with tenant_scope(a.tenant):
        unit = services.save_unit(services.UnitData("PKM", "Puskesmas Kota", "puskesmas", a.unit_id))
        services.save_unit(services.UnitData("PKM", "Puskesmas Kota Utara", "puskesmas", a.unit_id), unit)
        position = services.save_position(services.PositionData("PKM-STAF", "Staf Puskesmas", "pelaksana", unit.id))
        services.save_position(services.PositionData("PKM-STAF", "Staf Tata Usaha", "pelaksana", unit.id), position)
        services.deactivate_position(position)
        services.reactivate(position)
        services.assign_acting(db.session.get(Position, a.position_ids["KABID"]),
                               db.session.get(Employee, a.penilai_id).nip, "plh", "2026-02-01", "2026-02-10")
        peer = db.session.get(Employee, a.peer_id)
        accounts.deactivate_employee(peer)
        services.reactivate(peer)
        pegawai_account = db.session.get(User, a.user_ids["pegawai"])
        accounts.deactivate_employee(db.session.get(Employee, a.pegawai_id))  # ends the account too
        services.reactivate(pegawai_account)
        db.session.commit()
        unit_ids = {unit.id}
    entries = _entries("kota-a", AuditEntry.seq > count)
    assert [e.action for e in entries] == [
        "unit.create", "unit.update", "position.create", "position.update", "position.deactivate",
        "position.reactivate", "acting_assignment.create", "employee.deactivate", "employee.reactivate",
        "employee.deactivate", "user.deactivate", "user.reactivate",
    ]
    assert entries[1].before["name"] == "Puskesmas Kota" and entries[1].after["name"] == "Puskesmas Kota Utara"
    assert entries[0].object_id in unit_ids and entries[0].before is None
    assert entries[0].after["parent_id"] == a.unit_id  # set through the relationship, flushed first
    assert entries[4].before["active"] is True and entries[4].after["active"] is False
    acting = entries[6]
    assert acting.employee_id == a.penilai_id and acting.after["kind"] == "plh"
    assert acting.after["starts_on"] == "2026-02-01"
    assert entries[10].employee_id == a.pegawai_id  # an account's entries belong to its employee's trail
    assert _verify("kota-a").ok


def test_onboarding_from_the_web_and_the_cli_names_who_did_it(app):
    from tests.conftest import ROOT, make_operator

    with app.app_context():
        make_operator()
    operator = app.test_client()
    assert login(operator, None, "operator").status_code == 302
    assert operator.post("/platform/tenant/baru", data={
        "csrf_token": csrf_token(operator, "/platform/tenant/baru"), "slug": "kota-baru",
        "name": "Pemerintah Kota Baru", "level": "kota", "province": "Kalimantan Selatan",
        "rule_set": "palangkaraya", "locale": "id", "timezone": "Asia/Makassar",
        "admin_username": "admin", "admin_password": "Pertama-Sekali-2026"}).status_code == 302
    result = app.test_cli_runner().invoke(args=["tenants", "onboard", str(ROOT / "tenants" / "ambon.toml")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        web = _entries("kota-baru")
        assert [(e.action, e.actor_label) for e in web] == [
            ("tenant.create", "platform:operator"), ("user.create", "platform:operator")]
        assert web[1].after["password_set"] is True and "Pertama-Sekali-2026" not in json.dumps(web[1].after)
        cli = _entries("ambon")
        assert [(e.action, e.actor_label, e.actor_user_id) for e in cli] == [
            ("tenant.create", "cli", None), ("user.create", "cli", None)]
        assert "password_set" not in cli[1].after and cli[1].after["has_password"] is False


def test_unchanged_saves_and_onboarding_reruns_add_nothing(app_context, two_tenants):
    from app.platform.services import TenantSpec, onboard

    a, _ = two_tenants
    count = len(_entries("kota-a"))
    with tenant_scope(a.tenant):
        unit = db.session.get(Unit, a.unit_id)
        services.save_unit(services.UnitData(unit.code, unit.name, unit.kind.value, unit.parent_id), unit)
        db.session.commit()
    onboard(TenantSpec(slug="kota-a", name="Pemerintah Kota Kota-A", level="kota", province="Uji",
                       rule_set="nasional", admin_password=PASSWORD))
    assert len(_entries("kota-a")) == count
    onboard(TenantSpec(slug="kota-a", name="Pemerintah Kota A", level="kota", province="Uji",
                       rule_set="nasional"))
    [entry] = _entries("kota-a", AuditEntry.seq > count)
    assert entry.action == "tenant.update" and entry.after["name"] == "Pemerintah Kota A"


def test_a_rolled_back_change_leaves_no_entry_and_no_gap(app_context, two_tenants):
    a, _ = two_tenants
    count = len(_entries("kota-a"))
    with tenant_scope(a.tenant):
        services.save_unit(services.UnitData("BATAL", "Unit Batal", "lainnya"))
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == count + 1
        db.session.rollback()
    assert len(_entries("kota-a")) == count
    with tenant_scope(a.tenant):
        services.save_unit(services.UnitData("JADI", "Unit Jadi", "lainnya"))
        db.session.commit()
    last = _entries("kota-a")[-1]
    assert last.seq == count + 1 and last.after["code"] == "JADI"
    assert _verify("kota-a").ok


def test_a_refused_web_change_leaves_no_entry(app, client, two_tenants):
    a, _ = two_tenants
    with app.app_context():
        count = len(_entries("kota-a"))
    _admin(client)
    # The unit still has positions: refused, rolled back, nothing recorded.
    assert _post(client, f"/kota-a/admin/unit/{a.unit_id}/nonaktifkan", {}).status_code == 302
    with app.app_context():
        assert len(_entries("kota-a")) == count


def test_passwords_never_enter_the_trail(app, client, owner_engine, two_tenants):
    a, _ = two_tenants
    with app.app_context(), tenant_scope(a.tenant):
        penilai = db.session.get(User, a.user_ids["penilai"])
        penilai_form = {"username": "penilai", "employee_nip": penilai.employee.nip, "password": NEW_PASSWORD,
                        "version": str(penilai.version)}
    _admin(client)
    # The admin creates an account with a password, then resets another's.
    assert _post(client, "/kota-a/admin/akun/baru", {
        "username": "operator.baru", "employee_nip": "", "password": PASSWORD + "-X"}).status_code == 302
    assert _post(client, f"/kota-a/admin/akun/{a.user_ids['penilai']}", penilai_form).status_code == 302
    # A user changes their own password.
    pegawai = app.test_client()
    login(pegawai, "kota-a", "pegawai")
    assert pegawai.post("/kota-a/akun/kata-sandi", data={
        "csrf_token": csrf_token(pegawai, "/kota-a/akun/kata-sandi"), "current_password": PASSWORD,
        "new_password": NEW_PASSWORD + "!", "confirm": NEW_PASSWORD + "!"}).status_code == 302
    # And an operator sets one on the command line.
    result = app.test_cli_runner().invoke(args=["accounts", "set-password", "kota-a", "atasan"],
                                          input=f"{NEW_PASSWORD}?\n{NEW_PASSWORD}?\n")
    assert result.exit_code == 0, result.output

    with app.app_context():
        created = _entries("kota-a", AuditEntry.action == "user.create")[-1]
        assert created.after["username"] == "operator.baru" and created.after["password_set"] is True
        assert created.after["has_password"] is True and created.actor_label == "admin"
        reset = _entries("kota-a", AuditEntry.action == "user.update")[-1]
        assert reset.object_id == a.user_ids["penilai"] and reset.after["password_set"] is True
        changes = _entries("kota-a", AuditEntry.action == "user.password_change")
        assert [(e.object_id, e.actor_label, e.after) for e in changes] == [
            (a.user_ids["pegawai"], "pegawai", {"password_set": True}),
            (a.user_ids["atasan"], "cli", {"password_set": True}),
        ]
        with all_tenants("test: every password hash"):
            hashes = [h for h in db.session.scalars(select(User.password_hash)) if h]
    raw = _raw_audit_text(owner_engine)
    for secret in (PASSWORD, PASSWORD + "-X", NEW_PASSWORD, NEW_PASSWORD + "!", NEW_PASSWORD + "?", *hashes):
        assert secret not in raw
    assert "$argon2" not in raw and "password_hash" not in raw


def test_secret_fields_are_left_out_of_snapshots(app_context, two_tenants):
    a, _ = two_tenants
    with tenant_scope(a.tenant):
        user = db.session.get(User, a.user_ids["pegawai"])
        snap = audit.snapshot(user)
    assert "password_hash" not in snap and snap["has_password"] is True
    assert not {"version", "tenant_id", "last_login_at", "password_changed_at"} & set(snap)
    assert audit.services.plain({"settings": {"smtp_password": "rahasia", "api_key": "k", "has_password": True}}) == {
        "settings": {"smtp_password": "[redacted]", "api_key": "[redacted]", "has_password": True}}


def test_no_nip_reaches_the_application_log(app, client, owner_engine, two_tenants, caplog):
    a, _ = two_tenants
    caplog.set_level(logging.DEBUG, logger="app")
    with app.app_context(), tenant_scope(a.tenant):
        employee = db.session.get(Employee, a.pegawai_id)
        nip, form = employee.nip, _employee_form(employee, name="Nama Baru")
    _admin(client)
    assert _post(client, f"/kota-a/admin/pegawai/{a.pegawai_id}", form).status_code == 302
    with app.app_context():
        entry = _entries("kota-a")[-1]
        _set_after(owner_engine, entry.tenant_id, entry.seq, {**entry.after, "nip": "000"})
        assert not _verify("kota-a").ok  # logs a warning about the broken chain
    assert any("broken at seq" in r.getMessage() for r in caplog.records)
    assert nip not in caplog.text and "Nama Baru" not in caplog.text


# --- the chain catches tampering ----------------------------------------------------------

def test_an_intact_chain_verifies(app_context, two_tenants):
    result = _verify("kota-a")
    assert result.ok and result.count == len(_entries("kota-a")) > 10
    assert result.head_seq == result.count and result.head_hash == _entries("kota-a")[-1].hash


def test_the_hash_covers_every_field(app_context, two_tenants):
    entry = _entries("kota-a")[2]
    assert compute_hash(entry) == entry.hash
    for field, value in [("actor_label", "someone"), ("reason", "x"), ("object_id", 999), ("seq", 99),
                         ("after", {"name": "lain"}), ("before", {}), ("occurred_at", datetime(2020, 1, 1, tzinfo=UTC).replace(tzinfo=None)),
                         ("employee_id", 1), ("action", "unit.delete"), ("prev_hash", "f" * 64)]:
        original = getattr(entry, field)
        setattr(entry, field, value)
        assert compute_hash(entry) != entry.hash, field
        setattr(entry, field, original)
    db.session.rollback()


def _victim(index: int = 4) -> SimpleNamespace:
    """A plain copy of one of tenant A's entries (the ORM object expires on rollback)."""
    entry = _entries("kota-a")[index]
    copy = SimpleNamespace(id=entry.id, **{name: getattr(entry, name) for name in HASHED_FIELDS})
    db.session.rollback()
    return copy


def test_an_altered_row_is_named(app_context, owner_engine, two_tenants):
    victim = _victim()
    _set_after(owner_engine, victim.tenant_id, victim.seq, {**victim.after, "name": "Diubah Diam-diam"})
    result = _verify("kota-a")
    assert not result.ok
    assert (result.bad_seq, result.bad_id) == (victim.seq, victim.id)
    assert "altered" in result.problem and result.head_seq == victim.seq - 1


def test_an_altered_row_with_a_recomputed_hash_is_caught_at_the_next(app_context, owner_engine, two_tenants):
    victim = _victim()
    victim.after = {**victim.after, "name": "Diubah Diam-diam"}
    _set_after(owner_engine, victim.tenant_id, victim.seq, victim.after)
    _owner_sql(owner_engine, "UPDATE audit_entry SET hash = :h WHERE tenant_id = :t AND seq = :s",
               h=compute_hash(victim), t=victim.tenant_id, s=victim.seq)
    result = _verify("kota-a")
    assert not result.ok and result.bad_seq == victim.seq + 1
    assert f"entry seq {victim.seq}" in result.problem and "prev_hash" in result.problem


def test_a_deleted_middle_row_is_named(app_context, owner_engine, two_tenants):
    victim, after_it = _victim(2), _victim(3)
    assert _owner_sql(owner_engine, "DELETE FROM audit_entry WHERE tenant_id = :t AND seq = :s",
                      t=victim.tenant_id, s=victim.seq) == 1
    result = _verify("kota-a")
    assert not result.ok and (result.bad_seq, result.bad_id) == (4, after_it.id)
    assert "seq 3 is missing" in result.problem
    # Tenant B's chain is untouched.
    assert _verify("kota-b").ok


def test_entries_cut_from_the_end_are_caught_with_an_anchor(app_context, owner_engine, two_tenants):
    tenant = _tenant("kota-a")
    head = _verify("kota-a")
    db.session.rollback()
    _owner_sql(owner_engine, "DELETE FROM audit_entry WHERE tenant_id = :t AND seq = :s", t=tenant.id, s=head.head_seq)
    assert _verify("kota-a").ok  # a shorter chain is consistent by itself…
    result = _verify("kota-a", anchor=(head.head_seq, head.head_hash))
    assert not result.ok and result.bad_seq == head.head_seq and "cut short" in result.problem


def test_the_orm_refuses_to_change_or_delete_entries(app_context, two_tenants):
    with tenant_scope(_tenant("kota-a")):
        entry = db.session.scalars(select(AuditEntry)).first()
        entry.reason = "belakangan"
        with pytest.raises(AuditEntryImmutable):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.scalars(select(AuditEntry)).first())
        with pytest.raises(AuditEntryImmutable):
            db.session.flush()
        db.session.rollback()


# --- flask audit verify ----------------------------------------------------------------------

def test_cli_verify_ok_and_failures(app, owner_engine, two_tenants):
    runner = app.test_cli_runner()
    with app.app_context():
        entries = _entries("kota-a")
        tenant_id = entries[0].tenant_id
    result = runner.invoke(args=["audit", "verify", "kota-a"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"OK: {len(entries)} entries"
    head_line = result.output.splitlines()[1]
    assert head_line == f"head: {entries[-1].seq}:{entries[-1].hash}"

    _set_after(owner_engine, tenant_id, 5, {"name": "palsu"})
    result = runner.invoke(args=["audit", "verify", "kota-a"])
    assert result.exit_code == 1
    assert f"FAIL: kota-a: entry seq 5 (id {entries[4].id}): hash mismatch" in result.output

    _owner_sql(owner_engine, "DELETE FROM audit_entry WHERE tenant_id = :t AND seq IN (5, 6)", t=tenant_id)
    result = runner.invoke(args=["audit", "verify", "kota-a"])
    assert result.exit_code == 1
    assert f"entry seq 7 (id {entries[6].id}): entries seq 5-6 are missing" in result.output
    assert runner.invoke(args=["audit", "verify", "kota-b"]).exit_code == 0

    _owner_sql(owner_engine, "DELETE FROM audit_entry WHERE tenant_id = :t AND seq >= 5", t=tenant_id)
    assert runner.invoke(args=["audit", "verify", "kota-a"]).exit_code == 0
    result = runner.invoke(args=["audit", "verify", "kota-a", "--anchor", head_line.split(" ", 1)[1]])
    assert result.exit_code == 1 and "cut short" in result.output

    result = runner.invoke(args=["audit", "verify", "kota-z"])
    assert result.exit_code == 1 and "No tenant kota-z" in result.output


# --- who sees the trail ---------------------------------------------------------------------

def test_only_the_tenants_admin_sees_its_trail(app, client, two_tenants):
    a, b = two_tenants
    login(client, "kota-a", "pegawai")
    assert client.get("/kota-a/admin/audit/").status_code == 403
    assert client.get(f"/kota-a/admin/audit/pegawai/{a.pegawai_id}").status_code == 403

    admin_b = _admin(app.test_client(), "kota-b")
    page = admin_b.get("/kota-b/admin/audit/").get_data(as_text=True)
    assert "Beta Pegawai Kota-B" in page and "Pegawai Kota-A" not in page and "kota-a" not in page
    # A's employee is a 404 at B, as a missing one is; filtering by A's ids finds nothing.
    assert admin_b.get(f"/kota-b/admin/audit/pegawai/{a.pegawai_id}").status_code == 404
    assert admin_b.get("/kota-b/admin/audit/pegawai/999999").status_code == 404
    page = admin_b.get(f"/kota-b/admin/audit/?object_type=employee&object_id={a.pegawai_id}").get_data(as_text=True)
    assert "Belum ada catatan." in page
    # B's admin is anonymous at A.
    assert admin_b.get("/kota-a/admin/audit/").status_code == 302


def test_filters_and_paging(app, client, two_tenants):
    a, _ = two_tenants
    with app.app_context(), tenant_scope(a.tenant):
        for i in range(app.config["PAGE_SIZE"] + 5):
            services.save_unit(services.UnitData(f"F{i:03d}", f"Unit Saring {i:03d}", "lainnya"))
        db.session.commit()
        employee = db.session.get(Employee, a.pegawai_id)
        form = _employee_form(employee, name="Pegawai Disaring")
    _admin(client)
    _post(client, f"/kota-a/admin/pegawai/{a.pegawai_id}", form)

    newest = client.get("/kota-a/admin/audit/").get_data(as_text=True)
    assert "Pegawai Disaring" in newest and "Unit Saring 001" not in newest
    units = client.get("/kota-a/admin/audit/?object_type=unit").get_data(as_text=True)
    assert "Unit Saring 029" in units and "Pegawai Disaring" not in units
    second = client.get("/kota-a/admin/audit/?object_type=unit&page=2").get_data(as_text=True)
    assert "Unit Saring 001" in second and "Unit Saring 029" not in second
    assert "object_type=unit" in units.split('class="pager"')[1]  # paging keeps the filter
    by_admin = client.get("/kota-a/admin/audit/?actor=admin").get_data(as_text=True)
    assert "Pegawai Disaring" in by_admin and "Unit Saring" not in by_admin
    today = tenant_today()
    in_range = client.get(f"/kota-a/admin/audit/?date_from={today - timedelta(days=1)}&date_to={today + timedelta(days=1)}")
    assert "Pegawai Disaring" in in_range.get_data(as_text=True)
    tomorrow = client.get(f"/kota-a/admin/audit/?date_from={today + timedelta(days=2)}").get_data(as_text=True)
    assert "Belum ada catatan." in tomorrow
    past = client.get(f"/kota-a/admin/audit/?date_to={today - timedelta(days=2)}").get_data(as_text=True)
    assert "Belum ada catatan." in past
    # A bad date is shown as an error and ignored, not a 500.
    assert client.get("/kota-a/admin/audit/?date_from=kemarin").status_code == 200
    # The employee's trail holds the employee's own entries (and their account's).
    trail = client.get(f"/kota-a/admin/audit/pegawai/{a.pegawai_id}").get_data(as_text=True)
    assert "Pegawai Disaring" in trail and "Unit Saring" not in trail


def test_trail_pages_cost_the_same_queries_whatever_their_length(app, client, two_tenants):
    a, _ = two_tenants
    _admin(client)
    counts = []
    for extra in (0, 40):
        with app.app_context():
            with tenant_scope(a.tenant):
                for i in range(extra):
                    services.save_position(services.PositionData(
                        f"Q{i:03d}", f"Jabatan {i}", "pelaksana", a.unit_id, a.position_ids["KASI"]))
                db.session.commit()
            statements: list[str] = []

            def count(conn, cursor, statement, *args, statements=statements):
                statements.append(statement)

            event.listen(db.engine, "before_cursor_execute", count)
            try:
                assert client.get("/kota-a/admin/audit/").status_code == 200
                assert client.get(f"/kota-a/admin/audit/pegawai/{a.pegawai_id}").status_code == 200
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
            counts.append(len(statements))
    assert counts[0] == counts[1]


# --- schema and PostgreSQL -------------------------------------------------------------------

def test_the_migration_creates_the_table_the_model_describes(app_context, owner_engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with owner_engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), db.metadata)

    def about_audit(diff) -> bool:
        text_of = repr(diff)
        return "audit_entry" in text_of

    assert [d for d in diffs if about_audit(d)] == []


@pytest.fixture
def pg(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL only: roles, grants and advisory locks (CI runs this on PostgreSQL)")
    return app


def test_the_app_role_can_only_append(pg, app_context, owner_engine, two_tenants):
    tenant = _tenant("kota-a")
    db.session.remove()
    for statement in ("UPDATE audit_entry SET reason = 'x'", "DELETE FROM audit_entry",
                      "TRUNCATE audit_entry"):
        with db.engine.connect() as conn:  # the application's role, tenant A set
            conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant.id)})
            assert conn.execute(text("SELECT count(*) FROM audit_entry")).scalar() > 0
            with pytest.raises(ProgrammingError, match="permission denied"):
                conn.execute(text(statement))
    # The owner (migrations, and these tests' tamperer) still can.
    assert _owner_sql(owner_engine, "UPDATE audit_entry SET reason = 'x' WHERE tenant_id = :t AND seq = 1",
                      t=tenant.id) == 1


def test_rls_hides_other_tenants_entries_from_raw_sql(pg, app_context, two_tenants):
    a, b = _tenant("kota-a"), _tenant("kota-b")
    db.session.remove()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_entry")).scalar() == 0
        conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(a.id)})
        assert set(conn.execute(text("SELECT tenant_id FROM audit_entry")).scalars()) == {a.id}
        with pytest.raises(ProgrammingError, match="row-level security"):
            conn.execute(text(
                "INSERT INTO audit_entry (tenant_id, seq, occurred_at, actor_label, action, object_type, "
                "prev_hash, hash) VALUES (:b, 999, now(), 'x', 'x.y', 'x', '', '')"), {"b": b.id})


def _append_concurrently(app, tenant_ref, hold_seconds: float = 0.6):
    """Writer one appends and holds its transaction open; writer two appends
    meanwhile. Returns (seq of one, seq of two, errors, whether two waited)."""
    recorded, seqs, errors = threading.Event(), {}, []

    def writer(name: str) -> None:
        try:
            with app.app_context(), tenant_scope(tenant_ref):
                unit = services.save_unit(services.UnitData(f"CC-{name}", f"Unit {name}", "lainnya"))
                if name == "one":
                    recorded.set()
                    time.sleep(hold_seconds)
                db.session.commit()
                seqs[name] = _entries(tenant_ref.slug, AuditEntry.object_type == "unit",
                                      AuditEntry.object_id == unit.id)[0].seq
        except Exception as exc:  # reported by the test
            errors.append(exc)
            recorded.set()
        finally:
            with app.app_context():
                db.session.remove()

    one = threading.Thread(target=writer, args=("one",))
    one.start()
    recorded.wait(10)
    started = time.monotonic()
    two = threading.Thread(target=writer, args=("two",))
    two.start()
    two.join(20)
    waited = time.monotonic() - started
    one.join(20)
    return seqs.get("one"), seqs.get("two"), errors, waited


def test_concurrent_appends_get_consecutive_seqs(pg, app, two_tenants):
    a, _ = two_tenants
    with app.app_context():
        count = len(_entries("kota-a"))
    one, two, errors, waited = _append_concurrently(app, a.tenant)
    assert errors == []
    assert (one, two) == (count + 1, count + 2)
    assert waited >= 0.3  # writer two queued behind writer one's lock
    with app.app_context():
        assert _verify("kota-a").ok


def test_without_the_lock_concurrent_appends_would_collide(pg, app, two_tenants, monkeypatch):
    """Shows the test above can fail: with the advisory lock replaced by a no-op
    both writers read the same tail, and the unique (tenant_id, seq) refuses the second."""
    a, _ = two_tenants
    monkeypatch.setattr(audit.services, "_LOCK_TAIL", text("SELECT :namespace + :tenant_id"))
    one, two, errors, _ = _append_concurrently(app, a.tenant)
    assert one is not None and two is None
    assert len(errors) == 1
    # (Leaving tenant_scope() after a failed flush re-raises it as PendingRollbackError.)
    cause = errors[0] if isinstance(errors[0], IntegrityError) else errors[0].__context__
    assert isinstance(cause, IntegrityError) and "uq_audit_entry_tenant_id_seq" in str(cause)
    with app.app_context():
        assert _verify("kota-a").ok  # refused, never forked


# --- how the trail reads ------------------------------------------------------------------------

def test_the_trail_reads_as_who_changed_what_from_what_to_what(app, client, two_tenants):
    a, _ = two_tenants
    with app.app_context(), tenant_scope(a.tenant):
        employee = db.session.get(Employee, a.pegawai_id)
        other = db.session.get(Position, a.position_ids["KASI"])
        old_position, new_position = employee.position.name, other.name
        form = _employee_form(employee, position_id=str(other.id), sex="P")
    _admin(client)
    # The KASI position has one holder: move its holder away first.
    with app.app_context(), tenant_scope(a.tenant):
        penilai = db.session.get(Employee, a.penilai_id)
        services.save_employee(services.EmployeeData(penilai.nip, penilai.name, penilai.sex.value,
                                                     penilai.employee_type.value, None), penilai)
        db.session.commit()
    assert _post(client, f"/kota-a/admin/pegawai/{a.pegawai_id}", form).status_code == 302
    page = client.get(f"/kota-a/admin/audit/pegawai/{a.pegawai_id}").get_data(as_text=True)
    assert f"admin mengubah data pegawai {form['name']}" in page
    assert f"Jabatan dari {old_position} menjadi {new_position}" in page
    assert "Sistem menambahkan pegawai" in page  # the fixture's creation, by no one signed in
    for code in ("position_id", "employee.update", "employee.create", "{", "&#34;"):
        assert code not in page.split("<table>")[1]


def test_every_recorded_action_has_a_sentence():
    import re
    from pathlib import Path

    from app.audit.labels import ACTION_SENTENCES

    root = Path(__file__).resolve().parent.parent / "app"
    source = "\n".join(path.read_text() for path in root.rglob("*.py"))
    actions = set(re.findall(r'(?:audit\.record|audit_child|\brecord)\(\s*"([a-z_]+\.[a-z_]+)"', source))
    actions |= set(re.findall(r'"([a-z_]+\.[a-z_]+)" if (?:before|active)', source))
    actions |= set(re.findall(r'else "([a-z_]+\.[a-z_]+)", ', source))
    assert len(actions) > 40
    assert sorted(actions - set(ACTION_SENTENCES)) == []
    from app.skp.training.models import TrainingStatus
    assert {f"training.{status.value}" for status in TrainingStatus} <= set(ACTION_SENTENCES)


def test_unknown_actions_and_fields_never_show_their_codes(app_context):
    from app.audit.labels import field_label, sentence

    assert sentence("widget.frobnicate", "widget_thing", "admin", "X") == "admin mencatat perubahan pada widget thing X"
    assert sentence("training.recommend", "training_record", "system", "Budi") == \
        "Sistem merekomendasikan pelatihan untuk Budi"
    assert sentence("user.update", "user", "platform:operator", "admin") == "operator platform operator mengubah akun admin"
    assert field_label("reports_to_id") == "Jabatan atasan" and field_label("new_thing_id") == "New thing"


def test_every_audited_column_has_an_indonesian_label(app_context):
    """Every field ``audit.snapshot`` records, for every audited model, reads as a label:
    no "Copied from" made from ``copied_from_id``."""
    from sqlalchemy import inspect

    from app import models
    from app.audit.labels import FIELD_LABELS
    from app.audit.services import NOT_AUDITED, SECRET_NAME

    bookkeeping = {"AuditEntry", "LoginAttempt", "UserSession", "Notification", "ScheduledTask"}
    audited = [getattr(models, name) for name in models.__all__
               if hasattr(getattr(models, name), "__table__") and name not in bookkeeping
               # citizens' surveys, complaints and publications write no audit entries (checked below)
               and not getattr(models, name).__module__.startswith("app.publik")]
    assert len(audited) > 15
    missing = sorted(
        f"{model.__name__}.{attr.key}" for model in audited for attr in inspect(model).column_attrs
        if attr.key not in NOT_AUDITED | frozenset(getattr(model, "__audit_exclude__", ()))
        and not SECRET_NAME.search(attr.key) and attr.key not in FIELD_LABELS)
    assert missing == []
    from pathlib import Path
    publik = Path(__file__).resolve().parent.parent / "app" / "publik"
    assert not [p for p in publik.rglob("*.py") if "audit.record" in p.read_text()], \
        "app.publik now audits: label its columns and drop the exclusion above"
    # What services record besides columns (the evaluation's entries, peer ratings, imports, accounts).
    from dataclasses import fields

    from app.skp.evaluation.entries import RatingData
    extra = {f.name for f in fields(RatingData)} | {"role", "scores", "rater_id", "applied", "create", "update",
                                                    "password_set", "two_factor", "recovery_code_used",
                                                    "two_factor_required_for_admins", "has_password"}
    assert sorted(extra - set(FIELD_LABELS)) == []


def test_the_trail_shows_labels_of_values_and_summarises_machine_fields(app, client, two_tenants):
    from tests.conftest import make_cycle

    a, _ = two_tenants
    with app.app_context():
        cycle = make_cycle(a)
        with tenant_scope(a.tenant):
            from app.skp.evaluation.models import Evaluation
            from app.skp.planning.models import Plan
            evaluation = db.session.get(Evaluation, cycle.final_evaluation_id)
            before = audit.snapshot(evaluation)
            evaluation.inputs = {"hasil_kerja_rating": "di_bawah", "behaviour_scores": {"berorientasi-pelayanan": 70}}
            evaluation.result = {"kind": "period", "period": {"predikat_code": "butuh_perbaikan"}}
            evaluation.predikat_code = "butuh_perbaikan"
            audit.record("evaluation.objection_change", evaluation, before)
            plan = db.session.get(Plan, cycle.plan_id)
            plan_before = audit.snapshot(plan)
            plan.copied_from_id = None
            plan.unit_name = "Dinas Baru"
            audit.record("plan.update", plan, plan_before)
            db.session.commit()
    _admin(client)
    page = client.get("/kota-a/admin/audit/").get_data(as_text=True).split("<table>")[1]
    assert "rincian perhitungan diperbarui" in page and "&#34;kind&#34;" not in page
    assert "Di bawah ekspektasi" in page and "di_bawah" not in page
    assert "Berorientasi Pelayanan" in page and "berorientasi-pelayanan" not in page
    assert "Butuh Perbaikan" in page and "butuh_perbaikan" not in page
    assert "Unit kerja saat SKP disusun dari Dinas menjadi Dinas Baru" in page
    assert "Unit name" not in page


def test_dates_and_times_in_the_trail_read_as_people_write_them(app, client, two_tenants):
    """No ISO strings or microseconds on the page (issue #8 item 2): a stored
    timestamp shows in the tenant's zone, a date as dd-mm-yyyy; bookkeeping
    timestamps (updated_at) are not recorded at all."""
    a, _ = two_tenants
    with app.app_context(), tenant_scope(a.tenant):
        unit = db.session.scalar(select(Unit).where(Unit.id == a.unit_id))
        audit.record("unit.update", unit, {"name": unit.name, "starts_on": "2026-01-05",
                                           "last_seen": "2026-05-01T08:00:00.123456"},
                     {"name": unit.name, "starts_on": "2026-03-31",
                      "last_seen": "2026-05-01T09:30:00.654321"})
        assert "updated_at" not in audit.snapshot(db.session.get(Employee, a.pegawai_id))
        db.session.commit()
        db.session.remove()
    _admin(client)
    page = client.get("/kota-a/admin/audit/").get_data(as_text=True)
    assert "05-01-2026" in page and "31-03-2026" in page
    assert "01-05-2026 15:00" in page and "01-05-2026 16:30" in page  # 08:00 / 09:30 UTC in Jakarta
    assert "2026-05-01T" not in page and ".123456" not in page
