"""Reading for reports and charts: an audit's outcomes picture (with the case's earlier audit)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from plf_core.forms.registry import get_form
from plf_core.outcomes import OutcomesPicture, scales_of
from store.audit_store import SqlAuditStore
from store.models import Audit, Case

PLC = "practice_learning_conversation"


async def outcomes_picture(session: AsyncSession, audit_id: int) -> OutcomesPicture | None:
    """The outcomes chart's data for a Practice Learning Conversation; None if there is no such audit."""
    row = (
        await session.execute(
            select(Audit.case_id, Audit.submitted_at, Case.azeus_number)
            .join(Case, Case.id == Audit.case_id)
            .where(Audit.id == audit_id, Audit.form_id == PLC)
        )
    ).first()
    if row is None:
        return None
    case_id, submitted_at, case_ref = row
    form = get_form(PLC)
    store = SqlAuditStore(session)
    scales = scales_of(form, await store.answers_of(audit_id))
    earlier_row = (
        await session.execute(
            select(Audit.id, Audit.submitted_at)
            .where(
                Audit.case_id == case_id,
                Audit.form_id == PLC,
                Audit.id != audit_id,
                Audit.submitted_at.is_not(None),
                *([Audit.submitted_at < submitted_at] if submitted_at is not None else []),
            )
            .order_by(Audit.submitted_at.desc())
            .limit(1)
        )
    ).first()
    earlier = earlier_on = None
    if earlier_row is not None:
        earlier = scales_of(form, await store.answers_of(earlier_row[0]))
        earlier_on = earlier_row[1].date() if earlier_row[1] else None
    return OutcomesPicture(
        case_ref, submitted_at.date() if submitted_at else None, scales, earlier, earlier_on if earlier else None
    )
