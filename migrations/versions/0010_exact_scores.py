"""exact scores: an evaluation's score (and an objection's new score) as NUMERIC(6, 2), rounded half-up

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 05:00:00

Existing float values are rounded half-up to two places on the decimal they were
typed as (the shortest representation of the float, as ``round_score`` reads it):
89.995 becomes 90.00, not 89.99 (binary 89.99499…). Numbers in the JSON outcome
(``skp_evaluation.result``) stay as they are.
"""
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# (table, column) of every stored score of the evaluation stage.
SCORES = (('skp_evaluation', 'score'), ('skp_objection', 'new_score'))
EXACT = sa.Numeric(6, 2)


def _half_up(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)


def _round_stored(table_name: str, column: str) -> None:
    """Round every stored value half-up in Python, the same on both databases."""
    table = sa.table(table_name, sa.column('id', sa.Integer), sa.column(column, sa.Double))
    conn = op.get_bind()
    for row_id, value in conn.execute(sa.select(table.c.id, table.c[column])
                                      .where(table.c[column].is_not(None))).all():
        exact = _half_up(value)
        if exact != Decimal(repr(float(value))):
            conn.execute(table.update().where(table.c.id == row_id).values({column: float(exact)}))


def upgrade():
    postgres = op.get_bind().dialect.name == 'postgresql'
    for table, column in SCORES:
        _round_stored(table, column)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column, existing_type=sa.Double(), type_=EXACT, existing_nullable=True,
                # numeric(6,2) rounds half away from zero: positive scores half-up
                # (already rounded above, so nothing changes here).
                postgresql_using=f'{column}::numeric(6,2)' if postgres else None)


def downgrade():
    postgres = op.get_bind().dialect.name == 'postgresql'
    for table, column in SCORES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column, existing_type=EXACT, type_=sa.Double(), existing_nullable=True,
                postgresql_using=f'{column}::double precision' if postgres else None)
