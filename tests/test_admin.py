"""Admin instansi screens: list, search, page, create, edit, deactivate."""

from sqlalchemy import select

from app.extensions import db
from app.org.models import Employee, Unit
from app.tenancy import tenant_scope
from app.tenancy.models import Tenant
from tests.conftest import csrf_token, login

VALID_NIP = "199103152015031002"  # born 15-03-1991, TMT CPNS 03-2015, male, 002


def _admin(client):
    assert login(client, "kota-a", "admin").status_code == 302
    return client


def _post(client, url, data):
    # The token belongs to the session, so any admin page provides it.
    data = {"csrf_token": csrf_token(client, "/kota-a/admin/"), **data}
    return client.post(url, data=data)


def _in_a(query):
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-a"))
    with tenant_scope(tenant):
        return db.session.scalars(query).all()


def test_only_admins_reach_the_admin_pages(client, two_tenants):
    login(client, "kota-a", "pegawai")
    assert client.get("/kota-a/admin/pegawai").status_code == 403


def test_create_employee_then_find_it_by_name_and_nip(app, client, two_tenants):
    a, _ = two_tenants
    _admin(client)
    response = _post(client, "/kota-a/admin/pegawai/baru", {
        "nip": "19910315 201503 1 002", "name": "Rizky Pratama", "sex": "L", "employee_type": "PNS",
        "position_id": a.position_ids["STAF"], "email": ""})
    assert response.status_code == 302
    assert "Rizky Pratama" in client.get("/kota-a/admin/pegawai?q=rizky").get_data(as_text=True)
    page = client.get("/kota-a/admin/pegawai?q=1991031520").get_data(as_text=True)
    assert "Rizky Pratama" in page and "19910315 201503 1 002" in page
    assert "Rizky Pratama" not in client.get("/kota-a/admin/pegawai?q=budi").get_data(as_text=True)


def test_employee_search_matches_position_names_and_takes_wildcards_literally(app, client, two_tenants):
    a, _ = two_tenants
    _admin(client)
    _post(client, "/kota-a/admin/pegawai/baru", {
        "nip": "19910315 201503 1 002", "name": "Rizky Pratama", "sex": "L", "employee_type": "PNS",
        "position_id": a.position_ids["STAF"], "email": ""})
    by_position = client.get("/kota-a/admin/pegawai?q=administrasi+pelayan").get_data(as_text=True)
    assert "Rizky Pratama" in by_position  # the position is "Pengadministrasi Pelayanan"
    for wildcard in ("%", "_", "r%y"):  # neither matches everyone
        assert "Rizky Pratama" not in client.get(f"/kota-a/admin/pegawai?q={wildcard}").get_data(as_text=True)


