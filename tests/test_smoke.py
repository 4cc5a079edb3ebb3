from tests.conftest import login


def test_employee_signs_in_and_sees_their_supervisor(client, two_tenants):
    a, _b = two_tenants
    response = login(client, "kota-a", "pegawai")
    assert response.status_code == 302
    page = client.get("/kota-a/").get_data(as_text=True)
    assert "Penilai Kota-A" in page
    assert "Atasan Kota-A" in page
