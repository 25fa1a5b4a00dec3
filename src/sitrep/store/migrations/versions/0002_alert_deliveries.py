"""Alert deliveries: what `sitrep watch` sent, per rule, happening and destination.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 14:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_deliveries",
        sa.Column("rule", sa.String(length=200), nullable=False),
        sa.Column("canonical_uid", sa.String(length=16), nullable=False),
        sa.Column("destination", sa.String(length=500), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("alert_id", sa.String(length=64), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "rule", "canonical_uid", "destination", name=op.f("pk_alert_deliveries")
        ),
    )


def downgrade() -> None:
    op.drop_table("alert_deliveries")
