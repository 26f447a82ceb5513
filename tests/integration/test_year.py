"""A council's year lived through on a real database (SQLite and PostgreSQL): the sweep runs three
times a day from mid-September 2026 to mid-September 2027, a stand-in dispatcher sends whatever is due
at each tick, and what went out is exactly what the framework's timetable asks for: every rule fires,
each notice once, at the opening of the right working day (bank holidays, weekends and both clock
changes included), to the right people; reminders inside one digest per person and day, escalations
and reports on their own, and nothing after a confirmation or a Service Manager's Done. It prints
the count per rule."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from plf_core import dip_actions, follow_ups
from plf_core.clock import FixedClock
from plf_core.demo_borough import build_demo_borough
from plf_core.people import Actor
from plf_core.timetable import Hours
from plf_core.vocabulary import Role
from scheduler.jobs import sweep
from scheduler.timetable_file import load_configuration
from store.database import session_factory
from store.demo import load_demo
from store.models import ActionItem, Audit, Case, DipSample, Moderation, OutboxMessage, PersonRole, Team
from store.unit_of_work import SqlUnitOfWork as UnitOfWork
from store.unit_of_work import unit_of_work_factory

LONDON = ZoneInfo("Europe/London")
CONFIGURATION = load_configuration()
RULES = CONFIGURATION.rules
URGENT = {
    "slt_outstanding",
    "followup_escalation",
    "dip_escalation",
    "pim_escalation",
    "review_escalation",
    "quota_proposal",
    "supervision_due",
    "dip_plan",
    "report",
}  # each alone


def at(day: date) -> datetime:
    """Opening time (09:00 London) on `day`."""
    return datetime.combine(day, time(9), tzinfo=LONDON)


def stamp(day: date, hour: int = 11) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


async def people_of(engine: AsyncEngine, role: Role) -> list[int]:
    async with engine.connect() as connection:
        rows = await connection.execute(select(PersonRole.person_id).where(PersonRole.role == role.value))
        return sorted(set(rows.scalars()))


async def case_people(engine: AsyncEngine, index: int) -> tuple[int, int, int, int, int]:
    """(case, worker, practice lead, service manager, head of service) of the `index`-th allocated case
    of a team with all three leaders."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(
                Case.id,
                Case.allocated_worker_id,
                Team.practice_lead_id,
                Team.service_manager_id,
                Team.head_of_service_id,
            )
            .join(Team, Case.team_id == Team.id)
            .where(
                Case.allocated_worker_id.is_not(None),
                Team.practice_lead_id.is_not(None),
                Team.service_manager_id.is_not(None),
                Team.head_of_service_id.is_not(None),
            )
            .order_by(Team.id.desc() if index else Team.id, Case.id)
            .limit(1)
        )
        return tuple(rows.one())  # type: ignore[return-value]


async def service_managers_by_area(engine: AsyncEngine) -> set[tuple[int, int]]:
    """(service area, Service Manager) of each team's Service Manager."""
    async with engine.connect() as connection:
        found = await connection.execute(select(Team.service_area_id, Team.service_manager_id))
        return {(area, person) for area, person in found if person is not None}


def quarterly_feedback(quarter: str, day: date, service_managers: set[tuple[int, int]]) -> dict[str, datetime]:
    """The quarter's children and families' feedback to each service area's Service Managers."""
    return {f"feedback_summary:{quarter}:{area}:{person}": at(day) for area, person in service_managers}


Sent = dict[str, tuple[datetime, str, dict[str, object]]]  # key -> (tick, kind, payload)
Event = Callable[[UnitOfWork, datetime], Awaitable[None]]


