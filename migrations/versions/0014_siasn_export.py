"""SIASN export: the employee's SIASN id, the tenant's SIASN settings, a status per
evaluation and the send log

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 21:30:00

"""
import sqlalchemy as sa
from alembic import op

from app.tenancy import rls

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

TABLES = ('siasn_settings', 'siasn_export', 'siasn_send_log')


def upgrade():
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.add_column(sa.Column('siasn_id', sa.String(length=64), nullable=True))

    op.create_table('siasn_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('base_url', sa.String(length=300), nullable=True),
    sa.Column('apim_token_url', sa.String(length=300), nullable=True),
    sa.Column('sso_token_url', sa.String(length=300), nullable=True),
    sa.Column('consumer_key_enc', sa.String(length=500), nullable=True),
    sa.Column('consumer_secret_enc', sa.String(length=500), nullable=True),
    sa.Column('client_id', sa.String(length=100), nullable=True),
    sa.Column('username', sa.String(length=100), nullable=True),
    sa.Column('password_enc', sa.String(length=500), nullable=True),
    sa.Column('status_penilai', sa.String(length=20), nullable=False),
    sa.Column('codes', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_siasn_settings_tenant_id_tenant'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_siasn_settings')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_siasn_settings_tenant_id'))
    )
    op.create_table('siasn_export',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'queued', 'sent', 'failed', name='exportstatus', native_enum=False, length=10), nullable=False),
    sa.Column('remote_id', sa.String(length=100), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('last_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['skp_evaluation.id'], name=op.f('fk_siasn_export_evaluation_id_skp_evaluation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_siasn_export_requested_by_id_user_account')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_siasn_export_tenant_id_tenant'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_siasn_export')),
    sa.UniqueConstraint('tenant_id', 'evaluation_id', name=op.f('uq_siasn_export_tenant_id_evaluation_id'))
    )
    with op.batch_alter_table('siasn_export', schema=None) as batch_op:
        batch_op.create_index('ix_siasn_export_tenant_status', ['tenant_id', 'status'], unique=False)

    op.create_table('siasn_send_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('export_id', sa.Integer(), nullable=False),
    sa.Column('endpoint', sa.String(length=100), nullable=False),
    sa.Column('request_body', sa.JSON(), nullable=True),
    sa.Column('response_status', sa.Integer(), nullable=True),
    sa.Column('response_body', sa.Text(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['export_id'], ['siasn_export.id'], name=op.f('fk_siasn_send_log_export_id_siasn_export'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_siasn_send_log_tenant_id_tenant'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_siasn_send_log_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_siasn_send_log'))
    )
    with op.batch_alter_table('siasn_send_log', schema=None) as batch_op:
        batch_op.create_index('ix_siasn_send_log_tenant_export', ['tenant_id', 'export_id'], unique=False)

    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        for table in TABLES:
            rls.enable_tenant_rls(bind, table)


def downgrade():
    with op.batch_alter_table('siasn_send_log', schema=None) as batch_op:
        batch_op.drop_index('ix_siasn_send_log_tenant_export')
    op.drop_table('siasn_send_log')
    with op.batch_alter_table('siasn_export', schema=None) as batch_op:
        batch_op.drop_index('ix_siasn_export_tenant_status')
    op.drop_table('siasn_export')
    op.drop_table('siasn_settings')
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.drop_column('siasn_id')
