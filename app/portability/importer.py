"""Restore a tenant archive (see ``archive``) into a database that lacks the tenant.

The archive is checked before anything is written: its manifest, the format,
the SHA-256 of every member (one changed byte refuses it) and the schema
revision, which must equal this database's. Rows keep their ids, so the audit
chain — whose hashes cover ids and contents — must verify afterwards, up to the
head the archive recorded; otherwise nothing is kept. Files go back into
storage under new keys (storage makes its own keys), and the rows pointing at
them are rewritten accordingly. On PostgreSQL the id sequences are moved past
the imported ids.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import bindparam, create_engine, pool, select, text, update
from sqlalchemy.exc import IntegrityError

from app import audit
from app.errors import Conflict, Invalid
from app.extensions import db
from app.portability.archive import (
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    schema_revision,
    table_member,
)
from app.portability.codec import decode, self_references, storage_key_columns, tenant_tables
from app.storage import KEY_PATTERN, storage
from app.tenancy import all_tenants
from app.tenancy.models import Tenant

BATCH = 1000


def read_manifest(zf: zipfile.ZipFile) -> dict[str, Any]:
    """The manifest, after checking the format and every member's hash."""
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise Invalid("The archive has no readable manifest.", "archive") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise Invalid("Not a Kinerja tenant archive.", "archive")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise Invalid(f"Archive format version {manifest.get('format_version')} is not supported.", "archive")
    members = manifest.get("members") or {}
    names = set(zf.namelist()) - {MANIFEST}
    if names != set(members):
        raise Invalid("The archive's members do not match its manifest.", "archive")
    for name, expected in members.items():
        digest = hashlib.sha256()
        with zf.open(name) as member:
            while chunk := member.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != expected:
            raise Invalid(f"{name} does not match its SHA-256 in the manifest: the archive was altered.",
                          "archive")
    return manifest


def import_archive(source: str | IO[bytes]) -> Tenant:
    """Check and restore an archive; returns the tenant. Raises ``Invalid`` for a
    bad archive and ``Conflict`` when the tenant (or any of its ids) is already here."""
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Invalid("The file is not a ZIP archive.", "archive") from exc
    with zf, all_tenants("restoring a tenant archive"):
        manifest = read_manifest(zf)
        if manifest["schema_revision"] != schema_revision():
            raise Invalid(f"The archive was made at schema revision {manifest['schema_revision']}, this "
                          f"database is at {schema_revision()}: upgrade one side first.", "archive")
        info = manifest["tenant"]
        clash = db.session.scalar(select(Tenant.id).where((Tenant.slug == info["slug"]) | (Tenant.id == info["id"])))
        if clash is not None:
            raise Conflict(f"Tenant {info['slug']} (or its id {info['id']}) already exists in this database.")
        keys: dict[str, str] = {}
        try:
            for name in manifest["members"]:
                if name.startswith("files/"):
                    key = name.removeprefix("files/")
                    if KEY_PATTERN.fullmatch(key):
                        keys[key] = storage().save(info["id"], zf.read(name))
            tenant = _restore(zf, manifest, keys)
        except BaseException:
            db.session.rollback()
            for new_key in keys.values():
                storage().delete(info["id"], new_key)
            raise
    return tenant


def _restore(zf: zipfile.ZipFile, manifest: dict[str, Any], keys: dict[str, str]) -> Tenant:
    info = manifest["tenant"]
    tables = tenant_tables()
    unknown = {n for n in manifest["counts"]} - {t.name for t in tables}
    if unknown:
        raise Invalid(f"The archive holds tables this database does not know: {', '.join(sorted(unknown))}.",
                      "archive")
    top_ids: dict[str, int] = {}
    try:
        for table in tables:
            if table_member(table.name) not in manifest["members"]:
                continue
            top_ids[table.name] = _insert_table(zf, table, keys)
    except (KeyError, ValueError, TypeError) as exc:
        raise Invalid(f"The archive's rows do not fit this schema ({exc}).", "archive") from exc
    except IntegrityError as error:
        raise Conflict("The archive's rows clash with rows already in this database: "
                       "import into an empty database.") from error
    tenant = db.session.get(Tenant, info["id"])
    chain = audit.verify(tenant)
    expected = manifest["audit"]
    if not chain.ok or (chain.head_seq, chain.head_hash) != (expected["head_seq"], expected["head_hash"]):
        raise Invalid(f"The audit chain does not verify after the import ({chain.problem or 'head differs'}).",
                      "archive")
    _advance_sequences(top_ids)
    audit.record("tenant.import", tenant, before=None,
                 after={"row_count": sum(manifest["counts"].values()), "files": len(keys)})
    db.session.commit()
    return tenant


def _lines(zf: zipfile.ZipFile, name: str) -> Iterator[dict[str, Any]]:
    with zf.open(name) as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):
            if line.strip():
                yield json.loads(line)


def _insert_table(zf: zipfile.ZipFile, table, keys: dict[str, str]) -> int:
    """Insert one table's rows in batches; returns the highest id."""
    later = self_references(table)
    key_columns = storage_key_columns(table)
    fixes: list[dict[str, Any]] = []
    batch: list[dict[str, Any]] = []
    top = 0
    for data in _lines(zf, table_member(table.name)):
        row = decode(table, data)
        for column in key_columns:
            if row.get(column) in keys:
                row[column] = keys[row[column]]
        for column in later:
            if row.get(column) is not None:
                fixes.append({"_id": row["id"], column: row[column]})
                row[column] = None
        top = max(top, row.get("id") or 0)
        batch.append(row)
        if len(batch) >= BATCH:
            db.session.execute(table.insert(), batch)
            batch = []
    if batch:
        db.session.execute(table.insert(), batch)
    for column in later:
        params = [{"_id": f["_id"], "_value": f[column]} for f in fixes if column in f]
        if params:
            db.session.execute(update(table).where(table.c.id == bindparam("_id"))
                               .values({column: bindparam("_value")}), params)
    return top


def _advance_sequences(top_ids: dict[str, int]) -> None:
    """Move PostgreSQL's id sequences past the imported ids (as the tables' owner:
    the application's role may use sequences but not set them)."""
    if db.engine.dialect.name != "postgresql":
        return
    owner = create_engine(db.engine.url, poolclass=pool.NullPool)
    try:
        with owner.begin() as conn:
            for name, top in top_ids.items():
                if top:
                    conn.execute(text("SELECT setval(s, GREATEST(:top, nextval(s))) "
                                      "FROM pg_get_serial_sequence(:table, 'id') AS s WHERE s IS NOT NULL"),
                                 {"top": top, "table": name})
    finally:
        owner.dispose()
