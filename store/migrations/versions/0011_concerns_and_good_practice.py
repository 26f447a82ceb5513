"""concerns: immediate concerns raised while auditing, escalated until acknowledged; good_practice:
the decisions on good-practice nominations (an inspection's evidence counts only confirmed ones)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "concerns",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=True),
        sa.Column("audit_id", sa.Integer(), sa.ForeignKey("audits.id", ondelete="CASCADE"), nullable=True),
        sa.Column("dip_sample_id", sa.Integer(), sa.ForeignKey("dip_samples.id"), nullable=True),
        sa.Column("action_id", sa.Integer(), sa.ForeignKey("actions.id", ondelete="CASCADE"), nullable=True),
        sa.Column("area_id", sa.Integer(), sa.ForeignKey("service_areas.id"), nullable=True),
        sa.Column("page_id", sa.String(40), nullable=True),
        sa.Column("raised_by_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("at_risk_now", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("level", sa.SmallInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("next_escalation_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("action_id", name="uq_concerns_action_id"),
    )
    for column in ("case_id", "audit_id", "dip_sample_id", "area_id", "raised_at", "next_escalation_at"):
        op.create_index(f"ix_concerns_{column}", "concerns", [column])
    op.create_table(
        "good_practice",
        sa.Column("audit_id", sa.Integer(), sa.ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("field_id", sa.String(40), primary_key=True),
        sa.Column("decision", sa.String(12), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("good_practice")
    op.drop_table("concerns")
