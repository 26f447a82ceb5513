"""audits.latest_answers: each page's latest answers kept on the audit's own row, so that a card save
reads the audit, its people and its answers in one statement instead of searching every saved version
(issue 19); filled from the answers table's latest version of each page

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


DOCUMENT = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("audits") as table:
        table.add_column(sa.Column("latest_answers", DOCUMENT, nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            'SELECT a.audit_id, a.page_id, a."values" FROM answers a WHERE a.version = '
            "(SELECT max(b.version) FROM answers b WHERE b.audit_id = a.audit_id AND b.page_id = a.page_id) "
            "ORDER BY a.audit_id"
        )
    )
    latest: dict[int, dict[str, Any]] = {}
    for audit_id, page_id, values in rows:
        latest.setdefault(audit_id, {})[page_id] = json.loads(values) if isinstance(values, str) else values
    audits = sa.table("audits", sa.column("id", sa.Integer), sa.column("latest_answers", DOCUMENT))
    for audit_id, pages in latest.items():
        connection.execute(sa.update(audits).where(audits.c.id == audit_id).values(latest_answers=pages))


def downgrade() -> None:
    with op.batch_alter_table("audits") as table:
        table.drop_column("latest_answers")
