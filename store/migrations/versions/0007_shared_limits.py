"""send_pace and live_instances: Teams' message limit and each person's flood limit shared by
every instance on one PostgreSQL database

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pace = op.create_table(
        "send_pace",
        sa.Column("id", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_send_pace")),
    )
    op.bulk_insert(pace, [{"id": 1, "next_at": 0.0}])
    op.create_table(
        "live_instances",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_instances")),
    )


def downgrade() -> None:
    op.drop_table("live_instances")
    op.drop_table("send_pace")
