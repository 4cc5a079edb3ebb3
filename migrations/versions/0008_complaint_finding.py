"""complaint event: the finding (terbukti / tidak terbukti) in its own column, not as a "[terbukti]" note prefix

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 03:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_MARKERS = (("[tidak terbukti]", False), ("[terbukti]", True))


def _table():
    return sa.table('complaint_event', sa.column('id', sa.Integer), sa.column('note', sa.Text),
                    sa.column('finding', sa.Boolean))


def upgrade():
    with op.batch_alter_table('complaint_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('finding', sa.Boolean(), nullable=True))
    event = _table()
    conn = op.get_bind()
    for row in conn.execute(sa.select(event.c.id, event.c.note).where(event.c.note.like('[%'))).all():
        for marker, finding in _MARKERS:
            if row.note.startswith(marker):
                note = row.note[len(marker):].strip() or None
                conn.execute(event.update().where(event.c.id == row.id).values(finding=finding, note=note))
                break


def downgrade():
    event = _table()
    conn = op.get_bind()
    for row in conn.execute(sa.select(event.c.id, event.c.note, event.c.finding)
                            .where(event.c.finding.is_not(None))).all():
        marker = "[terbukti]" if row.finding else "[tidak terbukti]"
        conn.execute(event.update().where(event.c.id == row.id)
                     .values(note=f"{marker} {row.note or ''}".strip()))
    with op.batch_alter_table('complaint_event', schema=None) as batch_op:
        batch_op.drop_column('finding')
