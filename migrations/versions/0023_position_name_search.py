"""position name search index

The admin employee list searches employee names and position names; on
PostgreSQL both get a pg_trgm GIN index, so a search is two bitmap index
scans whatever the tenant's size (where pg_trgm cannot be created the
search stays a scan, as migration 0015 explains; elsewhere a plain index).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 02:45:00

"""
import logging

import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        op.create_index("ix_position_name_trgm", "position", ["name"])
        return
    if not bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).scalar():
        log.warning("pg_trgm is not installed (migration 0015): position name search stays a scan")
        return
    op.execute('CREATE INDEX IF NOT EXISTS ix_position_name_trgm ON "position" USING gin (name gin_trgm_ops)')


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_position_name_trgm")
