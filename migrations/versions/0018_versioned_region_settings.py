"""versioned region settings

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 23:40:00

"""
import sqlalchemy as sa
from alembic import op

from app.tenancy import rls

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('settings_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_settings_version_period_id_period'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_settings_version_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_settings_version_tenant_id_tenant'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_settings_version')),
    sa.UniqueConstraint('tenant_id', 'number', name='uq_settings_version_tenant_number'),
    )
    with op.batch_alter_table('settings_version', schema=None) as batch_op:
        batch_op.create_index('ix_settings_version_tenant_effective', ['tenant_id', 'effective_from'], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        rls.enable_tenant_rls(bind, 'settings_version')


def downgrade():
    with op.batch_alter_table('settings_version', schema=None) as batch_op:
        batch_op.drop_index('ix_settings_version_tenant_effective')
    op.drop_table('settings_version')
