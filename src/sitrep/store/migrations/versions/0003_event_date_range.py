"""Events: the date range as two indexed columns, filled for the events already stored.

`range_start`/`range_end` hold an event's earliest and latest day, a lone date
counting as both, so the merge's candidate search and the `--since`/`--until`
filters run on one index instead of scanning every event.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("range_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("range_end", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_events_range_start"), ["range_start"], unique=False)
    op.execute(
        "UPDATE events SET "
        "range_start = COALESCE(date_earliest, date, date_latest), "
        "range_end = COALESCE(date_latest, date, date_earliest)"
    )


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_range_start"))
        batch_op.drop_column("range_end")
        batch_op.drop_column("range_start")
