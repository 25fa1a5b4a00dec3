"""Events: the place's name and admin1 casefolded, filled for the events already stored.

The merge compares place names and admin1s casefolded (`merge.events._place_relation`),
which SQLite's ASCII lower() cannot mirror, so the candidate search kept every stored
event of a country's date window whenever a region-level place or a place without a
point was new. With these columns it tests them exactly in SQL. They are filled here
in Python, since neither backend's lower() is Python's casefold().

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 07:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Stored events updated per statement while filling the columns.
CHUNK = 5000


def _folded(value: str | None) -> str | None:
    return None if value is None else value.casefold()


def upgrade() -> None:
    op.add_column("events", sa.Column("location_name_folded", sa.Text(), nullable=True))
    op.add_column("events", sa.Column("location_admin1_folded", sa.Text(), nullable=True))
    connection = op.get_bind()
    events = sa.table(
        "events",
        sa.column("id", sa.Integer()),
        sa.column("location_name", sa.Text()),
        sa.column("location_admin1", sa.Text()),
        sa.column("location_name_folded", sa.Text()),
        sa.column("location_admin1_folded", sa.Text()),
    )
    fill = (
        sa.update(events)
        .where(events.c.id == sa.bindparam("key"))
        .values(
            location_name_folded=sa.bindparam("name"),
            location_admin1_folded=sa.bindparam("admin1"),
        )
    )
    last = None
    while True:
        search = (
            sa.select(events.c.id, events.c.location_name, events.c.location_admin1)
            .where(events.c.location_name.is_not(None) | events.c.location_admin1.is_not(None))
            .order_by(events.c.id)
            .limit(CHUNK)
        )
        if last is not None:
            search = search.where(events.c.id > last)
        rows = connection.execute(search).all()
        if not rows:
            break
        connection.execute(
            fill,
            [
                {"key": key, "name": _folded(name), "admin1": _folded(admin1)}
                for key, name, admin1 in rows
            ],
        )
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("location_admin1_folded")
        batch_op.drop_column("location_name_folded")
