"""Sign-in, server-side sessions, throttling, CSRF and security headers."""

from http.cookies import SimpleCookie

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.tenancy import all_tenants, utc_now
from tests.conftest import PASSWORD, csrf_token, login


def _session_cookie(client) -> str:
    cookie = client.get_cookie("kinerja_session")
    assert cookie is not None
    return cookie.value


def _replay(app, cookie_value: str, path: str):
    """A second browser that stole the cookie."""
    thief = app.test_client()
    thief.set_cookie("kinerja_session", cookie_value)
    return thief.get(path)


def test_sign_in_and_out(client, two_tenants):
    assert login(client, "kota-a", "pegawai").status_code == 302
    assert client.get("/kota-a/").status_code == 200
    client.post("/kota-a/logout", data={"csrf_token": csrf_token(client, "/kota-a/")})
    assert client.get("/kota-a/").status_code == 302


def test_cookie_replayed_after_logout_is_refused(app, client, two_tenants):
    login(client, "kota-a", "pegawai")
    stolen = _session_cookie(client)
    assert _replay(app, stolen, "/kota-a/").status_code == 200  # the copy works while signed in
    client.post("/kota-a/logout", data={"csrf_token": csrf_token(client, "/kota-a/")})
    response = _replay(app, stolen, "/kota-a/")
    assert response.status_code == 302 and "/kota-a/login" in response.location


def test_cookie_replayed_after_password_change_is_refused(app, client, two_tenants):
    other_browser = app.test_client()
    login(other_browser, "kota-a", "pegawai")
    login(client, "kota-a", "pegawai")
    token = csrf_token(client, "/kota-a/akun/kata-sandi")
    response = client.post("/kota-a/akun/kata-sandi", data={
        "csrf_token": token, "current_password": PASSWORD,
        "new_password": "Baru-Sekali-2027", "confirm": "Baru-Sekali-2027"})
    assert response.status_code == 302
    assert client.get("/kota-a/").status_code == 200  # this browser stays signed in
    assert other_browser.get("/kota-a/").status_code == 302  # the other session ended
    assert login(app.test_client(), "kota-a", "pegawai", "Baru-Sekali-2027").status_code == 302


def test_deactivation_ends_existing_sessions(app, client, two_tenants):
    a, _ = two_tenants
    login(client, "kota-a", "pegawai")
    admin = app.test_client()
    login(admin, "kota-a", "admin")
    admin.post(f"/kota-a/admin/akun/{a.user_ids['pegawai']}/nonaktifkan",
               data={"csrf_token": csrf_token(admin, "/kota-a/admin/akun")})
    assert client.get("/kota-a/").status_code == 302
    assert login(app.test_client(), "kota-a", "pegawai").status_code == 200  # refused


def test_unknown_user_and_wrong_password_get_the_same_answer(client, two_tenants):
    unknown = login(client, "kota-a", "tidak-ada", "Salah-Sandi-1")
    wrong = login(client, "kota-a", "pegawai", "Salah-Sandi-1")
    assert unknown.status_code == wrong.status_code == 200

    def message(r):
        html = r.get_data(as_text=True)
        return html[html.index('<p class="error"'):].split("</p>")[0]

    assert message(unknown) == message(wrong)
    assert "Nama pengguna atau kata sandi salah" in message(wrong)


def test_a_user_of_one_tenant_cannot_sign_in_at_another(client, two_tenants):
    # Both tenants have a "pegawai"; B's password is the same, but the account is A's.
    assert login(client, "kota-a", "pegawai").status_code == 302
    assert client.get("/kota-b/").status_code == 302  # A's session means nothing at B


def test_session_is_renewed_at_sign_in(client, two_tenants):
    client.get("/kota-a/login")
    before = _session_cookie(client)
    login(client, "kota-a", "pegawai")
    assert _session_cookie(client) != before


def _age_failures(app, seconds: int) -> None:
    """Pretend the recorded failed sign-ins happened ``seconds`` earlier."""
    from datetime import timedelta

    from app.auth.models import LoginAttempt

    with app.app_context():
        for attempt in db.session.scalars(select(LoginAttempt)):
            attempt.attempted_at -= timedelta(seconds=seconds)
        db.session.commit()


