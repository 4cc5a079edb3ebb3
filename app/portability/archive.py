"""A tenant's complete data as one ZIP archive.

Members:

- ``tables/<table>.jsonl``: every row of every tenant-owned table (see
  ``codec.tenant_tables``), one JSON object a line, in primary-key order — the
  audit trail (``tables/audit_entry.jsonl``) among them, ids and hashes as they are;
- ``files/<key>``: every file in storage a row points at (evidence, objection
  files, the document logo, issued PDFs, finished bundles);
- ``manifest.json``: format and version, the schema revision, the tenant, row
  counts per table, the audit chain's head and state, and the SHA-256 of every
  other member — an importer refuses an archive in which one byte changed.

Accounts travel with their password hashes, two-step secrets and recovery-code
hashes (a Pemda moving its data keeps its accounts), API tokens with their
hashes; no plaintext secret exists to export. Sessions, sign-in attempts, the
API's replay cache and the public forms' rate-limit ledger stay behind, and so
does the signing certificate (see ``codec.BLANKED_COLUMNS``). The archive is
personal data: keep it like a database backup.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import create_engine, pool, select, text

from app.audit import verify
from app.extensions import db
from app.portability.codec import TENANT_TABLE, encode, storage_key_columns, tenant_tables
from app.storage import KEY_PATTERN, StorageError, storage
from app.tenancy import tenant_scope
from app.tenancy.current import utc_now
from app.tenancy.models import Tenant

FORMAT = "kinerja-tenant-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1 << 16


def schema_revision() -> str:
    """The database's Alembic revision(s), as the archive records them (read as
    the tables' owner: the application's PostgreSQL role may not read Alembic's table)."""
    owner = create_engine(db.engine.url, poolclass=pool.NullPool)
    try:
        with owner.connect() as conn:
            return ",".join(sorted(conn.scalars(text("SELECT version_num FROM alembic_version"))))
    finally:
        owner.dispose()


def table_member(name: str) -> str:
    return f"tables/{name}.jsonl"


def file_member(key: str) -> str:
    return f"files/{key}"


def _rows(table, tenant_id: int) -> Iterator[Any]:
    where = table.c.id == tenant_id if table.name == TENANT_TABLE else table.c.tenant_id == tenant_id
    statement = select(table).where(where).order_by(*table.primary_key.columns)
    yield from db.session.execute(statement.execution_options(yield_per=1000))


def export_tenant(tenant: Tenant, out: IO[bytes]) -> dict[str, Any]:
    """Write ``tenant``'s archive to ``out`` (a binary file); return its manifest.

    Reads as the tenant (row-level security applies); on PostgreSQL in one
    REPEATABLE READ transaction, so the archive is one consistent moment."""
    db.session.rollback()
    if db.engine.dialect.name == "postgresql":
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    with tenant_scope(tenant):
        try:
            manifest = _write(tenant, out)
        finally:
            db.session.rollback()
    return manifest


def _write(tenant: Tenant, out: IO[bytes]) -> dict[str, Any]:
    members: dict[str, str] = {}
    counts: dict[str, int] = {}
    keys: set[str] = set()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for table in tenant_tables():
            key_columns = storage_key_columns(table)
            digest, count = hashlib.sha256(), 0
            with zf.open(table_member(table.name), "w") as member:
                for row in _rows(table, tenant.id):
                    line = (json.dumps(encode(table, row), ensure_ascii=False, sort_keys=True) + "\n").encode()
                    member.write(line)
                    digest.update(line)
                    count += 1
                    keys.update(value for value in (getattr(row, c) for c in key_columns)
                                if isinstance(value, str) and KEY_PATTERN.fullmatch(value))
            members[table_member(table.name)] = digest.hexdigest()
            counts[table.name] = count
        missing = []
        for key in sorted(keys):
            try:
                source = storage().open(tenant.id, key)
            except StorageError:
                missing.append(key)  # a row points at a file that is gone: said so, not fatal
                continue
            digest = hashlib.sha256()
            with source, zf.open(file_member(key), "w") as member:
                while chunk := source.read(CHUNK):
                    member.write(chunk)
                    digest.update(chunk)
            members[file_member(key)] = digest.hexdigest()
        chain = verify(tenant)
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "schema_revision": schema_revision(),
            "exported_at": utc_now().isoformat() + "Z",
            "tenant": {"id": tenant.id, "slug": tenant.slug, "name": tenant.name},
            "counts": counts, "files": len(keys) - len(missing), "missing_files": missing,
            "audit": {"ok": chain.ok, "count": chain.count, "head_seq": chain.head_seq,
                      "head_hash": chain.head_hash, "problem": chain.problem},
            "members": members,
        }
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True))
    return manifest
