"""PAdES signatures on issued PDFs (pyHanko), with the tenant's own certificate.

A tenant's certificate is a PKCS#12 file in storage (``Tenant.signing_key``,
the storage key) and its passphrase, encrypted with a Fernet key derived from
the application's ``SECRET_KEY`` through HKDF (``Tenant.signing_passphrase``).
When both are set, every issued document is signed (PAdES B-B, an approval
signature in the field "Signature1"), the way BSrE-signed documents are.

Nothing here commits. The passphrase is never logged nor shown.
"""

from __future__ import annotations

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from flask_babel import gettext as _

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner

from app import secretbox
from app.errors import Invalid
from app.storage import StorageError, storage
from app.tenancy.models import Tenant

FIELD_NAME = "Signature1"
SIGNING_PASSPHRASE = b"kinerja signing passphrase v1"  # secretbox label


class SigningUnavailable(Exception):
    """The tenant's certificate is configured but cannot be used (missing file, wrong passphrase)."""


def encrypt_passphrase(passphrase: str) -> str:
    return secretbox.encrypt(SIGNING_PASSPHRASE, passphrase)


def decrypt_passphrase(token: str) -> str:
    try:
        return secretbox.decrypt(SIGNING_PASSPHRASE, token)
    except secretbox.Unreadable as exc:  # SECRET_KEY changed since the key was stored
        raise SigningUnavailable("The signing passphrase cannot be decrypted with this SECRET_KEY.") from exc


def load_signer(pkcs12: bytes, passphrase: str | None) -> SimpleSigner:
    """A pyHanko signer from PKCS#12 bytes; ``Invalid`` when they do not load."""
    from pyhanko.sign import signers  # imported on first use: pyHanko is slow to import

    try:
        signer = signers.SimpleSigner.load_pkcs12_data(pkcs12, other_certs=(),
                                                       passphrase=passphrase.encode() if passphrase else None)
    except ValueError as exc:
        raise Invalid(_("Berkas PKCS#12 tidak dapat dibuka: periksa berkas dan kata sandinya."),
                      "signing_key") from exc
    if signer is None or signer.signing_cert is None:
        raise Invalid(_("Berkas PKCS#12 tidak memuat sertifikat penandatangan."), "signing_key")
    return signer


def is_configured(tenant: Tenant) -> bool:
    return bool(tenant.signing_key and tenant.signing_passphrase)


def tenant_signer(tenant: Tenant) -> SimpleSigner | None:
    """The tenant's signer, None when no certificate is configured."""
    if not is_configured(tenant):
        return None
    try:
        with storage().open(tenant.id, tenant.signing_key) as f:
            data = f.read()
    except StorageError as exc:
        raise SigningUnavailable("The tenant's PKCS#12 file is missing from storage.") from exc
    try:
        return load_signer(data, decrypt_passphrase(tenant.signing_passphrase))
    except Invalid as exc:
        raise SigningUnavailable("The tenant's PKCS#12 file does not load.") from exc


def sign_pdf(pdf: bytes, signer: SimpleSigner, reason: str, location: str) -> bytes:
    """The PDF with a PAdES B-B approval signature appended (an incremental update)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, reason=reason, location=location,
                                        subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256")
    out = _run(lambda: signers.async_sign_pdf(writer, meta, signer=signer))
    return out.getvalue()


def _run(make_coroutine):
    """Run pyHanko's signing coroutine. Its synchronous wrapper calls ``asyncio.run``,
    which refuses to run inside a thread that already has a running event loop (an
    async server, a Playwright session): then it runs on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


def store_signing_key(tenant: Tenant, pkcs12: bytes, passphrase: str) -> None:
    """Check that the certificate loads, store it and the encrypted passphrase (replacing any)."""
    load_signer(pkcs12, passphrase)
    old = tenant.signing_key
    tenant.signing_key = storage().save(tenant.id, pkcs12)
    tenant.signing_passphrase = encrypt_passphrase(passphrase)
    if old:
        storage().delete(tenant.id, old)


def remove_signing_key(tenant: Tenant) -> bool:
    """Forget the tenant's certificate; False when none was configured."""
    if not tenant.signing_key and not tenant.signing_passphrase:
        return False
    if tenant.signing_key:
        storage().delete(tenant.id, tenant.signing_key)
    tenant.signing_key = None
    tenant.signing_passphrase = None
    return True
