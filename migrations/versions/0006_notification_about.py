"""notification: what it is about (kind + id) instead of a stored link

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 02:40:00

"""
import re

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# The links the application stored before 0006, and what each was about.
_PATTERNS = (
    (re.compile(r"^/[^/]+/skp/(\d+)$"), "plan"),
    (re.compile(r"^/[^/]+/penilaian/(\d+)$"), "evaluation"),
    (re.compile(r"^/[^/]+/keberatan/(\d+)$"), "objection"),
    (re.compile(r"^/[^/]+/skp/(\d+)/dialog"), "plan-dialog"),
    (re.compile(r"^/[^/]+/pelatihan/$"), "training"),
)


def _about(link):
    for pattern, kind in _PATTERNS:
        match = pattern.match(link or "")
        if match:
            return kind, int(match.group(1)) if match.groups() else None
    return None, None


def upgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('about_kind', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('about_id', sa.Integer(), nullable=True))
    notification = sa.table('notification', sa.column('id', sa.Integer), sa.column('link', sa.String),
                            sa.column('about_kind', sa.String), sa.column('about_id', sa.Integer))
    conn = op.get_bind()
    for row in conn.execute(sa.select(notification.c.id, notification.c.link)
                            .where(notification.c.link.is_not(None))).all():
        kind, about_id = _about(row.link)
        if kind is not None:
            conn.execute(notification.update().where(notification.c.id == row.id)
                         .values(about_kind=kind, about_id=about_id))
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('link')


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link', sa.String(length=300), nullable=True))
        batch_op.drop_column('about_id')
        batch_op.drop_column('about_kind')
