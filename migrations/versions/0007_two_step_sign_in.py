"""sign-in: two-step sign-in (TOTP secret, recovery codes), tenant's 2FA rule

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 03:00:00

"""
import sqlalchemy as sa
from alembic import op

from app.tenancy import rls

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_enabled_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))
    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('two_factor_required_for_admins', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table(
        'recovery_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=255), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.Column('tenant_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_recovery_code_tenant_id_tenant'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_recovery_code_user_id_user_account'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code')),
    )
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.create_index('ix_recovery_code_tenant_user', ['tenant_id', 'user_id'], unique=False)

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        rls.enable_tenant_rls(bind, 'recovery_code')


def downgrade():
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.drop_index('ix_recovery_code_tenant_user')
    op.drop_table('recovery_code')
    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.drop_column('two_factor_required_for_admins')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_enabled_at')
        batch_op.drop_column('totp_secret')
