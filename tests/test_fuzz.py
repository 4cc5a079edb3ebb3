"""No input makes a 5xx (issue #9, item 11).

For each role of one tenant (and the platform operator, and nobody), every
route in ``app.url_map`` is requested with real ids and with hostile ids, and
every form found on the pages the role can open is submitted with hostile
values, one field and one value at a time (not the cross product). The forms
are discovered from the rendered HTML (``html.parser``), so a new form is
fuzzed without touching this test. Every 5xx is collected and reported
together: method, URL, field, value, status and the exception.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit

import pytest

from app.extensions import db
from tests.conftest import login, make_cycle, make_operator, make_org, make_tenant
from tests.consultation_support import add_consultation
from tests.meetings_support import add_meeting
from tests.publik_support import add_publik_objects

ROLES = ["anonymous", "pegawai", "penilai", "atasan", "admin", "operator"]
SLUG = "kota-a"

# URL parameter → the world's object of that kind (as tests/test_isolation.py, for tenant A itself).
PARAM_OBJECTS = {
    "unit_id": lambda w: w.org.unit_id,
    "position_id": lambda w: w.org.position_ids["KASI"],
    "employee_id": lambda w: w.org.pegawai_id,
    "user_id": lambda w: w.org.user_ids["pegawai"],
    "batch_id": lambda w: w.batch_id,
    "period_id": lambda w: w.cycle.quarter_period_id,
    "plan_id": lambda w: w.cycle.plan_id,
    "result_id": lambda w: w.cycle.result_id,
    "indicator_id": lambda w: w.cycle.indicator_id,
    "realisation_id": lambda w: w.cycle.realisation_id,
    "evidence_id": lambda w: w.cycle.evidence_id,
    "message_id": lambda w: w.cycle.message_id,
    "session_id": lambda w: w.cycle.session_id,
    "evaluation_id": lambda w: w.cycle.evaluation_id,
    "objection_id": lambda w: w.cycle.objection_id,
    "course_id": lambda w: w.cycle.course_id,
    "record_id": lambda w: w.cycle.record_id,
    "notification_id": lambda w: w.cycle.notification_id,
    "complaint_id": lambda w: w.publik["complaint_id"],
    "publication_id": lambda w: w.publik["publication_id"],
    "follow_up_id": lambda w: w.publik["follow_up_id"],
    "consultation_id": lambda w: w.publik["consultation_id"],  # tests/consultation_support.py
    "code": lambda w: "ABCDEFGHJKMN",  # a verification code (none issued: the not-found page)
    "token_id": lambda w: 1,  # an API token (none in this world: the revoke answers 404)
    "bundle_id": lambda w: 1,  # a document bundle (none in this world: 404)
    "job_id": lambda w: 1,  # a "terapkan ulang aturan" job (none in this world: 404)
    "endpoint_id": lambda w: 1,  # a webhook endpoint (none in this world: 404)
    "delivery_id": lambda w: 1,  # a webhook delivery (none in this world: 404)
    "token": lambda w: "tidak-ada-undangan-seperti-ini",  # an invitation link (none: 404)
    "meeting_id": lambda w: w.org.meeting_ids[0],  # an evaluation meeting (tests/meetings_support.py)
    "action_id": lambda w: w.org.meeting_ids[1],  # its follow-up action
    "page": lambda w: 1,  # a page of a PDF preview (bukti.preview_page; the evidence is a link: 404)
    "file_id": lambda w: 1,  # an objection's file (none in this world: the previews answer 404)
}
NON_OBJECT_PARAMS = {"kind": "pegawai", "nip": "198001012005011001",
                     "slug": SLUG}  # a region on the operators' pages
# They end the session the sweep relies on (covered in test_auth.py).
SKIPPED_ENDPOINTS = {"static", "auth.logout", "platform_auth.logout"}
HOSTILE_IDS = ["0", "-1", "99999999999999999999", "²", "１"]
HOSTILE_VALUES = ["", "x" * 100_000, "abc", "-1", "99999999999999999999", "NaN", "Infinity", "sNaN", "1e309",
                  "0000-00-00", "9999-12-31", "2026-02-30", "a\x00b", "²", "<script>alert(1)</script>"]
DUPLICATED = object()  # the field sent twice
# Pages reached only with a query: forms on them are fuzzed too.
EXTRA_PAGES = ["/{slug}/publik/pengaduan?unit={unit}", "/{slug}/admin/audit/?object_type=employee",
               "/{slug}/admin/rekap/predikat"]
PLACEHOLDER = 987654321


@dataclass
class World:
    org: object
    cycle: object
    publik: dict
    batch_id: int


@dataclass
class FoundForm:
    method: str
    action: str
    fields: list[tuple[str, str, list[str]]] = field(default_factory=list)  # name, kind, candidate values
    selects: dict[str, list[str]] = field(default_factory=dict)


class FormParser(HTMLParser):
    """The forms of a page: their method, action and fields with a baseline value."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[FoundForm] = []
        self._form: FoundForm | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: tuple[str, list[str]] | None = None
        self._option_value: str | None = None
        self._option_selected = False
        self._option_text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = FoundForm((a.get("method") or "get").lower(), a.get("action") or "")
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            checked = "checked" in a
            value = a.get("value") or ("on" if kind == "checkbox" else "")
            self._form.fields.append((name, kind, [value] if checked or kind not in ("checkbox", "radio") else []))
            if kind == "radio":
                self._form.selects.setdefault(name, []).append(value)
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._option_selected = "selected" in a
            self._option_text = []
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option_text is not None:
            self._option_text.append(data)

    def handle_endtag(self, tag):
        if tag == "option" and self._option_text is not None:
            value = self._option_value if self._option_value is not None else "".join(self._option_text).strip()
            self._options.append((value, self._option_selected))
            self._option_text = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = [v for v, selected in self._options if selected] or [v for v, _ in self._options[:1]]
            self._form.fields.append((self._select, "select", chosen))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea[0], "textarea", ["".join(self._textarea[1])]))
            self._textarea = None
        elif tag == "form":
            self._form = None


