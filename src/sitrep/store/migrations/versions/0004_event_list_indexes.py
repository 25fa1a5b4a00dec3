"""Events: indexes that let a filtered event list read indexes instead of the JSON rows.

A page of `GET /api/events` walks `ix_events_newest` (the list's order, with the
columns the filters test); the case-insensitive filters are indexed on
lower(column), replacing the indexes on the bare columns, which they never used;
the count of a period (from either end) or a circle reads covering composites. The index on
represents_cluster alone (two values) and the one on location_lat (a prefix of
ix_events_place) go.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

CASEFOLD_COLUMNS = (
    "event_type",
    "sub_event_type",
    "plover_type",
    "location_country",
    "location_iso3",
    "location_admin1",
)
LIST_FILTER_COLUMNS = (
    "canonical_uid",
    *CASEFOLD_COLUMNS,
    "range_start",
    "range_end",
    "location_lat",
    "location_lon",
    "fatalities",
)


def upgrade() -> None:
    for name in ("represents_cluster", "location_lat", *CASEFOLD_COLUMNS):
        op.drop_index(f"ix_events_{name}", table_name="events")
    op.create_index(
        "ix_events_newest",
        "events",
        [
            sa.text("coalesce(date, date_latest, date_earliest) DESC"),
            "uid",
            "represents_cluster",
            *LIST_FILTER_COLUMNS,
        ],
    )
    for name in CASEFOLD_COLUMNS:
        with_country = ["location_iso3", "location_country"] if name == "location_iso3" else []
        op.create_index(
            f"ix_events_lower_{name}",
            "events",
            [sa.text(f"lower({name})"), "represents_cluster", *with_country, "fatalities"],
        )
    # Both ends of the date range, each with the other and the order's columns.
    op.drop_index("ix_events_range_start", table_name="events")
    for name, first, second in (
        ("ix_events_range_start", "range_start", "range_end"),
        ("ix_events_range_end", "range_end", "range_start"),
    ):
        op.create_index(
            name,
            "events",
            [
                first,
                second,
                "represents_cluster",
                "date",
                "date_latest",
                "date_earliest",
                "uid",
            ],
        )
    members = sa.column("represents_cluster", sa.Boolean()).is_(False)
    op.create_index(
        "ix_events_members",
        "events",
        list(LIST_FILTER_COLUMNS),
        sqlite_where=members,
        postgresql_where=members,
    )
    op.create_index(
        "ix_events_place", "events", ["location_lat", "location_lon", "represents_cluster"]
    )


def downgrade() -> None:
    for name in (
        "ix_events_members",
        "ix_events_place",
        "ix_events_range_end",
        "ix_events_range_start",
        "ix_events_newest",
    ):
        op.drop_index(name, table_name="events")
    for name in CASEFOLD_COLUMNS:
        op.drop_index(f"ix_events_lower_{name}", table_name="events")
    for name in ("represents_cluster", "location_lat", "range_start", *CASEFOLD_COLUMNS):
        op.create_index(f"ix_events_{name}", "events", [name])
