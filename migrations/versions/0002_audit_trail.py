"""audit trail: per-tenant, hash-chained, append-only

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 00:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

from app.tenancy import rls

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('employee_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_audit_entry_tenant_id_tenant'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry')),
    sa.UniqueConstraint('tenant_id', 'seq', name=op.f('uq_audit_entry_tenant_id_seq'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entry_tenant_actor', ['tenant_id', 'actor_label'], unique=False)
        batch_op.create_index('ix_audit_entry_tenant_employee', ['tenant_id', 'employee_id'], unique=False)
        batch_op.create_index('ix_audit_entry_tenant_object', ['tenant_id', 'object_type', 'object_id'], unique=False)
        batch_op.create_index('ix_audit_entry_tenant_occurred', ['tenant_id', 'occurred_at'], unique=False)

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        rls.enable_tenant_rls(bind, "audit_entry")
        # Append-only for the application: it may read and add entries, never
        # change or remove them (only the owner, i.e. migrations, can).
        role = rls.app_role_from_config()
        bind.execute(sa.text(f"GRANT SELECT, INSERT ON TABLE audit_entry TO {role}"))
        bind.execute(sa.text(f"REVOKE UPDATE, DELETE, TRUNCATE ON TABLE audit_entry FROM {role}"))
        sequence = bind.execute(sa.text("SELECT pg_get_serial_sequence('audit_entry', 'id')")).scalar()
        bind.execute(sa.text(f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO {role}"))


def downgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_tenant_occurred')
        batch_op.drop_index('ix_audit_entry_tenant_object')
        batch_op.drop_index('ix_audit_entry_tenant_employee')
        batch_op.drop_index('ix_audit_entry_tenant_actor')

    op.drop_table('audit_entry')
