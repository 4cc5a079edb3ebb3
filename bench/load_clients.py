"""The simulated people of `make loadtest`: each client is one browser of one role.

Every request is recorded (when, what, how it ended); every write that was
answered with success carries a unique marker, so the load test can look for
it in the database afterwards.
"""

from __future__ import annotations

import random
import re
import threading
import time
from dataclasses import dataclass, field

import requests

PASSWORD = "Demo-Kinerja-2026"  # noqa: S105 - the demo's documented password
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
VERSION = re.compile(r'name="version"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="version"')
OPTION = re.compile(r'<option[^>]*value="([a-z_]+)"')
# A query-string marker: it must never show up in any log.
SECRET_QUERY = "nipRahasia1987"  # noqa: S105 - not a password


@dataclass
class Outcome:
    at: float  # seconds since the start of the run
    client: str
    action: str
    kind: str  # ok, outage-503, bare-500, app-500, conflict, refused, client-error, connection
    write_marker: str | None = None


@dataclass
class Target:
    """What one tenant offers the clients: its slug, the pegawai's plan and editable cells, a unit."""

    slug: str
    plan_id: int
    cells: list[tuple[int, int]]
    unit_id: int


@dataclass
class Recorder:
    start: float
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, client: str, action: str, kind: str, marker: str | None = None) -> None:
        with self.lock:
            self.outcomes.append(Outcome(time.monotonic() - self.start, client, action, kind, marker))


def classify(response: requests.Response) -> str:
    status = response.status_code
    if status < 400:
        return "ok"
    if status == 503 and response.headers.get("Retry-After"):
        return "outage-503"
    if status == 500:
        return "bare-500" if len(response.content) < 200 else "app-500"
    if status == 409:
        return "conflict"
    if status in (422, 429):
        return "refused"
    return f"client-error-{status}"


class Client(threading.Thread):
    def __init__(self, name: str, base: str, role: str, target: Target, recorder: Recorder, deadline: float,
                 seed: int) -> None:
        super().__init__(name=name, daemon=True)
        self.base, self.role, self.target, self.recorder, self.deadline = base, role, target, recorder, deadline
        self.rng = random.Random(seed)
        self.http = requests.Session()
        self.signed_in = False
        self.writes = 0

    # --- plumbing -----------------------------------------------------------------------
    def url(self, path: str) -> str:
        return f"{self.base}/{self.target.slug}{path}"

    def call(self, action: str, method: str, path: str, marker: str | None = None, **kwargs):
        kwargs.setdefault("timeout", 15)
        kwargs.setdefault("allow_redirects", False)
        try:
            response = self.http.request(method, self.url(path), **kwargs)
        except requests.RequestException:
            self.recorder.add(self.name, action, "connection")
            return None
        kind = classify(response)
        if response.status_code in (301, 302, 303) and "/login" in response.headers.get("Location", ""):
            self.signed_in = False  # the session ended (or never began): sign in again
        self.recorder.add(self.name, action, kind, marker if kind == "ok" else None)
        return response

    def token(self, html: str, pattern: re.Pattern = CSRF) -> str | None:
        match = pattern.search(html)
        return (match.group(1) or match.group(2) or "") if match else None

    def sign_in(self) -> bool:
        page = self.call("login-page", "GET", "/login")
        token = self.token(page.text) if page is not None and page.status_code == 200 else None
        if token is None:
            return False
        done = self.call("login", "POST", "/login", data={"username": self.role, "password": PASSWORD,
                                                          "csrf_token": token})
        self.signed_in = done is not None and done.status_code == 302 and "/login" not in done.headers["Location"]
        return self.signed_in

    def marker(self) -> str:
        self.writes += 1
        return f"lt-{self.name}-{self.writes}-{self.rng.randrange(10**6)}"

    # --- the day of each role -------------------------------------------------------------
    def reads(self) -> list[str]:
        plan = self.target.plan_id
        common = ["/", "/skp/", "/penilaian/", "/notifikasi/"]
        return {
            "pegawai": [*common, f"/skp/{plan}", f"/skp/{plan}/realisasi", f"/skp/{plan}/dialog"],
            "penilai": [*common, "/skp/tim", f"/skp/{plan}", f"/skp/{plan}/dialog"],
            "atasan": [*common, "/skp/tim"],
            "admin": ["/", "/admin/pegawai", f"/admin/pegawai?q={SECRET_QUERY}", "/admin/unit", "/admin/jabatan",
                      "/admin/audit/"],
        }.get(self.role, ["/publik/", "/publik/survei", "/login"])

    def write_realisation(self) -> None:
        indicator, period = self.rng.choice(self.target.cells)
        path = f"/skp/{self.target.plan_id}/realisasi/{indicator}/{period}"
        page = self.call("realisation-form", "GET", path)
        if page is None or page.status_code != 200:
            return
        marker = self.marker()
        data = {"csrf_token": self.token(page.text) or "", "version": self.token(page.text, VERSION) or "",
                "value": str(self.rng.randrange(1, 50)), "note": marker}
        self.call("realisation-save", "POST", path, marker, data=data)

    def write_message(self) -> None:
        path = f"/skp/{self.target.plan_id}/dialog"
        page = self.call("dialog", "GET", path)
        if page is None or page.status_code != 200:
            return
        marker = self.marker()
        self.call("message-post", "POST", path, marker,
                  data={"csrf_token": self.token(page.text) or "", "body": f"Catatan uji beban {marker}"})

    def write_complaint(self) -> None:
        path = f"/publik/pengaduan?unit={self.target.unit_id}"
        # One fictitious address per complaint (PROXY_HOPS=1): the public rate limit is per client.
        headers = {"X-Forwarded-For": f"10.{self.rng.randrange(256)}.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}"}
        page = self.call("complaint-form", "GET", path, headers=headers)
        if page is None or page.status_code != 200:
            return
        categories = OPTION.findall(page.text)
        marker = self.marker()
        data = {"csrf_token": self.token(page.text) or "", "category": categories[0] if categories else "lainnya",
                "employee_id": "", "contact": "", "website": "",
                "description": f"Antrean layanan terlalu lama pada hari ini, penanda {marker}."}
        self.call("complaint-post", "POST", path, marker, data=data, headers=headers)

    def step(self) -> None:
        staff = self.role in ("pegawai", "penilai", "atasan", "admin")
        if staff and not self.signed_in and not self.sign_in():
            time.sleep(0.2)
            return
        roll = self.rng.random()
        if self.role == "pegawai" and roll < 0.25 and self.target.cells:
            self.write_realisation()
        elif self.role in ("pegawai", "penilai") and roll > 0.85:
            self.write_message()
        elif self.role == "publik" and roll < 0.3:
            self.write_complaint()
        else:
            path = self.rng.choice(self.reads())
            self.call(f"GET {path.split('?')[0]}", "GET", path)

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            self.step()
