"""criteria consultation

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 23:45:00

"""
import sqlalchemy as sa
from alembic import op

from app.tenancy import rls

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=True),
    sa.Column('subject', sa.Enum('indicator_set', 'settings', name='subject', native_enum=False, length=20), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('proposal', sa.JSON(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('decision', sa.Enum('adopted', 'amended', 'dropped', name='decision', native_enum=False, length=10), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_consultation_period_id_period')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_consultation_unit_id_unit')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_consultation_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_consultation_tenant_id_tenant'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation')),
    )
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.create_index('ix_consultation_tenant_period', ['tenant_id', 'period_id'], unique=False)
    op.create_table('consultation_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('agrees', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.Column('response', sa.Text(), nullable=True),
    sa.Column('responded_at', sa.DateTime(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_consultation_answer_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_consultation_answer_employee_id_employee')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_consultation_answer_tenant_id_tenant'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_answer')),
    sa.UniqueConstraint('tenant_id', 'consultation_id', 'employee_id', name='uq_consultation_answer_tenant_consultation_employee'),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        rls.enable_tenant_rls(bind, 'consultation')
        rls.enable_tenant_rls(bind, 'consultation_answer')


def downgrade():
    op.drop_table('consultation_answer')
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_index('ix_consultation_tenant_period')
    op.drop_table('consultation')
