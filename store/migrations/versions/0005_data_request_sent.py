"""cycles: who marked the cycle's case data as sent to QA, and when

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cycles") as batch:
        batch.add_column(sa.Column("data_sent_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("data_sent_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_cycles_data_sent_by_id_people"), "people", ["data_sent_by_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("cycles") as batch:
        batch.drop_constraint(op.f("fk_cycles_data_sent_by_id_people"), type_="foreignkey")
        batch.drop_column("data_sent_by_id")
        batch.drop_column("data_sent_at")
