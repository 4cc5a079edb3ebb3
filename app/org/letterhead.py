"""The document header: the agency line of a unit, the place of signing, the tenant's logo.

What the issued documents print above their identity table and beside the
signatures (``app.regions.documents.Letterhead``):

* ``unit_letterhead(unit)`` — the unit's ``letterhead``, else the nearest
  ancestor's, else the name of its top-level unit (the OPD), in capitals;
* ``signing_place(tenant)`` — ``Tenant.document_place``, else the tenant's
  name without "Pemerintah Kota/Kabupaten/Provinsi/Daerah";
* ``read_logo(tenant)`` — the logo's bytes and media type, or None.

The admin instansi changes the place and the logo (``save_document_place``,
``set_logo``, ``remove_logo``). A logo is a PNG or JPEG of at most
``LOGO_MAX_BYTES``, accepted by what the bytes are (signature and header),
never by the file name, stored as uploaded through ``app.storage``. Every
change is audited. Nothing here commits: a replaced or removed logo's file
is returned to ``discard`` after the commit.
"""

from __future__ import annotations

import contextlib
import re
import struct

from flask_babel import lazy_gettext as _l

from app import audit
from app.errors import Invalid
from app.org.models import Unit
from app.storage import StorageError, storage
from app.tenancy.models import Tenant

LOGO_MAX_BYTES = 512 * 1024
PLACE_MAX = 100
MAX_DEPTH = 50  # guards the walk up against a cycle in the data

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
MEDIA_TYPES = {"png": "image/png", "jpeg": "image/jpeg"}

_GOVERNMENT = re.compile(r"^\s*(pemerintah\s+)?(kota|kabupaten|kab\.|provinsi|daerah)\s+", re.IGNORECASE)


# --- the agency line -------------------------------------------------------------------

def unit_letterhead(unit: Unit) -> str:
    """The agency line printed on the unit's documents, in capitals."""
    current: Unit | None = unit
    top = unit
    for _ in range(MAX_DEPTH):
        if current is None:
            break
        if current.letterhead and current.letterhead.strip():
            return current.letterhead.strip().upper()
        top = current
        current = current.parent
    return top.name.strip().upper()


def signing_place(tenant: Tenant) -> str:
    """Where the tenant's documents are signed ("Sawahlunto")."""
    if tenant.document_place and tenant.document_place.strip():
        return tenant.document_place.strip()
    return _GOVERNMENT.sub("", tenant.name).strip() or tenant.name


def signing_configured(tenant: Tenant) -> bool:
    """Whether documents of the tenant are signed (a certificate is installed)."""
    return bool(tenant.signing_key)


# --- the place ---------------------------------------------------------------------------

def save_document_place(tenant: Tenant, place: str | None) -> None:
    value = " ".join((place or "").split()) or None
    if value is not None and len(value) > PLACE_MAX:
        raise Invalid(_l("Paling banyak %(n)d karakter.", n=PLACE_MAX), "document_place")
    before = {"document_place": tenant.document_place}
    tenant.document_place = value
    audit.record("tenant.document_place", tenant, before, {"document_place": value})


# --- the logo ------------------------------------------------------------------------------

def image_kind(data: bytes) -> str | None:
    """"png" or "jpeg" when the bytes are one (signature and a sane header), else None."""
    if data.startswith(PNG_SIGNATURE):
        # The first chunk is IHDR: length 13, then width and height, both above zero.
        if len(data) < 33 or data[12:16] != b"IHDR" or struct.unpack(">I", data[8:12])[0] != 13:
            return None
        width, height = struct.unpack(">II", data[16:24])
        return "png" if width > 0 and height > 0 else None
    if data.startswith(JPEG_SIGNATURE):
        # Ends with the end-of-image marker (some writers pad a few bytes after it).
        return "jpeg" if b"\xff\xd9" in data[-64:] else None
    return None


def set_logo(tenant: Tenant, data: bytes) -> str | None:
    """Store ``data`` as the tenant's logo; returns the replaced file's key to
    ``discard`` after the commit. ``Invalid`` on ``file`` for anything but a
    PNG or JPEG of at most ``LOGO_MAX_BYTES``."""
    if not data:
        raise Invalid(_l("Pilih berkas logo."), "file")
    if len(data) > LOGO_MAX_BYTES:
        raise Invalid(_l("Logo paling besar %(kb)d KB; berkas ini %(size)d KB.",
                         kb=LOGO_MAX_BYTES // 1024, size=-(-len(data) // 1024)), "file")
    kind = image_kind(data)
    if kind is None:
        raise Invalid(_l("Berkas ini bukan gambar PNG atau JPEG."), "file")
    old = tenant.logo_key
    tenant.logo_key = storage().save(tenant.id, data)
    audit.record("tenant.logo_upload", tenant, {"logo": old is not None},
                 {"logo": True, "content_type": MEDIA_TYPES[kind], "size": len(data)}, skip_unchanged=False)
    return old


def remove_logo(tenant: Tenant) -> str | None:
    """Remove the logo; returns its key to ``discard`` after the commit (None if there was none)."""
    old = tenant.logo_key
    if old is None:
        return None
    tenant.logo_key = None
    audit.record("tenant.logo_remove", tenant, {"logo": True}, {"logo": False})
    return old


def discard(tenant_id: int, key: str | None) -> None:
    """Remove a stored logo file that no row points at any more."""
    if key:
        with contextlib.suppress(StorageError):
            storage().delete(tenant_id, key)


def read_logo(tenant: Tenant) -> tuple[bytes, str] | None:
    """The logo's bytes and media type; None when none is set or its file is missing."""
    if not tenant.logo_key:
        return None
    try:
        with storage().open(tenant.id, tenant.logo_key) as handle:
            data = handle.read()
    except StorageError:
        return None
    kind = image_kind(data)
    return (data, MEDIA_TYPES[kind]) if kind is not None else None


def logo_configured(tenant: Tenant) -> bool:
    return bool(tenant.logo_key)

