"""Events: a partial index of each cluster's representative, by canonical uid.

The writer ranks the representatives of the happenings a document joins
(`repository._stored_representatives`); through ix_events_canonical_uid that read
every member of each, thousands for a happening reported for months.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 06:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Spelled as schema.REPRESENTS renders, which the writer's query repeats.
    op.create_index(
        "ix_events_representative",
        "events",
        ["canonical_uid"],
        sqlite_where=sa.text("represents_cluster IS 1"),
        postgresql_where=sa.text("represents_cluster IS true"),
    )


def downgrade() -> None:
    op.drop_index("ix_events_representative", table_name="events")
