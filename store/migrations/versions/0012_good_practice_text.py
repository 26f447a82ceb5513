"""good_practice.text_hash: the example as it was when confirmed or declined, so that an example
changed afterwards waits for confirmation again instead of counting with words nobody checked

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("good_practice") as table:
        table.add_column(sa.Column("text_hash", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("good_practice") as table:
        table.drop_column("text_hash")