def _baseline(form: FoundForm) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, kind, values in form.fields:
        if kind == "file":
            continue
        data.setdefault(name, []).extend(values)
    for name, options in form.selects.items():  # a radio group with nothing checked: its first option
        if not data.get(name) and options:
            data[name] = [options[0]]
    return {k: v for k, v in data.items() if v}


def _build_world(app) -> World:
    from app.imports.models import ImportBatch, ImportKind
    from app.tenancy import tenant_scope

    with app.app_context():
        org = make_org(make_tenant(SLUG))
        make_operator()
        cycle = make_cycle(org)
        publik = add_publik_objects(org)
        publik["consultation_id"] = add_consultation(org, cycle.year_period_id)
        org.meeting_ids = add_meeting(org, cycle.quarter_period_id)
        with tenant_scope(org.tenant):
            batch = ImportBatch(kind=ImportKind.EMPLOYEES, filename="pegawai.csv")
            db.session.add(batch)
            db.session.commit()
            batch_id = batch.id
        db.session.remove()
    return World(org, cycle, publik, batch_id)


def _url(rule, world: World, hostile: tuple[str, str] | None = None) -> str:
    args = {}
    for name in rule.arguments:
        if name == "tenant_slug":
            args[name] = SLUG
        elif hostile is not None and name == hostile[0]:
            args[name] = PLACEHOLDER
        elif name in NON_OBJECT_PARAMS:
            args[name] = NON_OBJECT_PARAMS[name]
        else:
            assert name in PARAM_OBJECTS, f"{rule.rule}: add '{name}' to PARAM_OBJECTS"
            args[name] = PARAM_OBJECTS[name](world)
    url = rule.build(args, append_unknown=False)[1]
    return url.replace(str(PLACEHOLDER), quote(hostile[1])) if hostile else url


