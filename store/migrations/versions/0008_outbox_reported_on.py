"""outbox.reported_on: the day QA's daily summary of undelivered messages named a failure, so that
each failure is summarised once and QA gets one summary a working day, not a card per failure

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as table:
        table.add_column(sa.Column("reported_on", sa.Date(), nullable=True))
    # failures from before were told to QA one card each already: not again in the first summary
    op.execute("UPDATE outbox SET reported_on = CURRENT_DATE WHERE status IN ('failed', 'dead')")


def downgrade() -> None:
    with op.batch_alter_table("outbox") as table:
        table.drop_column("reported_on")
