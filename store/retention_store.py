"""Applying the retention schedule (plf_core.retention): what would go, and deleting it with a
line in the access log for each record type. A case under legal hold keeps its audits and its
families' feedback."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from plf_core.clock import Clock
from plf_core.periods import midnight
from plf_core.retention import Candidates, RecordType, Schedule
from store.models import (
    AccessLogEntry,
    ActionItem,
    Answer,
    Audit,
    Case,
    Concern,
    DipSample,
    FeedbackAnswer,
    FeedbackRequest,
    GoodPracticeDecision,
    GradeRecord,
    Moderation,
    OutboxMessage,
    OutcomeScore,
    SamplingDraw,
    UnknownSenderRow,
)

CLOSED_AUDITS = ("submitted", "completed")
SETTLED_MESSAGES = ("sent", "merged", "cancelled", "failed", "dead")
MAX_CASES_LISTED = 200


def _old_audits(before: datetime, *, held: bool) -> Any:
    hold = Case.legal_hold.is_(True) if held else or_(Case.legal_hold.is_(False), Case.id.is_(None))
    return (
        select(Audit.id)
        .outerjoin(Case, Case.id == Audit.case_id)
        .where(Audit.status.in_(CLOSED_AUDITS), Audit.submitted_at < before, hold)
    )


def _old_feedback(before: datetime, *, held: bool) -> Any:
    """Feedback links made before `before` whose answer (if any) also came before it: a link and its
    answer go together, counted from the later of the two."""
    hold = Case.legal_hold.is_(True) if held else or_(Case.legal_hold.is_(False), Case.id.is_(None))
    recent = select(FeedbackAnswer.request_id).where(FeedbackAnswer.received_at >= before)
    return (
        select(FeedbackRequest.id)
        .outerjoin(Case, Case.id == FeedbackRequest.case_id)
        .where(FeedbackRequest.created_at < before, FeedbackRequest.id.not_in(recent), hold)
    )


async def _count(session: AsyncSession, query: Any) -> int:
    return int((await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one())


def _queries(schedule: Schedule, clock: Clock) -> dict[RecordType, Any]:
    today = clock.today()

    def start_of(day: date) -> datetime:
        return midnight(day, clock.zone)

    queries: dict[RecordType, Any] = {}
    if cutoff := schedule.cutoff(RecordType.AUDITS, today):
        queries[RecordType.AUDITS] = _old_audits(start_of(cutoff), held=False)
    if cutoff := schedule.cutoff(RecordType.OUTBOX, today):
        queries[RecordType.OUTBOX] = select(OutboxMessage.id).where(
            OutboxMessage.status.in_(SETTLED_MESSAGES), OutboxMessage.created_at < start_of(cutoff)
        )
    if cutoff := schedule.cutoff(RecordType.UNKNOWN_SENDERS, today):
        queries[RecordType.UNKNOWN_SENDERS] = select(UnknownSenderRow.aad_object_id).where(
            UnknownSenderRow.last_seen < start_of(cutoff)
        )
    if cutoff := schedule.cutoff(RecordType.SAMPLING_DRAWS, today):
        used = select(Audit.draw_id).where(Audit.draw_id.is_not(None))
        dips = select(DipSample.draw_id).where(DipSample.draw_id.is_not(None))
        queries[RecordType.SAMPLING_DRAWS] = select(SamplingDraw.id).where(
            SamplingDraw.created_at < start_of(cutoff),
            SamplingDraw.id.not_in(used),
            SamplingDraw.id.not_in(dips),
        )
    if cutoff := schedule.cutoff(RecordType.FEEDBACK, today):
        queries[RecordType.FEEDBACK] = _old_feedback(start_of(cutoff), held=False)
    return queries


async def candidates(session: AsyncSession, schedule: Schedule, clock: Clock) -> Candidates:
    queries = _queries(schedule, clock)
    today = clock.today()
    counts = {record: await _count(session, query) for record, query in queries.items()}
    held_back = 0
    cases: tuple[str, ...] = ()
    if cutoff := schedule.cutoff(RecordType.AUDITS, today):
        held_back = await _count(session, _old_audits(midnight(cutoff, clock.zone), held=True))
        rows = await session.execute(
            select(Case.azeus_number)
            .join(Audit, Audit.case_id == Case.id)
            .where(Audit.id.in_(queries[RecordType.AUDITS]))
            .distinct()
            .order_by(Case.azeus_number)
            .limit(MAX_CASES_LISTED)
        )
        cases = tuple(rows.scalars())
    feedback_held = 0
    if cutoff := schedule.cutoff(RecordType.FEEDBACK, today):
        feedback_held = await _count(session, _old_feedback(midnight(cutoff, clock.zone), held=True))
    return Candidates(counts, held_back, cases, feedback_held)


async def apply(session: AsyncSession, schedule: Schedule, clock: Clock, by: str) -> Candidates:
    """Delete what the schedule says may go (in the caller's transaction); each record type's deletion
    is written to the access log with its count."""
    found = await candidates(session, schedule, clock)
    queries = _queries(schedule, clock)
    if (audits := queries.get(RecordType.AUDITS)) is not None and found.counts.get(RecordType.AUDITS):
        ids = list((await session.execute(audits)).scalars())
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            await session.execute(update(Audit).where(Audit.parent_audit_id.in_(chunk)).values(parent_audit_id=None))
            for table in (Answer, GradeRecord, Moderation, Concern, GoodPracticeDecision, ActionItem, OutcomeScore):
                await session.execute(delete(table).where(table.audit_id.in_(chunk)))
            await session.execute(delete(Audit).where(Audit.id.in_(chunk)))
    if (messages := queries.get(RecordType.OUTBOX)) is not None:
        await session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(messages)))
    if (senders := queries.get(RecordType.UNKNOWN_SENDERS)) is not None:
        await session.execute(delete(UnknownSenderRow).where(UnknownSenderRow.aad_object_id.in_(senders)))
    if (draws := queries.get(RecordType.SAMPLING_DRAWS)) is not None:
        await session.execute(delete(SamplingDraw).where(SamplingDraw.id.in_(draws)))
    if (feedback := queries.get(RecordType.FEEDBACK)) is not None:
        ids = list((await session.execute(feedback)).scalars())
        for start in range(0, len(ids), 1000):
            await session.execute(
                delete(FeedbackAnswer).where(FeedbackAnswer.request_id.in_(ids[start : start + 1000]))
            )
            await session.execute(delete(FeedbackRequest).where(FeedbackRequest.id.in_(ids[start : start + 1000])))
    now = clock.now()
    for record, count in found.counts.items():
        if count:
            await session.execute(
                insert(AccessLogEntry).values(
                    at=now,
                    action=f"retention delete {record.value}"[:40],
                    object_type=record.value,
                    object_id=str(count),
                    activity_id=by[:200],
                    outcome="deleted",
                )
            )
    return found


async def set_legal_hold(session: AsyncSession, azeus_number: str, held: bool, by: str, now: datetime) -> bool:
    """Put a case under legal hold (or release it); False if there is no such case."""
    result = await session.execute(
        update(Case).where(func.lower(Case.azeus_number) == azeus_number.strip().lower()).values(legal_hold=held)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return False
    await session.execute(
        insert(AccessLogEntry).values(
            at=now,
            action="legal hold on" if held else "legal hold off",
            object_type="case",
            object_id=azeus_number.strip()[:64],
            activity_id=by[:200],
            outcome="ok",
        )
    )
    return True