def test_bad_employee_input_re_renders_with_messages_and_keeps_input(client, two_tenants):
    _admin(client)
    response = _post(client, "/kota-a/admin/pegawai/baru", {
        "nip": "199102302015031002", "name": "Siti Aminah", "sex": "P", "employee_type": "PNS",
        "position_id": "", "email": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "bukan tanggal yang ada" in html  # 30 February
    assert 'value="Siti Aminah"' in html  # nothing typed is lost


def test_sex_must_match_the_nip(client, two_tenants):
    _admin(client)
    response = _post(client, "/kota-a/admin/pegawai/baru", {
        "nip": VALID_NIP, "name": "Dewi Lestari", "sex": "P", "employee_type": "PNS", "position_id": ""})
    assert response.status_code == 422
    assert "digit ke-15" in response.get_data(as_text=True)


def test_duplicate_nip_is_refused(client, two_tenants, app):
    a, _ = two_tenants
    with app.app_context():
        existing = _in_a(select(Employee.nip).where(Employee.id == a.pegawai_id))[0]
    _admin(client)
    response = _post(client, "/kota-a/admin/pegawai/baru", {
        "nip": existing, "name": "Kembar", "sex": "P", "employee_type": "PNS", "position_id": ""})
    assert response.status_code == 422
    assert "sudah terdaftar" in response.get_data(as_text=True)


def test_structural_position_has_one_holder(client, two_tenants):
    a, _ = two_tenants
    _admin(client)
    response = _post(client, "/kota-a/admin/pegawai/baru", {
        "nip": VALID_NIP, "name": "Orang Kedua", "sex": "L", "employee_type": "PNS",
        "position_id": a.position_ids["KASI"]})
    assert response.status_code == 422
    assert "sudah dipegang" in response.get_data(as_text=True)


def test_stale_edit_is_refused_and_input_kept(app, client, two_tenants):
    a, _ = two_tenants
    _admin(client)
    url = f"/kota-a/admin/unit/{a.unit_id}"
    form_html = client.get(url).get_data(as_text=True)
    token = csrf_token(client, url)
    # Someone else saves first.
    other = _admin(app.test_client())
    assert _post(other, url, {"code": "DINKES", "name": "Dinas Kesehatan (baru)", "kind": "dinas",
                              "parent_id": "", "version": "1"}).status_code == 302
    assert 'name="version" type="hidden" value="1"' in form_html
    response = client.post(url, data={"csrf_token": token, "code": "DINKES", "name": "Nama Saya",
                                      "kind": "dinas", "parent_id": "", "version": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "sudah diubah orang lain" in html
    assert 'value="Nama Saya"' in html
    with app.app_context():
        assert _in_a(select(Unit.name).where(Unit.id == a.unit_id)) == ["Dinas Kesehatan (baru)"]


def test_unit_cannot_become_its_own_ancestor(app, client, two_tenants):
    a, _ = two_tenants
    _admin(client)
    assert _post(client, "/kota-a/admin/unit/baru", {
        "code": "PKM", "name": "Puskesmas Kota", "kind": "puskesmas", "parent_id": a.unit_id}).status_code == 302
    with app.app_context():
        child_id = _in_a(select(Unit.id).where(Unit.code == "PKM"))[0]
    response = _post(client, f"/kota-a/admin/unit/{a.unit_id}", {
        "code": "DINKES", "name": "Dinas Kesehatan", "kind": "dinas", "parent_id": child_id, "version": "1"})
    assert response.status_code == 422
    assert "bawahannya" in response.get_data(as_text=True)


def test_deactivating_a_unit_with_positions_is_refused(app, client, two_tenants):
    a, _ = two_tenants
    _admin(client)
    response = _post(client, f"/kota-a/admin/unit/{a.unit_id}/nonaktifkan", {})
    assert response.status_code == 302
    assert "masih memiliki" in client.get("/kota-a/admin/unit").get_data(as_text=True)
    with app.app_context():
        assert _in_a(select(Unit.active).where(Unit.id == a.unit_id)) == [True]


def test_deactivating_an_employee_ends_their_account(app, client, two_tenants):
    a, _ = two_tenants
    pegawai = app.test_client()
    login(pegawai, "kota-a", "pegawai")
    _admin(client)
    assert _post(client, f"/kota-a/admin/pegawai/{a.pegawai_id}/nonaktifkan", {}).status_code == 302
    assert pegawai.get("/kota-a/").status_code == 302


def statements_recorder(statements: list[str]):
    def record(conn, cursor, statement, *args):
        statements.append(statement)

    return record


def test_lists_page_with_a_constant_number_of_queries(app, client, two_tenants):
    from sqlalchemy import event

    _admin(client)
    counts = []
    for extra in (0, 30):
        with app.app_context():
            tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-a"))
            with tenant_scope(tenant):
                for i in range(extra):
                    db.session.add(Unit(code=f"U{i}", name=f"Unit {i}"))
                db.session.commit()
            statements: list[str] = []
            listener = statements_recorder(statements)
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                assert client.get("/kota-a/admin/unit").status_code == 200
                assert client.get("/kota-a/admin/pegawai").status_code == 200
                assert client.get("/kota-a/admin/jabatan").status_code == 200
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
            counts.append(len(statements))
    assert counts[0] == counts[1]


def test_pages_are_paged(app, client, two_tenants):
    _admin(client)
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-a"))
        with tenant_scope(tenant):
            for i in range(app.config["PAGE_SIZE"] + 5):
                db.session.add(Unit(code=f"P{i:03d}", name=f"Unit Paging {i:03d}"))
            db.session.commit()
    first = client.get("/kota-a/admin/unit?q=paging").get_data(as_text=True)
    second = client.get("/kota-a/admin/unit?q=paging&page=2").get_data(as_text=True)
    assert "Unit Paging 000" in first and "Unit Paging 029" not in first
    assert "Unit Paging 029" in second


def test_admin_creates_an_account_linked_to_an_employee(app, client, two_tenants):
    a, _ = two_tenants
    with app.app_context():
        nip = _in_a(select(Employee.nip).where(Employee.id == a.peer_id))[0]
    _admin(client)
    response = _post(client, "/kota-a/admin/akun/baru", {
        "username": "rekan", "employee_nip": nip, "password": "Sandi-Awal-2026"})
    assert response.status_code == 302
    assert login(app.test_client(), "kota-a", "rekan", "Sandi-Awal-2026").status_code == 302
    weak = _post(client, "/kota-a/admin/akun/baru", {"username": "lemah", "password": "12345678901"})
    assert weak.status_code == 422


def test_admin_cannot_deactivate_themselves(app, client, two_tenants):
    a, _ = two_tenants
    _admin(client)
    _post(client, f"/kota-a/admin/akun/{a.user_ids['admin']}/nonaktifkan", {})
    assert client.get("/kota-a/admin/").status_code == 200


def test_acting_assignment_makes_the_plt_the_supervisor(app, client, two_tenants):
    from app.org.hierarchy import supervisor_of

    a, _ = two_tenants
    with app.app_context():
        nip = _in_a(select(Employee.nip).where(Employee.id == a.peer_id))[0]
    _admin(client)
    response = _post(client, f"/kota-a/admin/jabatan/{a.position_ids['KASI']}/plt", {
        "employee_nip": nip, "kind": "plh", "starts_on": "2020-01-01", "ends_on": "", "decree": "800/12/2026"})
    assert response.status_code == 302
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-a"))
        with tenant_scope(tenant):
            pegawai = db.session.get(Employee, a.pegawai_id)
            assert supervisor_of(pegawai).id == a.peer_id
    page = client.get(f"/kota-a/admin/jabatan/{a.position_ids['KASI']}").get_data(as_text=True)
    assert "800/12/2026" in page


def test_reactivation_respects_single_holder_positions(app, client, two_tenants):
    a, _ = two_tenants
    _admin(client)
    assert _post(client, f"/kota-a/admin/pegawai/{a.penilai_id}/nonaktifkan", {}).status_code == 302
    # The kepala seksi position is now vacant; someone else takes it.
    assert _post(client, "/kota-a/admin/pegawai/baru", {
        "nip": VALID_NIP, "name": "Kasi Baru", "sex": "L", "employee_type": "PNS",
        "position_id": a.position_ids["KASI"]}).status_code == 302
    _post(client, f"/kota-a/admin/pegawai/{a.penilai_id}/aktifkan", {})
    with app.app_context():
        assert _in_a(select(Employee.active).where(Employee.id == a.penilai_id)) == [False]
    _post(client, f"/kota-a/admin/pegawai/{a.pegawai_id}/nonaktifkan", {})
    _post(client, f"/kota-a/admin/pegawai/{a.pegawai_id}/aktifkan", {})
    with app.app_context():
        assert _in_a(select(Employee.active).where(Employee.id == a.pegawai_id)) == [True]


def test_a_deactivated_account_page_offers_reactivation_once_and_not_in_its_title(app, client, two_tenants):
    a, _ = two_tenants
    _admin(client)
    assert _post(client, f"/kota-a/admin/akun/{a.user_ids['pegawai']}/nonaktifkan", {}).status_code == 302
    page = client.get(f"/kota-a/admin/akun/{a.user_ids['pegawai']}").get_data(as_text=True)
    title = page[page.index("<title>"):page.index("</title>")]
    assert "<form" not in title and "Aktifkan kembali" not in title
    assert page.count("Aktifkan kembali") == 1
