"""Files attached to an objection (keberatan): by the pegawai when lodging and
while it is open, by the atasan while deciding; none after the decision.

They are handled exactly like evidence files (``app.skp.realisation.evidence``,
whose checks are reused, not copied): limited in size (``EVIDENCE_MAX_BYTES``),
accepted by what they contain (a renamed executable is refused), stored through
``app.storage`` under a generated key per tenant, and served only as an
attachment to those who see the objection (the pegawai, the deciding atasan,
the admin). Attaching and downloading are audited. Nothing here commits; the
caller owns the transaction and ``discard``s a stored file whose row was not
committed.

An image or a PDF is also shown inside the objection's page, as evidence is
(``app.web.previews.preview_kind``, ``open_preview``): to the same people, not audited (it is
part of the page they opened, not a download they asked for).
"""

from __future__ import annotations

from typing import IO

from flask_babel import gettext as _

from app import audit
from app.auth.models import User
from app.errors import Forbidden, Invalid
from app.extensions import db
from app.skp.objections.access import (
    can_attach_objection_file,
    can_download_objection_file,
    can_view_objection,
)
from app.skp.objections.models import Objection, ObjectionFile, ObjectionSide, ObjectionStatus
from app.skp.planning.access import is_owner
from app.skp.realisation.evidence import check_file, discard, max_bytes
from app.storage import StorageError, storage

MAX_FILES_PER_SIDE = 10

__all__ = ["MAX_FILES_PER_SIDE", "attach", "discard", "files_of", "max_bytes", "open_file", "open_preview"]


def _side(user: User, objection: Objection) -> ObjectionSide:
    return ObjectionSide.PEGAWAI if is_owner(user, objection.evaluation.plan) else ObjectionSide.ATASAN


def attach(user: User, objection: Objection, filename: str | None, stream: IO[bytes]) -> ObjectionFile:
    """Check and store an uploaded file on the objection.

    The file is written to storage before the caller commits; when the
    commit fails the caller should ``discard(objection.tenant_id, item.storage_key)``."""
    if objection.status is not ObjectionStatus.OPEN:
        raise Forbidden(_("Keberatan ini sudah diputuskan; berkas tidak dapat dilampirkan lagi."))
    if not can_attach_objection_file(user, objection):
        raise Forbidden(_("Berkas keberatan hanya dapat dilampirkan oleh pegawai yang mengajukan dan atasan "
                          "pejabat penilai yang memutuskannya."))
    side = _side(user, objection)
    if sum(1 for f in objection.files if f.side is side) >= MAX_FILES_PER_SIDE:
        raise Invalid(_("Paling banyak %(n)d berkas per pihak untuk satu keberatan.", n=MAX_FILES_PER_SIDE), "file")
    limit = max_bytes()
    data = stream.read(limit + 1)
    file_type, name = check_file(filename, data, limit)
    key = storage().save(objection.tenant_id, data)
    item = ObjectionFile(objection=objection, side=side, original_name=name, content_type=file_type.content_type,
                         size=len(data), storage_key=key, uploaded_by_id=user.id)
    db.session.add(item)
    audit.record("objection.file_attach", item, None, employee_id=objection.evaluation.plan.employee_id)
    return item


def files_of(user: User, objection: Objection) -> list[ObjectionFile]:
    """The objection's files, for those who see the objection."""
    return list(objection.files) if can_view_objection(user, objection) else []


def _open_checked(user: User, objection: Objection, item: ObjectionFile) -> IO[bytes]:
    if item.objection_id != objection.id:
        raise StorageError("Not a file of this objection.")
    if not can_download_objection_file(user, objection):
        raise Forbidden(_("Berkas keberatan hanya dapat diunduh oleh pegawai yang mengajukan, atasan pejabat "
                          "penilai, dan admin."))
    return storage().open(item.tenant_id, item.storage_key)


def open_file(user: User, objection: Objection, item: ObjectionFile) -> IO[bytes]:
    """The stored file for download, audited; ``Forbidden`` for anyone but the
    pegawai, the deciding atasan and the admin; ``StorageError`` when missing."""
    handle = _open_checked(user, objection, item)
    state = audit.snapshot(item)
    audit.record("objection.file_download", item, state, state, skip_unchanged=False,
                 employee_id=objection.evaluation.plan.employee_id)
    return handle


def open_preview(user: User, objection: Objection, item: ObjectionFile) -> IO[bytes]:
    """The stored file to show (an image) or render (a PDF's pages) inside the
    objection's page: ``open_file``'s rule and errors, not audited."""
    return _open_checked(user, objection, item)
