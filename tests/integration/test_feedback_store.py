"""Family feedback on a real database (SQLite and PostgreSQL): a link asked for in Teams opens the page
once, until it expires; the answers are kept against the case and the request; an answer holding a
worrying phrase reaches the case's Practice Lead and Service Manager at once as an immediate concern."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from composition import load_feedback_form
from plf_core.demo_borough import build_demo_borough
from plf_core.feedback import asking
from plf_core.feedback.form import Audience
from plf_core.feedback.links import LinkState, token_hash
from plf_core.people import Actor
from plf_core.timetable import Hours
from scheduler.timetable_file import load_configuration
from store.database import session_factory
from store.demo import load_demo
from store.models import Case, FeedbackAnswer, FeedbackRequest, OutboxMessage, Team
from store.unit_of_work import unit_of_work_factory
from tests.integration.test_sweep import clock_at

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 12, 3, 10, tzinfo=UTC)
FORM = load_feedback_form()
TIMING = (load_configuration().framework, Hours(time(9), time(17), LONDON))


async def a_case_and_its_worker(engine: AsyncEngine) -> tuple[str, Actor, int, int]:
    await load_demo(session_factory(engine), build_demo_borough(), clock_at(NOW))
    async with engine.connect() as connection:
        azeus, worker, lead, manager = (
            await connection.execute(
                select(Case.azeus_number, Case.allocated_worker_id, Team.practice_lead_id, Team.service_manager_id)
                .join(Team, Team.id == Case.team_id)
                .where(Case.allocated_worker_id.is_not(None))
                .order_by(Case.id)
                .limit(1)
            )
        ).one()
    async with unit_of_work_factory(engine, clock_at(NOW))() as uow:
        actor = await uow.people.actor_of(worker)
    assert actor is not None
    return azeus, actor, lead, manager


async def test_a_link_opens_the_page_once_and_keeps_the_answers_against_the_case(engine: AsyncEngine) -> None:
    azeus, worker, _lead, _manager = await a_case_and_its_worker(engine)
    uow = unit_of_work_factory(engine, clock_at(NOW))
    async with uow() as work:
        link = await asking.ask(work, worker, f" {azeus.lower()} ", Audience.PARENT, NOW, 28)
    assert link.case == azeus
    assert link.expires_at == NOW + timedelta(days=28)
    async with engine.connect() as connection:
        stored = (await connection.execute(select(FeedbackRequest.token_hash))).scalars().all()
    assert stored == [token_hash(link.token)]  # only the hash: the token itself is nowhere in the database

    async with uow() as work:
        assert await asking.open_link(work, link.token, NOW) == (LinkState.OPEN, Audience.PARENT)
    async with uow() as work:
        nothing = await asking.answer(work, FORM, link.token, {"useful": "", "helped": "  "}, NOW, TIMING)
    assert nothing.checked is not None
    assert nothing.checked.empty
    assert not nothing.thanked  # the page comes back: "you have not answered anything yet"
    async with uow() as work:
        done = await asking.answer(work, FORM, link.token, {"useful": "4", "helped": "Being listened to"}, NOW, TIMING)
    assert done.thanked
    async with uow() as work:
        again = await asking.answer(work, FORM, link.token, {"useful": "1"}, NOW, TIMING)
        given = await work.feedback.latest(
            (await work.feedback.case(azeus)).case_id  # type: ignore[union-attr]
        )
    assert again.state is LinkState.USED
    assert not again.thanked
    assert [(g.audience, dict(g.answers), g.flagged) for g in given] == [
        (Audience.PARENT, {"useful": 4, "helped": "Being listened to"}, False)
    ]


async def test_an_expired_or_unknown_link_answers_nothing(engine: AsyncEngine) -> None:
    azeus, worker, _lead, _manager = await a_case_and_its_worker(engine)
    uow = unit_of_work_factory(engine, clock_at(NOW))
    async with uow() as work:
        link = await asking.ask(work, worker, azeus, Audience.CHILD, NOW, 28)
    later = NOW + timedelta(days=28)
    async with uow() as work:
        assert await asking.open_link(work, link.token, later) == (LinkState.EXPIRED, None)
        gone = await asking.answer(work, FORM, link.token, {"useful": "5"}, later, TIMING)
        assert gone.state is LinkState.EXPIRED
        tampered = link.token[:-1] + ("A" if link.token[-1] != "A" else "B")
        assert await asking.open_link(work, tampered, NOW) == (LinkState.UNKNOWN, None)
        assert await asking.open_link(work, "' OR 1=1 --", NOW) == (LinkState.UNKNOWN, None)
    async with engine.connect() as connection:
        assert (await connection.execute(select(func.count()).select_from(FeedbackAnswer))).scalar_one() == 0


async def test_a_worrying_phrase_reaches_the_practice_lead_and_service_manager_at_once(engine: AsyncEngine) -> None:
    azeus, worker, lead, manager = await a_case_and_its_worker(engine)
    uow = unit_of_work_factory(engine, clock_at(NOW))
    async with uow() as work:
        link = await asking.ask(work, worker, azeus, Audience.CHILD, NOW, 28)
    async with uow() as work:
        sent = {"useful": "2", "anything_else": "My step-dad HITS ME when mum is out."}
        assert (await asking.answer(work, FORM, link.token, sent, NOW, TIMING)).thanked
    async with engine.connect() as connection:
        rows = (await connection.execute(select(OutboxMessage.person_id, OutboxMessage.kind))).all()
        flagged = (await connection.execute(select(FeedbackAnswer.flagged))).scalar_one()
    assert flagged
    assert {(lead, "immediate_concern"), (manager, "immediate_concern")} <= set(rows)
    async with uow() as work:
        [concern] = await work.concerns.listed(None, NOW - timedelta(minutes=1), 5)
    assert concern.case_ref == azeus
    assert "HITS ME" in concern.description
    assert concern.page_id == "feedback:child"
    assert concern.raised_by_id is None