def _client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_repeated_failures_are_throttled(app, client, two_tenants):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert login(client, "kota-a", "pegawai", "Salah-Sandi-1").status_code == 200
    # From this client the account now waits, whatever password is given
    # (issue #9: it is no longer locked for everyone, see below) …
    throttled = login(client, "kota-a", "pegawai")
    assert throttled.status_code == 429
    assert "Tunggu" in throttled.get_data(as_text=True)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, "kota-a", "hantu", "Salah-Sandi-1")
    assert login(client, "kota-a", "hantu", "Salah-Sandi-1").status_code == 429
    # Another account is not locked by someone hammering this one.
    assert login(client, "kota-a", "penilai").status_code == 302


def test_failures_cannot_lock_the_owner_out(app, two_tenants):
    attacker = _client_at(app, "203.0.113.66")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 3):
        login(attacker, "kota-a", "pegawai", "Salah-Sandi-1")
    assert login(attacker, "kota-a", "pegawai").status_code == 429
    # The owner, signing in from their own browser, gets in …
    assert login(_client_at(app, "198.51.100.5"), "kota-a", "pegawai").status_code == 302
    # … and the platform operator too, while someone guesses at the operator account.
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 1):
        login(attacker, None, "operator", "Salah-Sandi-1")
    assert login(attacker, None, "operator").status_code == 429
    assert login(_client_at(app, "198.51.100.6"), None, "operator").status_code == 302


def test_the_right_password_gets_in_after_a_pause_and_the_delays_grow(app, two_tenants):
    from app.auth import throttle

    client = _client_at(app, "198.51.100.7")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, "kota-a", "pegawai", "Salah-Sandi-1")
    assert login(client, "kota-a", "pegawai").status_code == 429
    first = app.config["LOGIN_DELAY_BASE"]
    _age_failures(app, first + 1)
    # One more failure after the pause doubles the next wait.
    assert login(client, "kota-a", "pegawai", "Salah-Sandi-1").status_code == 200
    with app.test_request_context(environ_base={"REMOTE_ADDR": "198.51.100.7"}):
        wait = throttle.retry_after("kota-a", "pegawai")
    assert first < wait <= 2 * first
    assert login(client, "kota-a", "pegawai").status_code == 429
    _age_failures(app, 2 * first + 1)
    assert login(client, "kota-a", "pegawai").status_code == 302
    # Success forgets this client's failures for the account.
    with app.test_request_context(environ_base={"REMOTE_ADDR": "198.51.100.7"}):
        assert throttle.retry_after("kota-a", "pegawai") == 0


