"""outcome_scores: each returned audit's outcome scales, one row per source and area, for reports

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outcome_scores",
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("area", sa.String(length=32), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["audits.id"], name=op.f("fk_outcome_scores_audit_id_audits"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("audit_id", "source", "area", name=op.f("pk_outcome_scores")),
    )
    op.create_index("ix_audits_submitted_at", "audits", ["submitted_at"])


def downgrade() -> None:
    op.drop_index("ix_audits_submitted_at", table_name="audits")
    op.drop_table("outcome_scores")
