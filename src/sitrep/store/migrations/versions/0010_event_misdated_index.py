"""Events: a partial index of the events dated outside their own date range.

A period's page is walked to in ix_events_newest from the period's last day
(`query._period_page_ids`), which finds every event whose date lies in its range;
the few whose date does not (an extraction that put the date before the earliest
day, or a range whose ends are reversed) are read from this index alone, not by
a scan of every row.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 22:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# Spelled as schema's ix_events_misdated and query.MISDATED, which a query must repeat.
NEWEST = "coalesce(date, date_latest, date_earliest)"
MISDATED = f"range_start > {NEWEST} OR range_end < {NEWEST}"


def upgrade() -> None:
    op.create_index(
        "ix_events_misdated",
        "events",
        ["range_start"],
        sqlite_where=sa.text(MISDATED),
        postgresql_where=sa.text(MISDATED),
    )


def downgrade() -> None:
    op.drop_index("ix_events_misdated", table_name="events")
