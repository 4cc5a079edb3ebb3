"""API tokens and idempotency keys

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 21:00:00

"""
import sqlalchemy as sa
from alembic import op

from app.tenancy import rls


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('prefix', sa.String(length=20), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_api_token_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_api_token_tenant_id_tenant'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('prefix', name=op.f('uq_api_token_prefix'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index('ix_api_token_tenant_created', ['tenant_id', 'created_at'], unique=False)

    op.create_table('api_idempotency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_api_idempotency_tenant_id_tenant'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['token_id'], ['api_token.id'], name=op.f('fk_api_idempotency_token_id_api_token'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_idempotency')),
    sa.UniqueConstraint('tenant_id', 'token_id', 'key', name=op.f('uq_api_idempotency_tenant_id_token_id_key'))
    )
    with op.batch_alter_table('api_idempotency', schema=None) as batch_op:
        batch_op.create_index('ix_api_idempotency_tenant_created', ['tenant_id', 'created_at'], unique=False)

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table in ("api_token", "api_idempotency"):
            rls.enable_tenant_rls(bind, table)


def downgrade():
    with op.batch_alter_table('api_idempotency', schema=None) as batch_op:
        batch_op.drop_index('ix_api_idempotency_tenant_created')
    op.drop_table('api_idempotency')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index('ix_api_token_tenant_created')
    op.drop_table('api_token')
