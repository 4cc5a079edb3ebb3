"""PAdES signatures: a throw-away CA and signer made here, the PKCS#12 stored with
``flask documents signing-key``, an issued document signed and validated by
pyHanko against that CA; the verification page says it is signed."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from sqlalchemy import select

from app.audit import AuditEntry
from app.extensions import db
from app.reports import signing
from app.reports.models import IssuedDocument
from app.tenancy import all_tenants, tenant_scope
from app.tenancy.models import Tenant
from tests.conftest import login
from tests.reports_support import build_year

PASSPHRASE = "sandi-sertifikat-uji"


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pemerintah Kota Uji"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_ca_and_signer() -> tuple[x509.Certificate, bytes]:
    """A CA certificate and a PKCS#12 (signer key + certificate + CA) protected by PASSPHRASE."""
    now = datetime.now(UTC) - timedelta(days=1)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = (x509.CertificateBuilder().subject_name(_name("CA Uji")).issuer_name(_name("CA Uji"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now).not_valid_after(now + timedelta(days=365))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (x509.CertificateBuilder().subject_name(_name("BKPSDM Kota Uji")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + timedelta(days=180))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    p12 = pkcs12.serialize_key_and_certificates(
        b"signer", key, cert, [ca], serialization.BestAvailableEncryption(PASSPHRASE.encode()))
    return ca, p12


@pytest.fixture
def signed_year(app, tmp_path, monkeypatch):
    with app.app_context():
        year = build_year("kota-ttd", "nasional")
        db.session.remove()
    ca, p12 = make_ca_and_signer()
    path = tmp_path / "bkpsdm.p12"
    path.write_bytes(p12)
    monkeypatch.setenv("P12_PASS", PASSPHRASE)
    result = app.test_cli_runner().invoke(args=["documents", "signing-key", "kota-ttd", str(path),
                                                "--passphrase-env", "P12_PASS"])
    assert result.exit_code == 0, result.output
    return year, ca, p12


def test_the_cli_stores_a_certificate_that_loads_and_refuses_one_that_does_not(app, signed_year, tmp_path,
                                                                             monkeypatch):
    _year, _ca, p12 = signed_year
    with app.app_context(), all_tenants("test"):
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-ttd"))
        assert tenant.signing_key and PASSPHRASE not in tenant.signing_passphrase
        assert signing.decrypt_passphrase(tenant.signing_passphrase) == PASSPHRASE
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.tenant_id == tenant.id)).all()
        assert "tenant.signing_key" in actions
    monkeypatch.setenv("WRONG", "bukan-sandinya")
    path = tmp_path / "again.p12"
    path.write_bytes(p12)
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["documents", "signing-key", "kota-ttd", str(path), "--passphrase-env", "WRONG"])
    assert refused.exit_code != 0 and "tidak dapat dibuka" in refused.output
    assert runner.invoke(args=["documents", "signing-key", "kota-ttd"]).exit_code != 0
    removed = runner.invoke(args=["documents", "signing-key", "kota-ttd", "--remove"])
    assert removed.exit_code == 0, removed.output
    with app.app_context(), all_tenants("test"):
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "kota-ttd"))
        assert tenant.signing_key is None and tenant.signing_passphrase is None


def test_an_issued_document_carries_a_pades_signature_that_validates(app, signed_year):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    year, ca, _p12 = signed_year
    client = app.test_client()
    assert login(client, year.slug, "pegawai").status_code == 302
    response = client.get(f"/{year.slug}/dokumen/skp/{year.plan_id}")
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    reader = PdfFileReader(io.BytesIO(response.data))
    assert len(reader.embedded_signatures) == 1
    embedded = reader.embedded_signatures[0]
    assert embedded.field_name == "Signature1"
    from asn1crypto import x509 as asn1_x509

    root = asn1_x509.Certificate.load(ca.public_bytes(serialization.Encoding.DER))
    # pyHanko validates through asyncio.run: on a thread of its own, as the app signs
    # (a browser test earlier in this worker may have left an event loop running).
    with ThreadPoolExecutor(max_workers=1) as pool:
        status = pool.submit(validate_pdf_signature, embedded, ValidationContext(trust_roots=[root])).result()
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert embedded.sig_object["/Reason"].startswith("Dokumen ")
    assert embedded.sig_object["/Location"] == "Kota Uji"

    with app.app_context(), tenant_scope(year.org.tenant):
        doc = db.session.scalar(select(IssuedDocument))
        assert doc.signed
        code = doc.code
    page = app.test_client().get(f"/{year.slug}/verifikasi/{code}").get_data(as_text=True)
    assert "ditandatangani secara elektronik" in page