async def live_through(engine: AsyncEngine, first: date, last: date, events: dict[datetime, Event]) -> Sent:
    """The sweep at 03:00, 09:05 and 14:00 each day, then a stand-in dispatcher sending whatever is due
    (each key once), then what people do at that tick."""
    sent: Sent = {}
    day = first
    while day <= last:
        for hour, minute in ((3, 0), (9, 5), (14, 0)):
            tick = datetime.combine(day, time(hour, minute), tzinfo=LONDON)
            clock = FixedClock(tick)
            plan = CONFIGURATION.dip_plan
            await sweep(unit_of_work_factory(engine, clock), RULES, Hours(), clock, None, CONFIGURATION.framework, plan)
            async with session_factory(engine)() as session, session.begin():
                due = (
                    await session.execute(
                        select(OutboxMessage).where(
                            OutboxMessage.status == "pending", OutboxMessage.not_before <= tick.astimezone(UTC)
                        )
                    )
                ).scalars()
                for row in due:
                    assert row.dedupe_key not in sent
                    sent[row.dedupe_key] = (tick, row.kind, dict(row.payload))
                    row.status = "sent"
            if tick in events:
                async with unit_of_work_factory(engine, FixedClock(tick))() as uow:
                    await events[tick](uow, tick)
        day += timedelta(days=1)
    return sent


