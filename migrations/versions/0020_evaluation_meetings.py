"""evaluation meetings

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 23:45:00

"""
import sqlalchemy as sa
from alembic import op

from app.tenancy import rls

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

TABLES = ('evaluation_meeting', 'evaluation_meeting_participant', 'evaluation_meeting_action')


def upgrade():
    op.create_table('evaluation_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('scheduled', 'held', 'cancelled', name='meetingstatus', native_enum=False, length=10), nullable=False),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_evaluation_meeting_unit_id_unit')),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_evaluation_meeting_period_id_period')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_evaluation_meeting_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_evaluation_meeting_tenant_id_tenant'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_meeting')),
    )
    with op.batch_alter_table('evaluation_meeting', schema=None) as batch_op:
        batch_op.create_index('ix_evaluation_meeting_tenant_unit_period', ['tenant_id', 'unit_id', 'period_id'], unique=False)
        batch_op.create_index('ix_evaluation_meeting_tenant_held_on', ['tenant_id', 'held_on'], unique=False)

    op.create_table('evaluation_meeting_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('attendance', sa.Enum('present', 'absent', 'excused', name='attendance', native_enum=False, length=10), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['evaluation_meeting.id'], name=op.f('fk_evaluation_meeting_participant_meeting_id_evaluation_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_evaluation_meeting_participant_employee_id_employee')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_evaluation_meeting_participant_tenant_id_tenant'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_meeting_participant')),
    sa.UniqueConstraint('tenant_id', 'meeting_id', 'employee_id', name='uq_evaluation_meeting_participant_tenant_meeting_employee'),
    )
    with op.batch_alter_table('evaluation_meeting_participant', schema=None) as batch_op:
        batch_op.create_index('ix_evaluation_meeting_participant_tenant_employee', ['tenant_id', 'employee_id'], unique=False)

    op.create_table('evaluation_meeting_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('open', 'closed', name='actionstatus', native_enum=False, length=10), nullable=False),
    sa.Column('closing_note', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['evaluation_meeting.id'], name=op.f('fk_evaluation_meeting_action_meeting_id_evaluation_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['employee.id'], name=op.f('fk_evaluation_meeting_action_owner_id_employee')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user_account.id'], name=op.f('fk_evaluation_meeting_action_closed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_evaluation_meeting_action_tenant_id_tenant'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_meeting_action')),
    )
    with op.batch_alter_table('evaluation_meeting_action', schema=None) as batch_op:
        batch_op.create_index('ix_evaluation_meeting_action_tenant_owner_status', ['tenant_id', 'owner_id', 'status'], unique=False)
        batch_op.create_index('ix_evaluation_meeting_action_tenant_meeting', ['tenant_id', 'meeting_id'], unique=False)

    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        for table in TABLES:
            rls.enable_tenant_rls(bind, table)


def downgrade():
    with op.batch_alter_table('evaluation_meeting_action', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_meeting_action_tenant_meeting')
        batch_op.drop_index('ix_evaluation_meeting_action_tenant_owner_status')
    op.drop_table('evaluation_meeting_action')
    with op.batch_alter_table('evaluation_meeting_participant', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_meeting_participant_tenant_employee')
    op.drop_table('evaluation_meeting_participant')
    with op.batch_alter_table('evaluation_meeting', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_meeting_tenant_held_on')
        batch_op.drop_index('ix_evaluation_meeting_tenant_unit_period')
    op.drop_table('evaluation_meeting')
