"""A tenant's data leaves as one archive and comes back whole; a person downloads
their own data; citizens' contacts are blanked after the retention period."""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, make_url, pool, select, text
from sqlalchemy.exc import ProgrammingError

from app import create_app
from app import models as m
from app.audit import verify
from app.errors import Conflict, Invalid
from app.extensions import db
from app.portability.archive import export_tenant
from app.portability.codec import tenant_tables
from app.portability.importer import import_archive
from app.portability.retention import apply_retention
from app.publik.models import ComplaintCategory, ComplaintStatus
from app.storage import storage
from app.tenancy import all_tenants, tenant_scope, utc_now
from tests.conftest import login, make_cycle, make_org, make_tenant
from tests.publik_support import add_publik_objects

EVIDENCE_BYTES = b"%PDF-1.4 laporan triwulan\n"


@pytest.fixture(scope="module")
def second_url(tmp_path_factory):
    """A second, empty database of the same kind as the suite's."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path_factory.mktemp('second')}/second.db"
        return
    from app.config import normalise_database_url
    url = normalise_database_url(url)
    name = f"kinerja_test_{os.getpid()}_import"
    server = create_engine(url, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except ProgrammingError:
        pytest.skip("no CREATEDB right for a second database")
    yield make_url(url).set(database=name).render_as_string(hide_password=False)
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture(scope="module")
def migrated_second_app(second_url, tmp_path_factory):
    target = create_app("testing", {"SQLALCHEMY_DATABASE_URI": second_url,
                                    "UPLOAD_ROOT": str(tmp_path_factory.mktemp("second-uploads"))})
    with target.app_context():
        upgrade(revision="heads")
    return target


@pytest.fixture
def second_app(migrated_second_app, second_url):
    target = migrated_second_app
    yield target
    with target.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        engine = create_engine(second_url, poolclass=pool.NullPool)
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - our own table names
        engine.dispose()


@pytest.fixture
def source(app, tmp_path, monkeypatch):
    """Tenant A with an organisation, an appraisal year, an uploaded evidence file,
    citizens' objects, and tenant B beside it (which must not travel)."""
    monkeypatch.setitem(app.config, "UPLOAD_ROOT", str(tmp_path / "uploads"))
    with app.app_context():
        a = make_org(make_tenant("kota-a"))
        make_org(make_tenant("kota-b"), prefix="Beta ")
        cycle = make_cycle(a)
        add_publik_objects(a)
        with tenant_scope(a.tenant):
            key = storage().save(a.tenant.id, EVIDENCE_BYTES)
            db.session.add(m.Evidence(realisation_id=cycle.realisation_id, kind=m.EvidenceKind.FILE,
                                      storage_key=key, original_name="laporan.pdf",
                                      content_type="application/pdf", size=len(EVIDENCE_BYTES)))
            db.session.commit()
        db.session.remove()
    return a, cycle


def _export(app, slug="kota-a") -> bytes:
    with app.app_context():
        with all_tenants("test"):
            tenant = db.session.scalar(select(m.Tenant).where(m.Tenant.slug == slug))
        out = io.BytesIO()
        export_tenant(tenant, out)
        db.session.remove()
    return out.getvalue()


def _counts(app, tenant_id: int) -> dict[str, int]:
    with app.app_context(), all_tenants("test"):
        result = {}
        for table in tenant_tables():
            column = table.c.id if table.name == "tenant" else table.c.tenant_id
            result[table.name] = db.session.scalar(select(func.count()).select_from(table).where(column == tenant_id))
        db.session.remove()
        return result


def _page(app, url: str) -> str:
    client = app.test_client()
    assert login(client, "kota-a", "pegawai").status_code == 302
    response = client.get(url)
    assert response.status_code == 200
    body = re.sub(r'value="[^"]*"', "", response.get_data(as_text=True))  # CSRF tokens differ
    body = re.sub(r"base64,[A-Za-z0-9+/=]+", "", body)  # charts carry a random id
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "", body)


def test_an_exported_tenant_imports_into_a_fresh_database_whole(app, second_app, source):
    a, cycle = source
    archive = _export(app)
    before = _counts(app, a.tenant.id)
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist())
        assert "kota-b" not in zf.read("tables/tenant.jsonl").decode()
        assert "Beta " not in zf.read("tables/employee.jsonl").decode()
    assert manifest["tenant"]["slug"] == "kota-a" and manifest["audit"]["ok"]
    assert manifest["counts"] == {k: v for k, v in before.items()}
    assert "tables/user_session.jsonl" not in names and manifest["files"] == 1

    with second_app.app_context():
        tenant = import_archive(io.BytesIO(archive))
        assert tenant.id == a.tenant.id
        with all_tenants("test"):
            assert verify(tenant).ok
            evidence = db.session.scalar(select(m.Evidence).where(m.Evidence.kind == m.EvidenceKind.FILE))
            with storage().open(tenant.id, evidence.storage_key) as f:
                assert f.read() == EVIDENCE_BYTES
        db.session.remove()
    after = _counts(second_app, a.tenant.id)
    assert after.pop("audit_entry") == before.pop("audit_entry") + 1  # plus "tenant.import"
    assert after == before
    for url in ("/kota-a/", f"/kota-a/skp/{cycle.plan_id}"):
        assert _page(second_app, url) == _page(app, url)
    # New rows get new ids (the sequences moved past the imported ones).
    with second_app.app_context(), tenant_scope(tenant):
        db.session.add(m.TrainingCourse(code="BARU", name="Kursus baru", hours=2, topics=[]))
        db.session.commit()
        db.session.remove()
    # The same archive again: the tenant is already there.
    with second_app.app_context(), pytest.raises(Conflict):
        import_archive(io.BytesIO(archive))


