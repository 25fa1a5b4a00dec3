"""Events: drop event_matches, the pairs of merged events.

The store keeps clusters (canonical_uid, represents_cluster); why a happening's
members are one is worked out from their records when it is explained
(`merge.joining_matches`, `query.explain_event`). Every matching pair was a row:
two million for 86,000 events of a 20,000-document corpus, most of the writer's
work as the store grew, for an explanation that needs one match per member.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("event_matches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_matches_uid_b"))
    op.drop_table("event_matches")


def downgrade() -> None:
    # The pairs are not restored: an older sitrep explains a happening without them.
    op.create_table(
        "event_matches",
        sa.Column("uid_a", sa.String(length=16), nullable=False),
        sa.Column("uid_b", sa.String(length=16), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("distance_km", sa.Float(), nullable=True),
        sa.Column("overlap_days", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("uid_a", "uid_b", name=op.f("pk_event_matches")),
    )
    with op.batch_alter_table("event_matches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_matches_uid_b"), ["uid_b"], unique=False)
