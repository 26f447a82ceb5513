"""moderation drafts: a moderator's answers are kept between sittings, like any other form

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("moderations") as batch:
        json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
        batch.add_column(sa.Column("draft", json, nullable=True))
    with op.batch_alter_table("sampling_draws") as batch:
        batch.add_column(sa.Column("fingerprint", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sampling_draws") as batch:
        batch.drop_column("fingerprint")
    with op.batch_alter_table("moderations") as batch:
        batch.drop_column("draft")
