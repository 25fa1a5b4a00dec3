"""Events: the date range's length on a doubling scale, filled for the events already stored.

A period's overlap test (`range_start <= until AND range_end >= since`) bounds no
index scan by itself: from either end it read up to half the store. Events whose
range is shorter than 2**scale days and overlap the period start at most that many
days before it, so `ix_events_period` on (range_scale, range_start, ...) reads each
scale's window and nothing else. Filled here in Python, as the schema's insert
default fills new rows.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Stored events updated per statement while filling the column.
CHUNK = 5000


def _range_scale(start: dt.date, end: dt.date) -> int:
    return abs((end - start).days).bit_length()


def upgrade() -> None:
    op.add_column("events", sa.Column("range_scale", sa.Integer(), nullable=True))
    connection = op.get_bind()
    events = sa.table(
        "events",
        sa.column("id", sa.Integer()),
        sa.column("range_start", sa.Date()),
        sa.column("range_end", sa.Date()),
        sa.column("range_scale", sa.Integer()),
    )
    fill = (
        sa.update(events)
        .where(events.c.id == sa.bindparam("key"))
        .values(range_scale=sa.bindparam("scale"))
    )
    last = None
    while True:
        search = (
            sa.select(events.c.id, events.c.range_start, events.c.range_end)
            .where(events.c.range_start.is_not(None), events.c.range_end.is_not(None))
            .order_by(events.c.id)
            .limit(CHUNK)
        )
        if last is not None:
            search = search.where(events.c.id > last)
        rows = connection.execute(search).all()
        if not rows:
            break
        connection.execute(
            fill, [{"key": key, "scale": _range_scale(start, end)} for key, start, end in rows]
        )
        last = rows[-1][0]
    op.create_index(
        "ix_events_period",
        "events",
        [
            "range_scale",
            "range_start",
            "range_end",
            "represents_cluster",
            "date",
            "date_latest",
            "date_earliest",
            "uid",
        ],
    )


def downgrade() -> None:
    op.drop_index("ix_events_period", table_name="events")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("range_scale")