class _LastError(logging.Handler):
    """Keeps the last unexpected exception the 500 handler logged, for the report."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.last = ""

    def emit(self, record):
        if record.exc_info and record.exc_info[1] is not None:
            exc, tb = record.exc_info[1], record.exc_info[2]
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            where = f"{tb.tb_frame.f_code.co_filename.split('/work/main/')[-1]}:{tb.tb_lineno}" if tb else ""
            self.last = f"{type(exc).__name__}: {str(exc)[:160]} at {where}"


class Fuzzer:
    def __init__(self, app, client, role: str, errors: _LastError) -> None:
        self.app, self.client, self.role, self.errors = app, client, role, errors
        self.failures: list[str] = []
        self.seen_forms: set[tuple] = set()
        self.pages: list[str] = []
        self.token = ""

    def request(self, method: str, url: str, data=None, label: str = "") -> object:
        self.errors.last = ""
        if method == "GET":
            response = self.client.get(url, query_string=data)
        else:
            response = self.client.open(url, method=method, data=data or {})
        if response.status_code >= 500:
            self.failures.append(f"{self.role}: {method} {url} {label} → {response.status_code} {self.errors.last}")
        return response

    def sweep(self, world: World) -> None:
        for rule in self.app.url_map.iter_rules():
            if rule.endpoint in SKIPPED_ENDPOINTS:
                continue
            methods = sorted(rule.methods & {"GET", "POST"})
            int_args = [n for n in rule.arguments if rule._converters[n].__class__.__name__.endswith("IntConverter")]
            for method in methods:
                url = _url(rule, world)
                response = self.request(method, url, {"csrf_token": self.token} if method == "POST" else None)
                if method == "GET" and response.status_code == 200 and response.mimetype == "text/html":
                    self.pages.append(url)
                for name in int_args:
                    for hostile in HOSTILE_IDS:
                        self.request(method, _url(rule, world, (name, hostile)),
                                     {"csrf_token": self.token} if method == "POST" else None, f"[{name}={hostile!r}]")

    def fuzz_forms(self, url: str) -> None:
        response = self.client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            return
        parser = FormParser()
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            action = urljoin(url, form.action) if form.action else url
            if urlsplit(action).path.endswith("/logout"):
                continue
            names = tuple(sorted({name for name, kind, _ in form.fields if name != "csrf_token" and kind != "file"}))
            key = (form.method, re.sub(r"\d+", "#", urlsplit(action).path), names)
            if not names or key in self.seen_forms:
                continue
            self.seen_forms.add(key)
            self._fuzz_form(form, action, names)

    def _fuzz_form(self, form: FoundForm, action: str, names: tuple[str, ...]) -> None:
        method = "POST" if form.method == "post" else "GET"
        baseline = _baseline(form)
        for name in names:
            for value in [*HOSTILE_VALUES, DUPLICATED]:
                data = {k: list(v) for k, v in baseline.items()}
                if value is DUPLICATED:
                    data[name] = [*(baseline.get(name) or ["1"]), "²"]
                    label = f"[{name} duplicated]"
                else:
                    data[name] = [value]
                    label = f"[{name}={value[:40]!r}{'…' if len(value) > 40 else ''}]"
                self.request(method, action, data, label)


def _sign_in(client, role: str) -> None:
    if role == "operator":
        assert login(client, None, "operator").status_code == 302
    elif role != "anonymous":
        assert login(client, SLUG, role).status_code == 302


@pytest.mark.parametrize("role", ROLES)
def test_no_input_makes_a_server_error(app, role, monkeypatch):
    world = _build_world(app)
    monkeypatch.setitem(app.config, "PROPAGATE_UNEXPECTED", False)
    errors = _LastError()
    logging.getLogger("app.web.errors").addHandler(errors)
    try:
        client = app.test_client()
        _sign_in(client, role)
        fuzzer = Fuzzer(app, client, role, errors)
        home = "/platform/" if role == "operator" else f"/{SLUG}/"
        page = client.get(home).get_data(as_text=True)
        match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
        fuzzer.token = match.group(1) if match else ""
        fuzzer.sweep(world)
        extra = [p.format(slug=SLUG, unit=world.org.unit_id) for p in EXTRA_PAGES]
        for url in [*fuzzer.pages, *extra]:
            fuzzer.fuzz_forms(url)
    finally:
        logging.getLogger("app.web.errors").removeHandler(errors)
    assert not fuzzer.failures, f"{len(fuzzer.failures)} server errors:\n" + "\n".join(fuzzer.failures)


def test_the_fuzzer_finds_the_forms_and_their_fields(app):
    parser = FormParser()
    parser.feed('<form method="post" action="/x"><input type="hidden" name="csrf_token" value="t">'
                '<input name="a" value="1"><select name="b"><option value="1">x</option>'
                '<option value="2" selected>y</option></select><textarea name="c">teks</textarea>'
                '<input type="checkbox" name="d"><input type="radio" name="e" value="p">'
                '<input type="radio" name="e" value="q"><button>Simpan</button></form>')
    (form,) = parser.forms
    assert (form.method, form.action) == ("post", "/x")
    assert _baseline(form) == {"csrf_token": ["t"], "a": ["1"], "b": ["2"], "c": ["teks"], "e": ["p"]}


def test_hostile_ids_reach_every_kind_of_id(app):
    """Every <int:...> parameter is known, so the sweep builds hostile URLs for all of them."""
    with app.test_request_context():
        int_params = {n for rule in app.url_map.iter_rules() for n in rule.arguments
                      if rule._converters[n].__class__.__name__.endswith("IntConverter")}
    assert int_params and int_params <= set(PARAM_OBJECTS)
