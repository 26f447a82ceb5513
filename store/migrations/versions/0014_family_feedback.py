"""feedback_requests and feedback_answers: the one-time links families are given and what they answered
(issue 20); cases.closed_on: the day a case closed, when its worker is asked about closure feedback

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

DOCUMENT = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.add_column("cases", sa.Column("closed_on", sa.Date(), nullable=True))
    op.create_table(
        "feedback_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("audience", sa.String(12), nullable=False),
        sa.Column("occasion", sa.String(12), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=True),
        sa.Column("audit_id", sa.Integer(), sa.ForeignKey("audits.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("token_hash", name="uq_feedback_requests_token_hash"),
    )
    op.create_index("ix_feedback_requests_case_id", "feedback_requests", ["case_id"])
    op.create_index("ix_feedback_requests_created_at", "feedback_requests", ["created_at"])
    op.create_table(
        "feedback_answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "request_id", sa.Integer(), sa.ForeignKey("feedback_requests.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("audience", sa.String(12), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answers", DOCUMENT, nullable=False),
        sa.Column("worded", DOCUMENT, nullable=False),
        sa.Column("flagged", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.UniqueConstraint("request_id", name="uq_feedback_answers_request_id"),
    )
    op.create_index("ix_feedback_answers_case_id", "feedback_answers", ["case_id"])
    op.create_index("ix_feedback_answers_received_at", "feedback_answers", ["received_at"])


def downgrade() -> None:
    op.drop_table("feedback_answers")
    op.drop_table("feedback_requests")
    # not batch mode: on SQLite that copies the table, and dropping the old `cases` trips the keys of every
    # table that refers to it; SQLite (3.35 and later) drops a plain column in place
    op.drop_column("cases", "closed_on")
