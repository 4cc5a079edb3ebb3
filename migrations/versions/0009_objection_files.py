"""objection files: both sides attach files to a keberatan (stored like evidence)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 04:00:00

"""
import sqlalchemy as sa
from alembic import op

from app.tenancy import rls

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'skp_objection_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('objection_id', sa.Integer(), nullable=False),
        sa.Column('side', sa.Enum('pegawai', 'atasan', name='objectionside', native_enum=False, length=10),
                  nullable=False),
        sa.Column('original_name', sa.String(length=255), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('storage_key', sa.String(length=200), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('uploaded_at', sa.DateTime(), nullable=False),
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['objection_id'], ['skp_objection.id'],
                                name=op.f('fk_skp_objection_file_objection_id_skp_objection'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_skp_objection_file_tenant_id_tenant'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'],
                                name=op.f('fk_skp_objection_file_uploaded_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_skp_objection_file')),
    )
    with op.batch_alter_table('skp_objection_file', schema=None) as batch_op:
        batch_op.create_index('ix_skp_objection_file_tenant_objection', ['tenant_id', 'objection_id'], unique=False)

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        rls.enable_tenant_rls(bind, 'skp_objection_file')


def downgrade():
    with op.batch_alter_table('skp_objection_file', schema=None) as batch_op:
        batch_op.drop_index('ix_skp_objection_file_tenant_objection')
    op.drop_table('skp_objection_file')
