"""audits.subject_id: the person whose work a review is about (a supervision review's supervisor), so
that each supervisor's review comes round once a year (Appendix 12) instead of being a name in its answers

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audits") as table:
        table.add_column(sa.Column("subject_id", sa.Integer(), nullable=True))
        table.create_foreign_key("fk_audits_subject_id_people", "people", ["subject_id"], ["id"], ondelete="SET NULL")


def downgrade() -> None:
    with op.batch_alter_table("audits") as table:
        table.drop_constraint("fk_audits_subject_id_people", type_="foreignkey")
        table.drop_column("subject_id")
