"""Talking to SIASN: the ``SiasnClient`` protocol and its HTTP implementation (httpx).

Auth as the SIASN SDKs do it: an API-gateway token from the consumer key and
secret (OAuth2 client credentials, sent as ``Authorization: Bearer …``) and an
SSO token from the client id, username and password (sent as ``Auth: bearer …``).
A test points the base and token URLs at a local fake server; nothing else changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from app.siasn.settings import SiasnConfig

TIMEOUT_SECONDS = 30.0
ANSWER_LIMIT = 2000  # characters of an answer kept in the log and the status


class SiasnUnavailable(Exception):
    """No answer (network, timeout) or no token: the request may be tried again."""


@dataclass(frozen=True)
class Answer:
    status: int
    text: str

    @property
    def data(self) -> Any:
        try:
            return json.loads(self.text)
        except ValueError:
            return None

    @property
    def ok(self) -> bool:
        data = self.data
        return 200 <= self.status < 300 and isinstance(data, dict) and data.get("success", True) is not False

    @property
    def retryable(self) -> bool:
        """Worth trying again later: SIASN's side failed or was busy (not a refused body)."""
        return self.status >= 500 or self.status in (408, 429)

    @property
    def short(self) -> str:
        return f"HTTP {self.status}: {self.text[:ANSWER_LIMIT]}"

    def remote_id(self) -> str | None:
        """The id of the saved record: ``mapData``'s id (its name differs per endpoint) or ``id``."""
        data = self.data
        if not isinstance(data, dict):
            return None
        found = data.get("mapData") if isinstance(data.get("mapData"), dict) else data.get("data")
        if isinstance(found, dict):
            for key, value in found.items():
                if key.lower().endswith("id") and isinstance(value, (str, int)) and str(value):
                    return str(value)[:100]
        value = data.get("id")
        return str(value)[:100] if isinstance(value, (str, int)) and str(value) else None

    def document(self) -> dict[str, Any] | None:
        """The ``path`` entry an upload answers with (dok_id, dok_nama, dok_uri, object, slug)."""
        data = self.data
        found = data.get("data") if isinstance(data, dict) else None
        return found if isinstance(found, dict) and found.get("dok_uri") else None


class SiasnClient(Protocol):
    def upload_document(self, filename: str, content: bytes) -> Answer: ...

    def save(self, endpoint: str, body: dict[str, Any]) -> Answer: ...

    def close(self) -> None: ...


class HttpSiasnClient:
    def __init__(self, cfg: SiasnConfig, transport: httpx.BaseTransport | None = None):
        if not cfg.can_send:
            raise SiasnUnavailable("SIASN credentials are not set.")
        self.cfg = cfg
        self.http = httpx.Client(timeout=TIMEOUT_SECONDS, transport=transport)
        self._headers: dict[str, str] | None = None

    def close(self) -> None:
        self.http.close()

    def _token(self, url: str, **kwargs: Any) -> str:
        try:
            answer = self.http.post(url, **kwargs)
        except httpx.HTTPError as exc:
            raise SiasnUnavailable(f"token request failed: {type(exc).__name__}") from exc
        token = answer.json().get("access_token") if answer.is_success and _is_json(answer) else None
        if not token:
            raise SiasnUnavailable(f"token refused: HTTP {answer.status_code}")
        return str(token)

    def headers(self) -> dict[str, str]:
        if self._headers is None:
            creds = self.cfg.credentials
            assert creds is not None and self.cfg.apim_token_url and self.cfg.sso_token_url  # noqa: S101 - can_send
            apim = self._token(self.cfg.apim_token_url, auth=(creds.consumer_key, creds.consumer_secret),
                               data={"grant_type": "client_credentials"})
            sso = self._token(self.cfg.sso_token_url, data={
                "grant_type": "password", "client_id": creds.client_id,
                "username": creds.username, "password": creds.password})
            self._headers = {"Authorization": f"Bearer {apim}", "Auth": f"bearer {sso}"}
        return self._headers

    def _post(self, endpoint: str, **kwargs: Any) -> Answer:
        url = f"{self.cfg.base_url}/{endpoint}"
        try:
            answer = self.http.post(url, headers=self.headers(), **kwargs)
        except httpx.HTTPError as exc:
            raise SiasnUnavailable(f"no answer: {type(exc).__name__}") from exc
        return Answer(answer.status_code, answer.text)

    def upload_document(self, filename: str, content: bytes) -> Answer:
        return self._post("upload-dok", files={"file": (filename, content, "application/pdf")})

    def save(self, endpoint: str, body: dict[str, Any]) -> Answer:
        return self._post(endpoint, json=body)


def _is_json(answer: httpx.Response) -> bool:
    try:
        return isinstance(answer.json(), dict)
    except ValueError:
        return False