def test_an_altered_archive_is_refused(app, second_app, source):
    archive = _export(app)
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    body = members["tables/employee.jsonl"]
    members["tables/employee.jsonl"] = body.replace(b"Pegawai", b"Pegawaj", 1)
    tampered = io.BytesIO()
    with zipfile.ZipFile(tampered, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    with second_app.app_context():
        with pytest.raises(Invalid, match="SHA-256"):
            import_archive(io.BytesIO(tampered.getvalue()))
        with all_tenants("test"):
            assert db.session.scalar(select(func.count()).select_from(m.Tenant)) == 0
        db.session.remove()
    with pytest.raises(Invalid), second_app.app_context():
        import_archive(io.BytesIO(b"not a zip"))


def test_the_cli_exports_and_imports_and_the_operator_downloads(app, second_app, source, tmp_path, monkeypatch):
    path = tmp_path / "kota-a.zip"
    result = app.test_cli_runner().invoke(args=["tenants", "export", "kota-a", str(path)])
    assert result.exit_code == 0, result.output
    assert "exported kota-a" in result.output
    result = second_app.test_cli_runner().invoke(args=["tenants", "import", str(path)])
    assert result.exit_code == 0, result.output
    result = second_app.test_cli_runner().invoke(args=["audit", "verify", "kota-a"])
    assert result.exit_code == 0, result.output
    result = second_app.test_cli_runner().invoke(args=["tenants", "import", str(path)])
    assert result.exit_code == 1 and "already exists" in result.output

    from tests.conftest import make_operator
    with app.app_context():
        make_operator()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    client = app.test_client()
    assert login(client, None, "operator").status_code == 302
    assert "Unduh arsip data" in client.get("/platform/").get_data(as_text=True)
    response = client.post("/platform/ekspor", data={"slug": "kota-a"})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as zf:
        assert json.loads(zf.read("manifest.json"))["tenant"]["slug"] == "kota-a"
    with app.app_context(), all_tenants("test"):
        actions = list(db.session.scalars(select(m.AuditEntry.action).where(
            m.AuditEntry.action == "tenant.export")))
        assert len(actions) == 2  # the command and the button
    # A tenant's own users cannot reach the button.
    other = app.test_client()
    login(other, "kota-a", "admin")
    assert other.post("/platform/ekspor", data={"slug": "kota-a"}).status_code in (302, 403, 404)


def test_an_employee_downloads_their_own_data_only(app, source, monkeypatch):
    a, cycle = source
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    client = app.test_client()
    assert login(client, "kota-a", "pegawai").status_code == 302
    assert "Unduh data saya" in client.get("/kota-a/akun/kata-sandi").get_data(as_text=True)
    response = client.post("/kota-a/akun/data-saya")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data())
    assert data["employee"]["id"] == a.pegawai_id and data["account"]["username"] == "pegawai"
    assert "password_hash" not in data["account"] and "totp_secret" not in data["account"]
    [plan] = data["plans"]
    assert plan["id"] == cycle.plan_id
    indicator = plan["results"][0]["indicators"][0]
    evidence = indicator["realisations"][0]["evidence"]
    assert {e["original_name"] for e in evidence} == {None, "laporan.pdf"}
    assert all("storage_key" not in e for e in evidence)
    # Final results only, as the pegawai's pages show them (make_cycle has a final Q1 and a draft Q2).
    assert plan["evaluations"] and {e["status"] for e in plan["evaluations"]} == {"final"}
    assert cycle.evaluation_id not in {e["id"] for e in plan["evaluations"]}
    # No colleague's record (their names; "penilai" alone is also a word of the result's messages).
    assert not {"Penilai Kota-A", "Peer Kota-A"} & set(re.findall(r"P\w+ Kota-A", response.get_data(as_text=True)))

    colleague = app.test_client()
    assert login(colleague, "kota-a", "penilai").status_code == 302
    theirs = json.loads(colleague.post("/kota-a/akun/data-saya").get_data())
    assert theirs["employee"]["id"] == a.penilai_id and theirs["plans"] == []
    assert colleague.get("/kota-a/akun/data-saya").status_code == 405


def test_retention_blanks_only_old_closed_complaints(app, source):
    a, _ = source
    with app.app_context(), tenant_scope(a.tenant):
        now = utc_now()
        rows = []
        for code, status, closed in [("LAMA23456789", ComplaintStatus.SELESAI, now - timedelta(days=400)),
                                     ("BARU23456789", ComplaintStatus.SELESAI, now - timedelta(days=10)),
                                     ("BUKA23456789", ComplaintStatus.DIJAWAB, None)]:
            rows.append(m.Complaint(tracking_code=code, category=ComplaintCategory.PERILAKU, unit_id=a.unit_id,
                                    description="Antrean lama", contact="08123456789", status=status,
                                    received_on=now.date(), closed_at=closed))
        db.session.add_all(rows)
        db.session.commit()
        assert apply_retention(a.tenant) == 1
        contacts = dict(db.session.execute(select(m.Complaint.tracking_code, m.Complaint.contact)).all())
        assert contacts["LAMA23456789"] is None
        assert contacts["BARU23456789"] == contacts["BUKA23456789"] == "08123456789"
        entry = db.session.scalars(select(m.AuditEntry).order_by(m.AuditEntry.seq.desc())).first()
        assert entry.action == "tenant.contact_retention"
        assert entry.after == {"retention_days": 365, "cleared_contacts": 1}
        assert "0812" not in json.dumps(entry.after)
        db.session.remove()
    result = app.test_cli_runner().invoke(args=["publik", "apply-retention"])
    assert result.exit_code == 0 and "kota-a: 0 contacts blanked" in result.output
