"""Events: the merge's candidate indexes hold the range scale before the range's start.

`store.repository` looked for the stored events a new document's events may merge
with by lower(country) or lower(ISO3) and range_start within max_range_days (62)
before the new start: in a store of a few cities over months, half a country's
events, read and tested row by row. Almost every stored range is a day or a few
long, and one of scale s starts fewer than 2**s days before it ends, so with
(range_scale, range_start, range_end) after the country each scale is one seek of
a window that long (`repository._CANDIDATES_IN_WINDOW_AND_COUNTRIES`).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 22:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = {"ix_events_merge_country": "location_country", "ix_events_merge_iso3": "location_iso3"}


def _recreate(range_columns: list[str]) -> None:
    for name, column in COLUMNS.items():
        op.drop_index(name, table_name="events")
        op.create_index(name, "events", [sa.text(f"lower({column})"), *range_columns])


def upgrade() -> None:
    _recreate(["range_scale", "range_start", "range_end"])


def downgrade() -> None:
    _recreate(["range_start", "range_end"])
