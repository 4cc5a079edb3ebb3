"""api writes and secrets

Webhook endpoints' signing secrets are encrypted at rest (``secret`` →
``secret_enc``, Fernet from SECRET_KEY: ``app.secretbox``), existing ones
encrypted here; and ``scheduled_task`` remembers when each periodic task of
``flask jobs tick`` last ran.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 23:45:00

"""
import sqlalchemy as sa
from alembic import op

from app import secretbox

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

_endpoint = sa.table('webhook_endpoint', sa.column('id', sa.Integer), sa.column('secret_enc', sa.String))


def _rewrite(convert) -> None:
    bind = op.get_bind()
    for row_id, value in bind.execute(sa.select(_endpoint.c.id, _endpoint.c.secret_enc)).all():
        if value:
            bind.execute(_endpoint.update().where(_endpoint.c.id == row_id).values(secret_enc=convert(value)))


def upgrade():
    with op.batch_alter_table('webhook_endpoint') as batch:
        batch.alter_column('secret', new_column_name='secret_enc', existing_type=sa.String(length=100),
                           type_=sa.String(length=500), existing_nullable=False)
    # Plaintext secrets start "whsec_"; a Fernet token never does.
    _rewrite(lambda value: secretbox.encrypt(secretbox.WEBHOOK_SECRET, value)
             if value.startswith('whsec_') else value)

    op.create_table('scheduled_task',
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('last_run_at', sa.DateTime(), nullable=True),
    sa.Column('last_outcome', sa.String(length=200), nullable=False, server_default=''),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_scheduled_task'))
    )


def downgrade():
    op.drop_table('scheduled_task')

    def plain(value):
        try:
            return secretbox.decrypt(secretbox.WEBHOOK_SECRET, value)
        except secretbox.Unreadable:
            return value
    _rewrite(plain)
    with op.batch_alter_table('webhook_endpoint') as batch:
        batch.alter_column('secret_enc', new_column_name='secret', existing_type=sa.String(length=500),
                           type_=sa.String(length=100), existing_nullable=False)
