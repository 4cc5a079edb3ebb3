"""tenant data export and retention

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 21:30:00

The retention period of citizens' contact details on closed complaints, a
setting of the tenant's public pages. (The export archive needs no schema.)
"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("publik_settings") as batch_op:
        batch_op.add_column(sa.Column("contact_retention_days", sa.Integer(), nullable=False,
                                      server_default="365"))


def downgrade():
    with op.batch_alter_table("publik_settings") as batch_op:
        batch_op.drop_column("contact_retention_days")
