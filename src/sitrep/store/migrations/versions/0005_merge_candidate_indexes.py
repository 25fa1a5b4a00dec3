"""Events: indexes for the merge's candidate search (a country's events in a date window).

`store.repository` looks for the stored events a new document's events may merge
with by lower(country) or lower(ISO3) and a range_start window. The lower(column)
indexes of 0004 hold no date, so SQLite read every event of the country across all
dates: the cost of a document grew with the store. These put the window after
the country.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 23:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = {"ix_events_merge_country": "location_country", "ix_events_merge_iso3": "location_iso3"}


def upgrade() -> None:
    for name, column in COLUMNS.items():
        op.create_index(name, "events", [sa.text(f"lower({column})"), "range_start", "range_end"])


def downgrade() -> None:
    for name in COLUMNS:
        op.drop_index(name, table_name="events")
