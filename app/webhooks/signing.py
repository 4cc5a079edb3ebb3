"""The signature on every delivery, the way Stripe and GitHub sign theirs.

``X-Kinerja-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">``
with the endpoint's secret. A receiver recomputes the HMAC over the raw body
it received, compares in constant time, and refuses a timestamp older than a
few minutes (a replay). ``verify`` is that check, for tests and for
integrators reading the code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOLERANCE_SECONDS = 5 * 60


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, body: bytes, header: str, now: int, tolerance: int = TOLERANCE_SECONDS) -> bool:
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, body, timestamp).rsplit("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
