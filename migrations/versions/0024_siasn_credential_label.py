"""siasn credential label

A tenant's SIASN consumer key, consumer secret and password were encrypted
under the signing passphrase's secretbox label; they get a label of their own
(``app.secretbox.SIASN_CREDENTIAL``) so that neither kind of secret decrypts as
the other. Every stored value that decrypts under the old label is encrypted
again under the new one; a value that does not (another SECRET_KEY, or already
moved) is left as it is. Downgrade moves them back.

Like 0022 this needs the application (``secretbox`` reads SECRET_KEY from it),
as every migration here does (migrations/env.py); it runs as the owner of the
tables, which row-level security does not restrict, so every tenant's row is
seen. The labels are written out here, as they were when this ran.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 05:45:00

"""
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

from app import secretbox

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

OLD_LABEL = b"kinerja signing passphrase v1"
NEW_LABEL = b"kinerja siasn credential v1"
COLUMNS = ('consumer_key_enc', 'consumer_secret_enc', 'password_enc')

_settings = sa.table('siasn_settings', sa.column('id', sa.Integer),
                     *(sa.column(name, sa.String) for name in COLUMNS))


def _converter(source: bytes, target: bytes) -> Callable[[str], str | None]:
    """Re-encrypts a value readable under ``source`` under ``target``; None for any other value."""
    def convert(token: str) -> str | None:
        try:
            plaintext = secretbox.decrypt(source, token)
        except secretbox.Unreadable:
            return None
        return secretbox.encrypt(target, plaintext)
    return convert


def relabel(bind, source: bytes, target: bytes) -> int:
    """Move every SIASN credential readable under ``source`` to ``target``; the number of values moved."""
    convert = _converter(source, target)
    moved = 0
    for row in bind.execute(sa.select(_settings)).mappings().all():
        values = {}
        for name in COLUMNS:
            new = convert(row[name]) if row[name] else None
            if new is not None:
                values[name] = new
        if values:
            bind.execute(_settings.update().where(_settings.c.id == row['id']).values(**values))
            moved += len(values)
    return moved


def upgrade():
    relabel(op.get_bind(), OLD_LABEL, NEW_LABEL)


def downgrade():
    relabel(op.get_bind(), NEW_LABEL, OLD_LABEL)
