"""A local fake of SIASN for the tests: the two token endpoints, ``upload-dok`` and the
two save endpoints, on a free port in a thread (werkzeug's ``make_server``).

It checks what the real gateway would refuse: the consumer key/secret (basic auth),
the SSO password grant, both bearer headers on every call, a PDF in the upload,
and the exact field set of each save body. ``fail_next`` answers that many saves
with a 500; ``received`` keeps every save body."""

from __future__ import annotations

import base64
import json
import threading
import uuid
from dataclasses import dataclass, field

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CONSUMER_KEY, CONSUMER_SECRET = "ck-uji", "cs-rahasia-uji"
CLIENT_ID, USERNAME, PASSWORD = "kinerja-uji", "operator.bkd", "sandi-sso-uji"
APIM_TOKEN, SSO_TOKEN = "apim-token-uji", "sso-token-uji"

PATH_FIELDS = {"dok_id", "dok_nama", "dok_uri", "object", "slug"}
COMMON = {"id", "tahun", "hasilKinerjaNilai", "perilakuKerjaNilai", "kuadranKinerjaNilai", "penilaiNipNrp",
          "penilaiNama", "penilaiGolongan", "penilaiUnorNama", "statusPenilai", "path"}
FIELDS = {
    "kinerjaperiodik/save": COMMON | {"pnsDinilaiId", "periodikId", "bulanMulaiPenilaian", "bulanSelesaiPenilaian",
                                      "tahunMulaiPenilaian", "tahunSelesaiPenilaian", "koefisienId",
                                      "penilaiJabatanNama"},
    "skp22/save": COMMON | {"pnsDinilaiOrang", "penilaiJabatan"},
}


@dataclass
class FakeSiasn:
    url: str = ""
    fail_next: int = 0
    received: list = field(default_factory=list)
    uploads: list = field(default_factory=list)
    ids: list = field(default_factory=list)  # the record ids answered, in order

    def __call__(self, environ, start_response):
        request = Request(environ)
        response = self.answer(request)
        return response(environ, start_response)

    def answer(self, request: Request) -> Response:
        path = request.path.strip("/")
        if path == "apim/token":
            auth = request.headers.get("Authorization", "")
            expected = base64.b64encode(f"{CONSUMER_KEY}:{CONSUMER_SECRET}".encode()).decode()
            if auth != f"Basic {expected}" or request.form.get("grant_type") != "client_credentials":
                return _json({"error": "invalid_client"}, 401)
            return _json({"access_token": APIM_TOKEN, "token_type": "Bearer", "expires_in": 3600})
        if path == "sso/token":
            form = request.form
            if (form.get("grant_type"), form.get("client_id"), form.get("username"), form.get("password")) != (
                    "password", CLIENT_ID, USERNAME, PASSWORD):
                return _json({"error": "invalid_grant"}, 401)
            return _json({"access_token": SSO_TOKEN, "token_type": "bearer"})
        if (request.headers.get("Authorization") != f"Bearer {APIM_TOKEN}"
                or request.headers.get("Auth") != f"bearer {SSO_TOKEN}"):
            return _json({"success": False, "message": "unauthorized"}, 401)
        if path == "upload-dok":
            upload = request.files.get("file")
            content = upload.read() if upload else b""
            if not content.startswith(b"%PDF"):
                return _json({"success": False, "message": "file harus PDF"}, 400)
            self.uploads.append((upload.filename, len(content)))
            dok = str(uuid.uuid4())
            return _json({"success": True, "data": {
                "dok_id": "872", "dok_nama": upload.filename, "dok_uri": f"peremajaan/usulan/{dok}.pdf",
                "object": f"peremajaan/usulan/{dok}.pdf", "slug": "872"}})
        if path in FIELDS:
            body = request.get_json(silent=True)
            if not isinstance(body, dict) or set(body) != FIELDS[path]:
                return _json({"success": False, "message": "bad body"}, 400)
            if not body["path"] or set(body["path"][0]) != PATH_FIELDS:
                return _json({"success": False, "message": "path wajib"}, 400)
            if self.fail_next:
                self.fail_next -= 1
                return _json({"success": False, "message": "Internal Server Error (uji)"}, 500)
            self.received.append((path, body))
            self.ids.append(body["id"] or str(uuid.uuid4()))
            return _json({"success": True, "mapData": {"rwKinerjaId": self.ids[-1]}, "message": "success"})
        return _json({"message": "not found"}, 404)


def _json(data, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


def start() -> tuple[FakeSiasn, object]:
    fake = FakeSiasn()
    server = make_server("127.0.0.1", 0, fake, threaded=True)
    fake.url = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake, server
