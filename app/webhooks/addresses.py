"""Where deliveries may go: https, no credentials, and (in production) only
public addresses, so an endpoint cannot make the server call into the
Pemda's own network (SSRF). Checked when an endpoint is registered and again
before every attempt (DNS may have changed); redirects are never followed."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.errors import Invalid


def allow_private_addresses() -> bool:
    """http and private/loopback addresses are accepted in tests, the demo and development."""
    config = current_app.config
    if config.get("WEBHOOKS_ALLOW_PRIVATE") is not None:
        return bool(config["WEBHOOKS_ALLOW_PRIVATE"])
    return bool(config.get("TESTING") or config.get("DEMO_MODE") or config.get("ENV_NAME") == "development")


def check_url(url: str) -> str:
    """The URL if deliveries may go there, else ``Invalid`` on ``url``: https (http only
    where private addresses are allowed), no credentials, and in production a host that
    resolves to public addresses only (no requests into the Pemda's own network)."""
    url = (url or "").strip()
    parts = urlsplit(url)
    relaxed = allow_private_addresses()
    if parts.scheme not in (("https", "http") if relaxed else ("https",)) or not parts.hostname:
        raise Invalid(_l("Alamat harus berupa URL https yang lengkap."), "url")
    if parts.username or parts.password or len(url) > 500:
        raise Invalid(_l("Alamat tidak boleh memuat nama pengguna atau sandi dan paling banyak 500 karakter."), "url")
    if not relaxed and not _resolves_publicly(parts.hostname, parts.port or 443):
        raise Invalid(_l("Alamat ini tidak dapat dihubungi atau mengarah ke jaringan internal."), "url")
    return url


def _resolves_publicly(host: str, port: int) -> bool:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    addresses = {ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos}
    return bool(addresses) and all(address.is_global for address in addresses)
