"""A file on an objection, stored as an upload is, for the tests that need one in place
(tests/test_isolation.py, tests/test_objection_files.py, tests/test_objection_previews.py)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.skp.objections.models import ObjectionFile, ObjectionSide
from app.storage import storage
from app.tenancy import tenant_scope
from app.tenancy.models import Tenant


def add_objection_file(slug: str, objection_id: int, uploaded_by_id: int, name: str, content_type: str,
                       data: bytes) -> int:
    """The id of a new file on the objection, lodged by its pegawai, in tenant ``slug``
    (inside an application context; committed)."""
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    with tenant_scope(tenant):
        item = ObjectionFile(objection_id=objection_id, side=ObjectionSide.PEGAWAI, original_name=name,
                             content_type=content_type, size=len(data), storage_key=storage().save(tenant.id, data),
                             uploaded_by_id=uploaded_by_id)
        db.session.add(item)
        db.session.commit()
        return item.id