def test_the_per_client_limit_is_per_realm(app, two_tenants, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_CLIENT", 4)
    office = _client_at(app, "203.0.113.50")
    for name in ("a1", "a2", "a3", "a4"):
        login(office, "kota-a", name, "Salah-Sandi-1")
    assert login(office, "kota-a", "penilai").status_code == 429
    # The same address signs in elsewhere: another tenant and the platform.
    assert login(office, "kota-b", "penilai").status_code == 302
    assert login(_client_at(app, "203.0.113.50"), None, "operator").status_code == 302


def test_post_without_csrf_token_is_refused(client, two_tenants):
    response = client.post("/kota-a/login", data={"username": "pegawai", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/kota-a/").status_code == 302
    login(client, "kota-a", "admin")
    response = client.post("/kota-a/admin/unit/baru", data={"code": "X1", "name": "Tanpa Token", "kind": "dinas"})
    assert response.status_code == 400


def test_logout_needs_post_with_csrf(client, two_tenants):
    login(client, "kota-a", "pegawai")
    assert client.get("/kota-a/logout").status_code == 405
    assert client.post("/kota-a/logout").status_code == 400
    assert client.get("/kota-a/").status_code == 200


def test_password_hash_is_argon2id_with_asvs_parameters(app_context, two_tenants):
    with all_tenants("test"):
        stored = db.session.scalar(select(User.password_hash).where(User.username == "pegawai"))
    assert stored.startswith("$argon2id$")
    params = dict(p.split("=") for p in stored.split("$")[3].split(","))
    assert int(params["m"]) >= 19 * 1024 and int(params["t"]) >= 2 and int(params["p"]) == 1


def test_cookies_and_security_headers(client, two_tenants):
    response = login(client, "kota-a", "pegawai")
    set_cookie = response.headers.get("Set-Cookie")
    cookie = SimpleCookie(set_cookie)["kinerja_session"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    page = client.get("/kota-a/")
    csp = page.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"


def test_production_cookies_are_secure(database_url):
    from app import create_app

    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x" * 32,
                                    "PUBLIC_BASE_URL": "https://kinerja.example.go.id"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_open_redirect_after_login_is_refused(client, two_tenants):
    token = csrf_token(client, "/kota-a/login")
    response = client.post("/kota-a/login", data={"username": "pegawai", "password": PASSWORD,
                                                  "csrf_token": token, "next": "https://evil.example/"})
    assert response.location.endswith("/kota-a/")


def test_platform_operator_signs_in_only_at_the_platform(client, two_tenants):
    assert login(client, "kota-a", "operator").status_code == 200  # not a tenant account
    assert login(client, None, "operator").status_code == 302
    assert client.get("/platform/").status_code == 200
    assert client.get("/kota-a/").status_code == 302  # no tenant session


def test_tenant_admin_cannot_use_platform_pages(client, two_tenants):
    login(client, "kota-a", "admin")
    assert client.get("/platform/").status_code == 302
    assert login(client, None, "admin").status_code == 200  # tenant admins are not operators


def test_idle_and_old_sessions_end(app, client, two_tenants):
    from datetime import timedelta

    from app.auth.models import UserSession

    def age_sessions(**fields):
        with app.app_context(), all_tenants("test: age the sessions"):
            for row in db.session.scalars(select(UserSession)):
                for name, value in fields.items():
                    setattr(row, name, value)
            db.session.commit()

    login(client, "kota-a", "pegawai")
    assert client.get("/kota-a/").status_code == 200
    age_sessions(last_seen_at=utc_now() - timedelta(seconds=app.config["SESSION_IDLE_TIMEOUT"] + 60))
    assert client.get("/kota-a/").status_code == 302  # idle too long

    login(client, "kota-a", "pegawai")
    assert client.get("/kota-a/").status_code == 200
    age_sessions(created_at=utc_now() - timedelta(seconds=app.config["SESSION_MAX_AGE"] + 60),
                 last_seen_at=utc_now())
    assert client.get("/kota-a/").status_code == 302  # active, but signed in too long ago


def test_forwarded_client_address_is_used_only_behind_a_trusted_proxy(database_url):
    from flask import request

    from app import create_app

    seen = {}
    for hops in (0, 1):
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "PROXY_HOPS": hops})

        @app.route("/_addr")
        def _addr():
            return request.remote_addr

        seen[hops] = app.test_client().get("/_addr", headers={"X-Forwarded-For": "203.0.113.9"}).get_data(as_text=True)
    assert seen[0] != "203.0.113.9"  # nobody trusted: a client cannot fake its address
    assert seen[1] == "203.0.113.9"


# --- passwords (issue #9, item 13) ---------------------------------------------------

def test_common_and_breached_passwords_are_refused(app_context, two_tenants):
    from app.auth.passwords import password_problems

    for weak in ("!!!!!!!!!!", "Password123", "qwertyuiop1", "\x00" * 12, "P@ssw0rd2024", "iloveyou12"):
        assert password_problems(weak, "pegawai"), weak
    for good in (PASSWORD, "Baru-Sekali-2027", "Sandi-Platform-2026", "Pertama-Sekali-2026"):
        assert password_problems(good, "pegawai") == [], good


def test_a_common_password_is_refused_when_changing_it(client, two_tenants):
    login(client, "kota-a", "pegawai")
    token = csrf_token(client, "/kota-a/akun/kata-sandi")
    response = client.post("/kota-a/akun/kata-sandi", data={
        "csrf_token": token, "current_password": PASSWORD,
        "new_password": "Password123", "confirm": "Password123"})
    assert response.status_code in (200, 422)
    assert "terlalu umum" in response.get_data(as_text=True)
