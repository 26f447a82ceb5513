"""actions.progress: the Service Manager's update on a dip sample's action (Appendix 13's "Update and
whether actions have been implemented" column), written in Teams as the action is followed up

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("actions") as table:
        table.add_column(sa.Column("progress", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("actions") as table:
        table.drop_column("progress")