async def test_a_year_sends_every_expected_notice_once_at_the_right_time_and_nothing_else(
    engine: AsyncEngine,
) -> None:
    sessions = session_factory(engine)
    await load_demo(
        sessions, build_demo_borough(), FixedClock(datetime(2026, 10, 1, 9, tzinfo=LONDON))
    )  # 2026-Q3 to 2027-Q3
    data_team = await people_of(engine, Role.DATA_AND_IMPACT)
    slt = await people_of(engine, Role.SLT)
    directors = await people_of(engine, Role.DIRECTOR_OF_OPERATIONS)
    qa = sorted({*await people_of(engine, Role.QA_MANAGER), *await people_of(engine, Role.PRACTICE_LEARNING_REVIEWER)})
    assert data_team
    assert slt
    assert directors
    case, worker, lead, manager, head = await case_people(engine, 0)
    case2, worker2, lead2, _, _ = await case_people(engine, 1)
    assert worker2 not in (worker, lead)
    assert lead2 not in (worker, lead)

    async with sessions() as session, session.begin():

        def audit(**values: object) -> Audit:
            row = Audit(form_id="practice_learning_conversation", version=1, **values)
            session.add(row)
            return row

        still_open = audit(case_id=case, practitioner_id=worker, second_person_id=lead, status="in_progress")
        still_open.due_on = date(2026, 12, 31)  # the 2026-Q4 cycle, never returned
        moderated = audit(case_id=case, practitioner_id=worker, second_person_id=lead, status="completed")
        confirmed = audit(case_id=case2, practitioner_id=worker2, second_person_id=lead2, status="completed")
        red = audit(case_id=case, practitioner_id=worker, second_person_id=lead, status="completed")
        red.final_grade, red.pim_due_on = "red", date(2026, 12, 25)  # Christmas Day: the PIM reminder waits
        thematic = Audit(form_id="thematic_cla_care_leavers", version=1, case_id=case, status="assigned")
        thematic.practitioner_id, thematic.second_person_id = lead2, lead  # the reviewer and the moderator
        thematic.due_on = date(2026, 11, 20)  # a Friday
        session.add(thematic)
        dip = DipSample(
            theme="Voice of the child",
            status="agreed",
            terms={},
            head_of_service_id=head,
            sent_at=stamp(date(2026, 11, 2)),
            agreed_at=stamp(date(2026, 11, 5)),
        )
        session.add(dip)
        await session.flush()
        for subject, day in ((moderated, date(2026, 10, 1)), (confirmed, date(2026, 10, 8))):
            session.add(
                Moderation(
                    audit_id=subject.id,
                    moderator_id=manager,
                    stream="head_of_service",
                    status="completed",
                    requested_at=stamp(day),
                    completed_at=stamp(day),
                )
            )
            session.add(ActionItem(audit_id=subject.id, text="Update the plan", status="open"))
        tracked = ActionItem(audit_id=moderated.id, text="See the child alone", status="open", owner_id=worker)
        tracked.deadline = date(2027, 3, 10)  # a Wednesday; never done
        session.add(tracked)
        session.add(ActionItem(dip_sample_id=dip.id, text="Share the learning", status="open"))
        done_dip = DipSample(theme="Permanence", status="sent", terms={}, head_of_service_id=head)
        done_dip.sent_at = stamp(date(2027, 2, 1))  # never agreed; its Service Manager marks the actions done
        session.add(done_dip)
        await session.flush()
        for text in ("Share the learning", "Audit five more"):
            session.add(ActionItem(dip_sample_id=done_dip.id, text=text, status="open"))
        ids = {
            "tracked": tracked.id,
            "thematic": thematic.id,
            "open": still_open.id,
            "moderated": moderated.id,
            "confirmed": confirmed.id,
            "red": red.id,
        }
        dip_id, done_dip_id = dip.id, done_dip.id

    async with engine.connect() as connection:
        found = await connection.execute(select(Team.service_manager_id).where(Team.head_of_service_id == head))
        dip_managers = sorted({m for m in found.scalars() if m is not None})
    assert dip_managers
    async with engine.connect() as connection:
        leaders = await connection.execute(
            select(Team.service_area_id, Team.head_of_service_id, Team.service_manager_id)
        )
        area_managers: dict[int, set[int]] = {}
        for area, *people in leaders:
            area_managers.setdefault(area, set()).update(p for p in people if p is not None)
    readers_of_all = sorted({*slt, *directors, *await people_of(engine, Role.QA_MANAGER)})
    managers_by_area = await service_managers_by_area(engine)

    def reports(period: str, day: date) -> dict[str, datetime]:
        """A highlight report to every manager for their scope: the whole service, and each area."""
        sent = each("report", f"{period}:all", readers_of_all, day)
        for area, people in area_managers.items():
            sent |= each("report", f"{period}:{area}", sorted(people), day)
        return sent

    def plan(month: str, data: date, starts: date) -> dict[str, datetime]:
        return each("dip_plan", f"{month}:data", data_team, data) | each("dip_plan", f"{month}:start", qa, starts)

    def each(rule: str, subject: str, people: list[int] | tuple[int, ...], day: date) -> dict[str, datetime]:
        return {f"{rule}:{subject}:{p}": at(day) for p in people}

    m, c = f"audit-{ids['moderated']}", f"audit-{ids['confirmed']}"
    expected = {
        **each("data_request", "2026-Q4", data_team, date(2026, 9, 17)),
        **each("data_request", "2027-Q1", data_team, date(2026, 12, 18)),
        **each("monthly_reminder", "2026-10", (worker, lead), date(2026, 10, 1)),
        **each("monthly_reminder", "2026-11", (worker, lead), date(2026, 11, 2)),  # 1 November: a Sunday
        **each("monthly_reminder", "2026-12", (worker, lead), date(2026, 12, 1)),
        **each("outstanding_list", "2026-Q4", (lead, manager, head), date(2026, 12, 24)),
        **each("quota_proposal", "2026-Q4", qa, date(2026, 10, 1)),  # the cycle's audits, ready to create
        **each("quota_proposal", "2027-Q1", qa, date(2027, 1, 4)),  # 1 January: a bank holiday
        **each("slt_outstanding", "2026-Q3", slt, date(2026, 10, 7)),  # 2026-Q4 started with no audits drawn
        **each("slt_outstanding", "2026-Q4", slt, date(2027, 1, 7)),
        **each("followup_1", m, (worker, lead), date(2026, 10, 22)),  # before the clock change
        **each("followup_2", m, (worker, lead, manager), date(2026, 11, 5)),  # after it
        **each("followup_escalation", m, slt, date(2026, 11, 19)),
        **each("followup_1", c, (worker2, lead2), date(2026, 10, 29)),  # then confirmed: nothing more
        # agreed, not yet done: the Head of Service and the Service Managers who update the actions
        **each("dip_followup_2", f"dip-{dip_id}", (head, *dip_managers), date(2026, 11, 23)),
        **each("dip_escalation", f"dip-{dip_id}", directors, date(2026, 12, 7)),
        **reports("2026-09", date(2026, 10, 5)),  # the third working day of the month
        **reports("2026-Q3", date(2026, 10, 7)),  # the fifth working day of the quarter
        **reports("2026-10", date(2026, 11, 4)),
        **reports("2026-11", date(2026, 12, 3)),
        **reports("2026-12", date(2027, 1, 6)),  # 1 January: a bank holiday
        **reports("2026-Q4", date(2027, 1, 8)),
        **each("review_reminder", f"review-{ids['thematic']}", (lead2, lead), date(2026, 11, 13)),
        # the day after (a Saturday): at Monday's opening, with the case's Service Manager
        **each("review_outstanding", f"review-{ids['thematic']}", (lead2, lead, manager), date(2026, 11, 23)),
        **each("review_escalation", f"review-{ids['thematic']}", slt, date(2026, 11, 27)),
        **each("pim_reminder", f"pim-{ids['red']}", (head,), date(2026, 12, 22)),  # 3 working days before
        **each("pim_escalation", f"pim-{ids['red']}", slt, date(2027, 1, 5)),  # 5 working days after: 29-31, 4, 5
        # the rest of the year: each cycle's data request, quota proposal and SLT escalation (its next
        # cycle started with no audits drawn), and each month's and quarter's report
        **each("data_request", "2027-Q2", data_team, date(2027, 3, 18)),
        **each("data_request", "2027-Q3", data_team, date(2027, 6, 17)),
        **each("quota_proposal", "2027-Q2", qa, date(2027, 4, 1)),
        # and the supervisors due their yearly supervision review (none has had one)
        **each("supervision_due", "2026-Q4", qa, date(2026, 10, 1)),
        **each("supervision_due", "2027-Q1", qa, date(2027, 1, 4)),
        **each("supervision_due", "2027-Q2", qa, date(2027, 4, 1)),
        **each("supervision_due", "2027-Q3", qa, date(2027, 7, 1)),
        **each("quota_proposal", "2027-Q3", qa, date(2027, 7, 1)),
        **each("slt_outstanding", "2027-Q1", slt, date(2027, 4, 7)),
        **each("slt_outstanding", "2027-Q2", slt, date(2027, 7, 7)),
        **reports("2027-01", date(2027, 2, 3)),
        **reports("2027-02", date(2027, 3, 3)),
        **reports("2027-03", date(2027, 4, 5)),  # Good Friday 26 March and Easter Monday are before it
        **reports("2027-Q1", date(2027, 4, 7)),
        **reports("2027-04", date(2027, 5, 6)),  # 3 May: the early May bank holiday
        **reports("2027-05", date(2027, 6, 3)),
        **reports("2027-06", date(2027, 7, 5)),
        **reports("2027-Q2", date(2027, 7, 7)),
        **reports("2027-07", date(2027, 8, 4)),
        **reports("2027-08", date(2027, 9, 3)),
        # the year's plan of dip samples (bi-monthly): Data & Impact two weeks before, QA on the day
        **plan("2026-10", date(2026, 9, 17), date(2026, 10, 1)),
        **plan("2026-12", date(2026, 11, 17), date(2026, 12, 1)),
        **plan("2027-02", date(2027, 1, 18), date(2027, 2, 1)),
        **plan("2027-04", date(2027, 3, 18), date(2027, 4, 1)),
        **plan("2027-06", date(2027, 5, 18), date(2027, 6, 1)),
        **plan("2027-08", date(2027, 7, 19), date(2027, 8, 2)),  # the 18th and the 1st: Sundays
        # a dip sample not agreed within the week: its Head of Service is asked; its Service Manager then
        # marks every action done, so neither the second follow-up nor the escalation comes
        **each("dip_agree", f"dip-{done_dip_id}", (head,), date(2027, 2, 8)),
        # an action plan's action never done: its owner 3 days before (a Sunday: Monday), the day after
        # to them and the Practice Lead, a week later to the Service Manager
        **each("action_reminder", f"action-{ids['tracked']}", (worker,), date(2027, 3, 8)),
        **each("action_overdue", f"action-{ids['tracked']}", (worker, lead), date(2027, 3, 11)),
        **each("action_overdue_sm", f"action-{ids['tracked']}", (manager,), date(2027, 3, 18)),
        **each("pim_due", f"pim-{ids['red']}", (head,), date(2026, 12, 29)),  # 25, 26-27, 28 (Boxing Day's substitute)
        # each quarter's families' feedback on the fifth working day of the next, for the performance meeting
        # (1 January 2027 is a bank holiday: 4 to 8 January)
        **quarterly_feedback("2026-Q3", date(2026, 10, 8), managers_by_area),
        **quarterly_feedback("2026-Q4", date(2027, 1, 8), managers_by_area),
        **quarterly_feedback("2027-Q1", date(2027, 4, 8), managers_by_area),
        **quarterly_feedback("2027-Q2", date(2027, 7, 8), managers_by_area),
    }

    confirmer = Actor(worker2, "aad", "Worker", frozenset({Role.PRACTITIONER}))
    service_manager = Actor(manager, "aad", "Manager", frozenset({Role.SERVICE_MANAGER}))

    async def confirmed(uow: UnitOfWork, tick: datetime) -> None:
        await follow_ups.actions_done(uow, confirmer, ids["confirmed"], tick, "t")

    async def dip_done(uow: UnitOfWork, tick: datetime) -> None:
        screen = await dip_actions.open_actions(uow, service_manager, done_dip_id)
        ticked = {f"done_{a.action_id}": "true" for a in screen.actions}
        assert (await dip_actions.save_actions(uow, service_manager, done_dip_id, ticked, tick, "t")).all_done

    events = {datetime(2026, 10, 29, 14, tzinfo=LONDON): confirmed, datetime(2027, 2, 10, 14, tzinfo=LONDON): dip_done}
    sent = await live_through(engine, date(2026, 9, 16), date(2027, 9, 15), events)

    counts = Counter(key.split(":")[0] for key in expected)
    print("\nthe year's notices, by rule:", ", ".join(f"{rule} {n}" for rule, n in sorted(counts.items())))
    assert set(counts) >= {r.id for r in RULES}  # every rule of the timetable fired

    # escalations went on their own, at the 09:05 tick of their day
    urgent = {k: v[0] for k, v in sent.items() if not k.startswith("digest:")}
    assert urgent == {k: v + timedelta(minutes=5) for k, v in expected.items() if k.split(":")[0] in URGENT}

    # every reminder went once, inside that person's digest for its day, and each digest at opening time
    digests = {k: v for k, v in sent.items() if k.startswith("digest:")}
    assert all(kind == "daily_digest" for _, kind, _ in digests.values())
    inside = Counter(
        str(item["key"])
        for _, _, payload in digests.values()
        for item in payload["items"]  # type: ignore[attr-defined]
    )
    reminders = {k: v for k, v in expected.items() if k.split(":")[0] not in URGENT}
    assert set(inside) == set(reminders)
    assert max(inside.values()) == 1
    for key, when in reminders.items():
        person = key.rsplit(":", 1)[1]
        digest = f"digest:{person}:{when.date().isoformat()}"
        assert digest in digests, key
        assert digests[digest][0] == when + timedelta(minutes=5), (key, digests[digest][0])
        assert key in {i["key"] for i in digests[digest][2]["items"]}  # type: ignore[attr-defined, index]
    assert len(digests) == len({(k.rsplit(":", 1)[1], v.date()) for k, v in reminders.items()})

    # and nothing else is waiting or was written: the reminders kept as merged, the rest sent
    async with engine.connect() as connection:
        rows = dict((await connection.execute(select(OutboxMessage.dedupe_key, OutboxMessage.status))).all())
    assert {k for k, s in rows.items() if s == "merged"} == set(reminders)
    assert {k for k, s in rows.items() if s != "merged"} == set(sent)
    assert set(rows.values()) == {"merged", "sent"}

    async with engine.connect() as connection:  # the confirmation was recorded
        statuses = (
            await connection.execute(select(ActionItem.status).where(ActionItem.audit_id == ids["confirmed"]))
        ).scalars()
        assert list(statuses) == ["done"]
