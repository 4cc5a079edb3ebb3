"""SIASN payloads (../shared/DOCUMENTS.md §5.2, §5.3) of final evaluations built the
way the app builds them, field by field, in a matrix region (nasional) and a numeric
one (sawahlunto); what cannot be mapped is a reason, never a crash; the settings."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import models as m
from app.errors import Invalid
from app.extensions import db
from app.org.models import Employee, Position, Unit
from app.periods.models import Period, PeriodKind
from app.siasn import mapping, settings
from app.siasn.models import SiasnSettings
from app.tenancy import tenant_scope
from tests.reports_support import YEAR, build_year

PERIODIC_FIELDS = {"id", "pnsDinilaiId", "tahun", "periodikId", "bulanMulaiPenilaian", "bulanSelesaiPenilaian",
                   "tahunMulaiPenilaian", "tahunSelesaiPenilaian", "hasilKinerjaNilai", "perilakuKerjaNilai",
                   "kuadranKinerjaNilai", "koefisienId", "penilaiNipNrp", "penilaiNama", "penilaiGolongan",
                   "penilaiJabatanNama", "penilaiUnorNama", "statusPenilai", "path"}
ANNUAL_FIELDS = {"id", "pnsDinilaiOrang", "tahun", "hasilKinerjaNilai", "perilakuKerjaNilai", "kuadranKinerjaNilai",
                 "penilaiNipNrp", "penilaiNama", "penilaiGolongan", "penilaiJabatan", "penilaiUnorNama",
                 "statusPenilai", "path"}


@pytest.fixture
def matrix(app):
    with app.app_context():
        year = build_year("kota-uji", "nasional")
        db.session.remove()
    return year


def _penilai(year):
    penilai = db.session.get(Employee, year.org.penilai_id)
    position = db.session.get(Position, penilai.position_id)
    unit = db.session.get(Unit, position.unit_id)
    return penilai.nip, position.name, unit.name


def test_a_matrix_quarter_maps_to_kinerjaperiodik_field_by_field(app, matrix):
    with app.app_context(), tenant_scope(matrix.org.tenant):
        pegawai = db.session.get(Employee, matrix.org.pegawai_id)  # held: the identity map is weak
        pegawai.siasn_id = "A8ACA7397AEB3912E040640A040269BB"
        evaluation = db.session.get(m.Evaluation, matrix.evaluation_id)
        assert evaluation.predikat_code == "baik"  # hasil sesuai × perilaku di atas
        payload = mapping.build(evaluation, settings.config())
        again = mapping.build(evaluation, settings.config(), "rw-77")
        penilai_nip, jabatan, unor = _penilai(matrix)
    assert payload.endpoint == "kinerjaperiodik/save"
    assert set(payload.body) == PERIODIC_FIELDS
    assert payload.body == {
        "id": "", "pnsDinilaiId": "A8ACA7397AEB3912E040640A040269BB", "tahun": YEAR, "periodikId": "1",
        "bulanMulaiPenilaian": 1, "bulanSelesaiPenilaian": 3,
        "tahunMulaiPenilaian": YEAR, "tahunSelesaiPenilaian": YEAR,
        "hasilKinerjaNilai": 2, "perilakuKerjaNilai": 3,  # the stored ratings: sesuai, di atas
        "kuadranKinerjaNilai": 2,  # baik, by the default mapping
        "koefisienId": "1",
        "penilaiNipNrp": penilai_nip, "penilaiNama": matrix.penilai_name, "penilaiGolongan": "34",  # III/d
        "penilaiJabatanNama": jabatan, "penilaiUnorNama": unor, "statusPenilai": "ASN", "path": [],
    }
    # A resend updates the record SIASN already has.
    assert again.body["id"] == "rw-77"


def test_a_numeric_region_derives_the_ratings_from_the_predikat(app):
    with app.app_context():
        year = build_year("sawahlunto", "sawahlunto")
        with tenant_scope(year.org.tenant):
            pegawai = db.session.get(Employee, year.org.pegawai_id)  # held: the identity map is weak
            pegawai.siasn_id = "PNS-1"
            evaluation = db.session.get(m.Evaluation, year.evaluation_id)
            predikat, period = evaluation.predikat_code, evaluation.period
            assert evaluation.result.get("period", {}).get("hasil_kerja_rating") is None  # no ratings stored
            cfg = settings.config()
            payload = mapping.build(evaluation, cfg)
            penilai_nip, jabatan, unor = _penilai(year)
    hasil, perilaku = settings.DEFAULT_RATINGS[predikat]
    assert set(payload.body) == PERIODIC_FIELDS
    assert payload.body == {
        "id": "", "pnsDinilaiId": "PNS-1", "tahun": YEAR, "periodikId": cfg.periodik[mapping.periodik_key(period)],
        "bulanMulaiPenilaian": period.starts_on.month, "bulanSelesaiPenilaian": period.ends_on.month,
        "tahunMulaiPenilaian": YEAR, "tahunSelesaiPenilaian": YEAR,
        "hasilKinerjaNilai": hasil, "perilakuKerjaNilai": perilaku,
        "kuadranKinerjaNilai": int(settings.DEFAULT_KUADRAN[predikat]), "koefisienId": "1",
        "penilaiNipNrp": penilai_nip, "penilaiNama": year.penilai_name, "penilaiGolongan": "34",
        "penilaiJabatanNama": jabatan, "penilaiUnorNama": unor, "statusPenilai": "ASN", "path": [],
    }


def test_an_annual_result_maps_to_skp22_with_its_own_field_names(app, matrix):
    with app.app_context(), tenant_scope(matrix.org.tenant):
        pegawai = db.session.get(Employee, matrix.org.pegawai_id)  # held: the identity map is weak
        pegawai.siasn_id = "PNS-2"
        year = db.session.scalar(select(Period).where(Period.kind == PeriodKind.YEAR))
        annual = m.Evaluation(plan_id=matrix.plan_id, period=year, status=m.EvaluationStatus.FINAL,
                              evaluator_id=matrix.org.penilai_id, predikat_code="sangat_baik",
                              predikat_label="Sangat Baik", inputs={}, result={"kind": "annual"})
        db.session.add(annual)
        db.session.flush()
        payload = mapping.build(annual, settings.config())
        penilai_nip, jabatan, unor = _penilai(matrix)
        db.session.rollback()
    assert payload.endpoint == "skp22/save"
    assert set(payload.body) == ANNUAL_FIELDS
    assert payload.body == {
        "id": "", "pnsDinilaiOrang": "PNS-2", "tahun": YEAR, "hasilKinerjaNilai": 3, "perilakuKerjaNilai": 3,
        "kuadranKinerjaNilai": 5, "penilaiNipNrp": penilai_nip, "penilaiNama": matrix.penilai_name,
        "penilaiGolongan": "34", "penilaiJabatan": jabatan, "penilaiUnorNama": unor,
        "statusPenilai": "ASN", "path": [],
    }


def test_what_cannot_be_mapped_is_a_reason_per_evaluation(app, matrix):
    with app.app_context(), tenant_scope(matrix.org.tenant):
        evaluation = db.session.get(m.Evaluation, matrix.evaluation_id)
        penilai = db.session.get(Employee, matrix.org.penilai_id)  # held: the identity map is weak
        penilai.rank_code = "IX"  # a PPPK golongan: no default id
        with pytest.raises(mapping.NotReady) as caught:
            mapping.build(evaluation, settings.config())
        reason = mapping.readiness(evaluation, settings.config())
        # Set by the admin, both go away.
        pegawai = db.session.get(Employee, matrix.org.pegawai_id)  # held: the identity map is weak
        pegawai.siasn_id = "PNS-3"
        settings.save(settings.SettingsData(golongan="IX = 59"))
        assert mapping.readiness(evaluation, settings.config()) is None
        assert mapping.build(evaluation, settings.config()).body["penilaiGolongan"] == "59"
        db.session.rollback()
    assert caught.value.reasons == ["ID SIASN pegawai belum diisi", "ID golongan IX belum diatur"]
    assert reason == "Belum dapat dikirim: ID SIASN pegawai belum diisi; ID golongan IX belum diatur."


def test_settings_are_validated_and_secrets_stored_encrypted(app, matrix):
    with app.app_context(), tenant_scope(matrix.org.tenant):
        for data, field in [
            (settings.SettingsData(golongan="V/a = 51"), "golongan"),
            (settings.SettingsData(periodik="triwulan_9 = 1"), "periodik"),
            (settings.SettingsData(kuadran="baik = dua puluh"), "kuadran"),
            (settings.SettingsData(ratings="baik = 2,4"), "ratings"),
            (settings.SettingsData(base_url="ftp://siasn"), "base_url"),
            (settings.SettingsData(status_penilai="PNS"), "status_penilai"),
        ]:
            with pytest.raises(Invalid) as caught:
                settings.save(data)
            assert caught.value.field == field
            db.session.rollback()
        settings.save(settings.SettingsData(
            base_url="https://siasn.test/api/", apim_token_url="https://siasn.test/token",
            sso_token_url="https://sso.test/token", consumer_key="ck", consumer_secret="rahasia-sekali",
            client_id="cid", username="u", password="sandi-sekali", kuadran="baik = 7\n# catatan\n",
            ratings="cukup = 2,1"))
        db.session.commit()
        row = db.session.scalar(select(SiasnSettings))
        cfg = settings.config()
        entry = db.session.scalars(select(m.AuditEntry).where(m.AuditEntry.action == "siasn.settings")).one()
    assert row.consumer_secret_enc and "rahasia-sekali" not in row.consumer_secret_enc
    assert "sandi-sekali" not in str(entry.after) and "rahasia" not in str(entry.after)
    assert cfg.can_send and cfg.base_url == "https://siasn.test/api"
    assert cfg.credentials.password == "sandi-sekali" and cfg.credentials.consumer_secret == "rahasia-sekali"
    assert cfg.kuadran["baik"] == "7" and cfg.kuadran["sangat_baik"] == "5"  # others keep their defaults
    assert cfg.ratings["cukup"] == (2, 1)
