"""SIASN credentials are kept under their own secretbox label, not the signing
passphrase's: saved through the settings service they decrypt under the new
label only; migration 0024 moves values stored under the old label (every
tenant's), leaves values it cannot read as they were, and its downgrade moves
them back; run through alembic, an old-label row ends up readable by the app."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from app import secretbox
from app.extensions import db
from app.reports import signing
from app.siasn import settings
from app.siasn.models import SiasnSettings
from app.tenancy import TenantRef, tenant_scope
from tests.conftest import make_tenant

MIGRATION = Path(__file__).resolve().parent.parent / "migrations" / "versions" / "0024_siasn_credential_label.py"
SECRETS = {"consumer_key_enc": "ck-rahasia", "consumer_secret_enc": "cs-rahasia", "password_enc": "pw-rahasia"}
CREDENTIALS = settings.Credentials("ck-rahasia", "cs-rahasia", "klien", "operator", "pw-rahasia")


def _migration():
    spec = importlib.util.spec_from_file_location("migration_0024", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tenant(slug: str) -> TenantRef:
    """A new tenant, as a reference that outlives the session."""
    tenant = make_tenant(slug)
    return TenantRef(tenant.id, tenant.slug)


def _save(tenant) -> None:
    with tenant_scope(tenant):
        settings.save(settings.SettingsData(consumer_key="ck-rahasia", consumer_secret="cs-rahasia",
                                            client_id="klien", username="operator", password="pw-rahasia"))
        db.session.commit()


def _stored(tenant) -> dict[str, str | None]:
    with tenant_scope(tenant):
        row = db.session.scalar(select(SiasnSettings))
        db.session.refresh(row)
        return {name: getattr(row, name) for name in SECRETS}


def _write(tenant, values: dict[str, str | None]) -> None:
    with tenant_scope(tenant):
        row = db.session.scalar(select(SiasnSettings))
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()


def _credentials(tenant):
    with tenant_scope(tenant):
        return settings.config().credentials


def _old_label(values=SECRETS) -> dict[str, str]:
    return {name: secretbox.encrypt(signing.SIGNING_PASSPHRASE, plain) for name, plain in values.items()}


def test_saved_credentials_decrypt_under_their_own_label_only(app_context):
    tenant = _tenant("kota-uji")
    _save(tenant)

    stored = _stored(tenant)
    for name, plain in SECRETS.items():
        assert stored[name] != plain
        assert secretbox.decrypt(secretbox.SIASN_CREDENTIAL, stored[name]) == plain
        with pytest.raises(secretbox.Unreadable):
            secretbox.decrypt(signing.SIGNING_PASSPHRASE, stored[name])
        with pytest.raises(signing.SigningUnavailable):
            signing.decrypt_passphrase(stored[name])
    assert _credentials(tenant) == CREDENTIALS


def test_a_value_the_app_cannot_read_counts_as_not_set(app_context):
    tenant = _tenant("kota-uji")
    _save(tenant)
    # Under the old label, or under another SECRET_KEY: the credentials are as if not set.
    _write(tenant, _old_label())
    assert _credentials(tenant) is None
    _write(tenant, {"password_enc": secretbox.encrypt(secretbox.SIASN_CREDENTIAL, "pw", secret_key="kunci-lain")})
    assert _credentials(tenant) is None


def test_migration_moves_old_label_values_of_every_tenant_and_leaves_unreadable_ones(app_context, owner_engine):
    migration = _migration()
    assert migration.OLD_LABEL == signing.SIGNING_PASSPHRASE
    assert migration.NEW_LABEL == secretbox.SIASN_CREDENTIAL
    a, b = _tenant("kota-a"), _tenant("kota-b")
    _save(a)
    _save(b)
    _write(a, _old_label())
    # b: the key under the old label, the secret from another SECRET_KEY, the password already moved.
    foreign = secretbox.encrypt(signing.SIGNING_PASSPHRASE, "cs-rahasia", secret_key="kunci-lain")
    b_before = {**_old_label({"consumer_key_enc": "ck-rahasia"}), "consumer_secret_enc": foreign,
                "password_enc": _stored(b)["password_enc"]}
    _write(b, b_before)
    db.session.remove()

    with owner_engine.begin() as conn:  # as alembic runs it: the owner, no tenant set
        assert migration.relabel(conn, migration.OLD_LABEL, migration.NEW_LABEL) == 4

    assert _credentials(a) == CREDENTIALS
    after = _stored(b)
    assert secretbox.decrypt(secretbox.SIASN_CREDENTIAL, after["consumer_key_enc"]) == "ck-rahasia"
    assert after["consumer_secret_enc"] == foreign
    assert after["password_enc"] == b_before["password_enc"]
    assert _credentials(b) is None  # the secret stays unreadable: entered again by the admin

    with owner_engine.begin() as conn:  # running it again changes nothing
        assert migration.relabel(conn, migration.OLD_LABEL, migration.NEW_LABEL) == 0

    with owner_engine.begin() as conn:  # downgrade: back under the old label
        assert migration.relabel(conn, migration.NEW_LABEL, migration.OLD_LABEL) == 5
    for name, value in _stored(a).items():
        assert signing.decrypt_passphrase(value) == SECRETS[name]
    assert _stored(b)["consumer_secret_enc"] == foreign
    assert _credentials(a) is None


def test_alembic_upgrade_makes_an_old_label_row_readable(app, owner_engine):
    with app.app_context():
        tenant = _tenant("kota-uji")
        _save(tenant)
        db.session.remove()
        downgrade(revision="0023")
        try:
            for name, value in _stored(tenant).items():  # moved back under the old label
                assert signing.decrypt_passphrase(value) == SECRETS[name]
            _write(tenant, _old_label())
            db.session.remove()
        finally:
            upgrade(revision="heads")
        assert _credentials(tenant) == CREDENTIALS
        db.session.remove()
