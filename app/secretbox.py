"""Secrets kept at rest encrypted with a key derived from ``SECRET_KEY``.

The scheme of ``Tenant.signing_passphrase`` (``app.reports.signing``): a
Fernet key made from the application's ``SECRET_KEY`` with HKDF-SHA256, one
``info`` label per purpose so that one kind of secret never decrypts as
another. It lives at the bottom of the layers so any module may keep a
secret (the webhook endpoints' signing secrets are the first user here).

A secret stored under another ``SECRET_KEY`` (the key was changed, or a
tenant was imported from another installation) cannot be read:
``decrypt`` raises ``Unreadable`` and the caller decides what that means.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

WEBHOOK_SECRET = b"kinerja webhook secret v1"
# A stored API answer replayed for a repeated Idempotency-Key: it may carry a
# secret shown once (a new webhook's) or personal data.
IDEMPOTENT_ANSWER = b"kinerja idempotent answer v1"
# A tenant's SIASN consumer key, consumer secret and password (``app.siasn.settings``);
# before migration 0024 they were kept under the signing passphrase's label.
SIASN_CREDENTIAL = b"kinerja siasn credential v1"


class Unreadable(Exception):
    """The stored value was not encrypted with this installation's SECRET_KEY."""


def fernet(info: bytes, secret_key: str | bytes | None = None) -> Fernet:
    """The Fernet of one purpose (``info``), from ``secret_key`` (default: the app's)."""
    secret = current_app.config["SECRET_KEY"] if secret_key is None else secret_key
    material = secret.encode() if isinstance(secret, str) else bytes(secret)
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(material)
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(info: bytes, plaintext: str, secret_key: str | bytes | None = None) -> str:
    return fernet(info, secret_key).encrypt(plaintext.encode()).decode()


def decrypt(info: bytes, token: str, secret_key: str | bytes | None = None) -> str:
    try:
        return fernet(info, secret_key).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError) as exc:
        raise Unreadable("This secret cannot be decrypted with this SECRET_KEY.") from exc
