"""The timetable sweep on a real database: due notices written once, snoozes respected, a
confirmation that stops the follow-ups, and each Service Manager's quarterly feedback summary
(SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from plf_core import follow_ups
from plf_core.clock import FixedClock
from plf_core.demo_borough import build_demo_borough
from plf_core.people import Actor
from plf_core.timetable import Hours
from plf_core.vocabulary import Role
from scheduler.jobs import sweep
from scheduler.timetable_file import load_timetable
from store.audits import SqlAudits
from store.database import session_factory
from store.demo import load_demo
from store.follow_ups import SqlFollowUps
from store.models import ActionItem, Audit, Case, FeedbackAnswer, FeedbackRequest, Moderation, OutboxMessage, Team
from store.unit_of_work import unit_of_work_factory

LONDON = ZoneInfo("Europe/London")
RULES = load_timetable()
HOURS = Hours()


def clock_at(moment: datetime) -> FixedClock:
    return FixedClock(moment, LONDON)


async def sweep_at(engine: AsyncEngine, moment: datetime) -> int:
    """The sweep of one instance whose clock says `moment`."""
    clock = clock_at(moment)
    return await sweep(unit_of_work_factory(engine, clock), RULES, HOURS, clock)


async def moderated_with_actions(engine: AsyncEngine, completed: datetime) -> tuple[int, int, int, int]:
    """An audit moderated on `completed`, with two open actions: (audit, practitioner, lead, manager)."""
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        case_id, worker, lead, manager = (
            await session.execute(
                select(Case.id, Case.allocated_worker_id, Team.practice_lead_id, Team.service_manager_id)
                .join(Team, Case.team_id == Team.id)
                .where(Case.allocated_worker_id.is_not(None))
                .order_by(Case.id)
                .limit(1)
            )
        ).one()
        audit_id = await SqlAudits(session, clock_at(completed)).create(
            form_id="practice_learning_conversation",
            case_id=case_id,
            practitioner_id=worker,
            second_person_id=lead,
            due_on=None,
        )
        await session.execute(update(Audit).where(Audit.id == audit_id).values(status="completed"))
        session.add(
            Moderation(
                audit_id=audit_id,
                moderator_id=manager,
                stream="head_of_service",
                status="completed",
                requested_at=completed,
                completed_at=completed,
                created_at=completed,
                updated_at=completed,
            )
        )
        for text in ("Update the plan", "See the child alone"):
            session.add(
                ActionItem(audit_id=audit_id, text=text, status="open", created_at=completed, updated_at=completed)
            )
    return audit_id, worker, lead, manager


async def outbox(engine: AsyncEngine) -> list[tuple[str, str, datetime]]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(OutboxMessage.dedupe_key, OutboxMessage.status, OutboxMessage.not_before).order_by(OutboxMessage.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


async def test_the_sweep_writes_each_due_notice_once_and_a_confirmation_stops_the_rest(engine: AsyncEngine) -> None:
    await load_demo(session_factory(engine), build_demo_borough(), clock_at(datetime(2026, 10, 1, 9, tzinfo=LONDON)))
    audit_id, worker, lead, manager = await moderated_with_actions(engine, datetime(2026, 10, 1, 11, tzinfo=UTC))
    sessions = session_factory(engine)

    first = datetime(2026, 10, 22, 9, 5, tzinfo=LONDON)  # moderation + 21 days, just after opening
    assert await sweep_at(engine, first) == 2
    assert await sweep_at(engine, first) == 0  # a second sweep (or instance) writes nothing
    rows = {r[0]: r[1] for r in await outbox(engine)}
    assert rows == {
        f"followup_1:audit-{audit_id}:{worker}": "merged",  # kept once, sent inside the day's digest
        f"followup_1:audit-{audit_id}:{lead}": "merged",
        f"digest:{worker}:2026-10-22": "pending",
        f"digest:{lead}:2026-10-22": "pending",
    }

    # the second follow-up includes the Service Manager; the practitioner snoozed their reminders
    second = datetime(2026, 11, 5, 9, 30, tzinfo=LONDON)
    async with sessions() as session, session.begin():
        await SqlFollowUps(session, clock_at(second)).snooze(worker, date(2026, 11, 9))
    before = {r[0] for r in await outbox(engine)}
    written = await sweep_at(engine, second)
    new = {r[0] for r in await outbox(engine)} - before
    reports = {k for k in new if k.startswith("report:2026-10:")}  # October's report went out on 4 November
    assert len(reports) > 3
    assert new - reports == {
        f"followup_2:audit-{audit_id}:{worker}",
        f"followup_2:audit-{audit_id}:{lead}",
        f"followup_2:audit-{audit_id}:{manager}",
        f"digest:{worker}:2026-11-09",
        f"digest:{lead}:2026-11-05",
        f"digest:{manager}:2026-11-05",
    }
    assert written == 3 + len(reports)  # digests are not counted: they gather what was written
    waiting = {r[0]: r[2] for r in await outbox(engine)}
    assert waiting[f"digest:{worker}:2026-11-09"].date() == date(2026, 11, 9)  # after the snooze
    assert waiting[f"digest:{manager}:2026-11-05"].date() == date(2026, 11, 5)

    # the practitioner confirms: pending follow-ups are cancelled, no escalation follows
    actor = Actor(worker, "aad", "Worker", frozenset({Role.PRACTITIONER}))
    async with unit_of_work_factory(engine, clock_at(second))() as uow:
        reply = await follow_ups.actions_done(uow, actor, audit_id, second, "test")
    assert "2 action(s)" in reply.text
    statuses = {r[0]: r[1] for r in await outbox(engine)}
    assert statuses[f"digest:{worker}:2026-11-09"] == "cancelled"  # its only item was the follow-up
    assert statuses[f"digest:{lead}:2026-10-22"] == "cancelled"
    assert await sweep_at(engine, datetime(2026, 11, 19, 10, tzinfo=LONDON)) == 0  # no escalation


async def test_several_reminders_on_one_day_make_one_digest(engine: AsyncEngine) -> None:
    await load_demo(session_factory(engine), build_demo_borough(), clock_at(datetime(2026, 10, 1, 9, tzinfo=LONDON)))
    sessions = session_factory(engine)
    first, worker, lead, _ = await moderated_with_actions(engine, datetime(2026, 10, 1, 11, tzinfo=UTC))
    async with sessions() as session, session.begin():  # a second audit of the same people, moderated the same day
        second = await SqlAudits(session, clock_at(datetime(2026, 10, 1, 15, tzinfo=UTC))).create(
            form_id="practice_learning_conversation",
            case_id=None,
            practitioner_id=worker,
            second_person_id=lead,
            due_on=None,
        )
    async with sessions() as session, session.begin():
        copy = (await session.execute(select(Audit.case_id).where(Audit.id == first))).scalar_one()
        await session.execute(update(Audit).where(Audit.id == second).values(case_id=copy, status="completed"))
        at = datetime(2026, 10, 1, 15, tzinfo=UTC)
        session.add(
            Moderation(
                audit_id=second,
                moderator_id=lead + 1,
                stream="ad_qa",
                status="completed",
                requested_at=at,
                completed_at=at,
                created_at=at,
                updated_at=at,
            )
        )
        session.add(ActionItem(audit_id=second, text="Visit", status="open", created_at=at, updated_at=at))
    assert await sweep_at(engine, datetime(2026, 10, 22, 9, 5, tzinfo=LONDON)) == 4
    async with engine.connect() as connection:
        digest = (
            await connection.execute(
                select(OutboxMessage.payload).where(OutboxMessage.dedupe_key == f"digest:{worker}:2026-10-22")
            )
        ).scalar_one()
    assert sorted(i["key"] for i in digest["items"]) == [
        f"followup_1:audit-{first}:{worker}",
        f"followup_1:audit-{second}:{worker}",
    ]
    pending = [r for r in await outbox(engine) if r[1] == "pending"]
    assert len(pending) == 2  # one message each for the practitioner and the Practice Lead


async def test_each_service_manager_gets_their_areas_feedback_once_a_quarter(engine: AsyncEngine) -> None:
    await load_demo(session_factory(engine), build_demo_borough(), clock_at(datetime(2026, 10, 1, 9, tzinfo=LONDON)))
    answered = datetime(2026, 11, 20, 16, tzinfo=UTC)
    async with session_factory(engine)() as session, session.begin():
        case_id, area = (
            await session.execute(
                select(Case.id, Team.service_area_id).join(Team, Team.id == Case.team_id).order_by(Case.id).limit(1)
            )
        ).one()
        request = FeedbackRequest(
            token_hash="f" * 64,
            case_id=case_id,
            audience="parent",
            occasion="closure",
            created_at=answered - timedelta(days=2),
            expires_at=answered + timedelta(days=26),
            used_at=answered,
        )
        session.add(request)
        await session.flush()
        answers = {"useful": 5, "helped": "Our worker listened to us"}
        session.add(
            FeedbackAnswer(
                request_id=request.id,
                case_id=case_id,
                audience="parent",
                received_at=answered,
                answers=answers,
                worded=[["What helped?", "Our worker listened to us"]],
            )
        )
        leaders = await session.execute(select(Team.service_area_id, Team.service_manager_id))
        managers = {(a, m) for a, m in leaders if m is not None}
    assert len({a for a, _ in managers}) > 1

    # 1 January 2027 is a bank holiday: the fifth working day after it is Friday 8 January
    await sweep_at(engine, datetime(2027, 1, 7, 16, tzinfo=LONDON))
    assert not [k for k, *_ in await outbox(engine) if k.startswith("feedback_summary:")]
    await sweep_at(engine, datetime(2027, 1, 8, 9, 5, tzinfo=LONDON))
    written = {k for k, *_ in await outbox(engine) if k.startswith("feedback_summary:")}
    assert len(written) == len(managers)  # on the day, at opening
    for moment in (datetime(2027, 1, 8, 14, tzinfo=LONDON), datetime(2027, 1, 12, 10, tzinfo=LONDON)):
        await sweep_at(engine, moment)  # again on the day, and the next week: nothing more
    async with engine.connect() as connection:
        rows = (
            await connection.execute(
                select(OutboxMessage.dedupe_key, OutboxMessage.status, OutboxMessage.payload).where(
                    OutboxMessage.kind == "feedback_summary"
                )
            )
        ).all()
    assert sorted(key for key, _, _ in rows) == sorted(f"feedback_summary:2026-Q4:{a}:{m}" for a, m in managers)
    assert {status for _, status, _ in rows} == {"merged"}  # inside each manager's digest of the day
    received = {key.split(":")[2]: payload["received"] for key, _, payload in rows}
    assert received == {str(a): 1 if a == area else 0 for a, _ in managers}
    assert all("listened to us" not in str(payload) for _, _, payload in rows)
    first = next(m for a, m in sorted(managers) if a == area)
    async with engine.connect() as connection:
        digest = (
            await connection.execute(
                select(OutboxMessage.payload).where(OutboxMessage.dedupe_key == f"digest:{first}:2027-01-08")
            )
        ).scalar_one()
    assert f"feedback_summary:2026-Q4:{area}:{first}" in [i["key"] for i in digest["items"]]
