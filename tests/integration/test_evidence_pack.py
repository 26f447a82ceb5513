"""The inspection evidence pack's figures against a small borough worked by hand (SQLite and PostgreSQL):
volume against plan, grades by area and cohort, weighted kappa with its confidence interval and the
auditor × moderator grid, actions on time, late and overdue, immediate concerns and the median time to
acknowledge, and only the confirmed examples of good practice; then its HTML and CSV forms.

The borough, 2026 Q3 (1 July to 30 September), seen on 26 November 2026:
- East: teams E1 and E2 with a Practice Lead each; West: team W1 with one. Plan: 3 a Practice Lead for the
  quarter's one cycle: East 6, West 3, the whole service 9.
- East's audits due 30 September: a1 (CiN) returned 10 Aug, Green; a2 (CP) 15 Sep, Amber; a3 (CiN) returned
  late, 5 Oct; a4 (CLA) not returned. Due 4, returned 2, outstanding 2: 2 of 6 planned, 33%.
- West's: a5 (CLA) due 30 Sep, returned 20 Jul, Blue; a6 (CP) due in Q2 (30 Jun), returned 3 Jul, Red.
  Due 1, returned of those 1, outstanding 0: 1 of 3, 33%; returned in Q3 2 (a6 was due in Q2). The whole
  service: due 5, 3 of 9 planned (33%), returned in Q3 4.
- Six moderations completed in Q3 (auditor → moderator): Green → Green twice, Amber → Amber, Red → Amber,
  Amber → Green, Blue → Green. Linear weights w = 1 - |i - j| / 3 over Red, Amber, Green, Blue:
  agreement pa = (3 + 3 × 2/3) / 6 = 5/6; the auditors' margins 1/6, 2/6, 2/6, 1/6 and the moderators'
  0, 2/6, 4/6, 0 give chance pe = (1×4/9 + 2×7/9 + 2×8/9 + 1×5/9) / 6 = 13/18; kappa = (5/6 - 13/18) /
  (5/18) = 0.40. Gwet's variance of weighted kappa gives a standard error of 0.16, and t(0.975, 5 df) =
  2.571: 95% CI 0.40 ± 0.41, from -0.01 to 0.81. AC2: pe = (28/3) × (5/8) / 12 = 35/72, AC2 = 25/37 = 0.68.
- Actions of East's a2: due 15 Aug done 10 Aug (on time), due 1 Sep done 10 Sep (late), due 20 Sep open
  (overdue), and one due in Q2 done (another period's): 1, 1, 1 and 0 not yet due.
- Concerns raised in Q3: East acknowledged after 10, 40 and 95 minutes (that one had reached the Head of
  Service) and one never (reached the Director); West after 25 and 50. East: 4 raised, 3 acknowledged,
  median 40; West: 2 and 2, median 37.5; the whole service 6 and 5: 10, 25, 40, 50, 95, median 40. One
  raised on 2 October is Q4's.
- Good practice: a1's Head of Service comments, confirmed by the Head of Service; the CLA thematic review's
  reviewer's examples, confirmed by QA: in the pack. a5's nomination (unconfirmed), a2's (declined) and a
  Q2 audit's (confirmed, another quarter): not.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from plf_core import chat, good_practice_commands, periods, workflow
from plf_core.card_actions import ActionRequest, Verb, act
from plf_core.clock import FixedClock
from plf_core.evidence import EvidencePack, evidence_pack
from plf_core.framework_config import Framework
from plf_core.highlight import Table
from plf_core.outcomes import AREAS
from plf_core.turn import Turn
from reports.evidence_html import evidence_csv, evidence_html
from store.database import session_factory
from store.models import (
    ActionItem,
    Answer,
    Audit,
    Case,
    Concern,
    GoodPracticeDecision,
    Moderation,
    OutcomeScore,
    Person,
    PersonRole,
    ServiceArea,
    Team,
)
from store.unit_of_work import unit_of_work_factory
from tests.instants import LONDON

NOW = datetime(2026, 11, 26, 10, tzinfo=UTC)
Q3 = periods.quarter(date(2026, 8, 1))
CLOCK = FixedClock(NOW, LONDON)
PLC = "practice_learning_conversation"
UNCONFIRMED_TEXT = "Purposeful visits with the young person's carers."  # a5's narrative: awaiting confirmation
DECLINED_TEXT = "Declined: the plan is generic."


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


async def borough(engine: AsyncEngine) -> dict[str, Any]:
    """The borough above; returns its ids by name."""
    async with session_factory(engine)() as session, session.begin():
        people, areas, cases = await _directory(session)
        audits = await _audits(session, people, cases)
        _moderations(session, audits["moderated"], people["moderator"])
        _actions_and_scales(session, audits["a1"], audits["a2"])
        _concerns(session, areas, cases[1])
        await _good_practice(session, audits, people)
        ids: dict[str, Any] = {name: row.id for name, row in people.items()}
        ids |= {name: audits[name].id for name in ("a1", "a2", "a5", "review")}
        ids |= {f"case{n}": c.azeus_number for n, c in cases.items()}
    return ids


async def _directory(session: AsyncSession) -> tuple[dict[str, Person], dict[str, ServiceArea], dict[int, Case]]:
    """East (teams E1, E2) and West (W1), each team with its Practice Lead; six cases."""
    named = {
        "lead1": ("Lee East", "practice_lead"),
        "lead2": ("Lou East", "practice_lead"),
        "lead3": ("Lyn West", "practice_lead"),
        "hos_e": ("Hana East", "head_of_service"),
        "hos_w": ("Hugh West", "head_of_service"),
        "worker": ("Wren Worker", "practitioner"),
        "qa": ("Quinn Reviewer", "practice_learning_reviewer"),
        "moderator": ("Mo Derator", "qa_manager"),
    }
    people = {
        key: Person(aad_object_id=f"aad-{key}", display_name=name, email=f"{key}@t.invalid")
        for key, (name, _) in named.items()
    }
    areas = {"east": ServiceArea(code="E", name="East"), "west": ServiceArea(code="W", name="West")}
    session.add_all([*people.values(), *areas.values()])
    await session.flush()
    session.add_all(PersonRole(person_id=people[key].id, role=role) for key, (_, role) in named.items())
    heads = {"east": people["hos_e"].id, "west": people["hos_w"].id}
    teams = {
        code: Team(
            code=code,
            name=f"Team {code}",
            service_area_id=areas[area].id,
            practice_lead_id=people[lead].id,
            head_of_service_id=heads[area],
        )
        for code, area, lead in (("E1", "east", "lead1"), ("E2", "east", "lead2"), ("W1", "west", "lead3"))
    }
    session.add_all(teams.values())
    await session.flush()
    placed = (("E1", "cin"), ("E1", "cp"), ("E2", "cin"), ("E2", "cla"), ("W1", "cla"), ("W1", "cp"))
    cases = {
        n: Case(azeus_number=f"EV-{n:04d}", gender="female", age=9, cohort=cohort, team_id=teams[team].id)
        for n, (team, cohort) in enumerate(placed, 1)
    }
    session.add_all(cases.values())
    await session.flush()
    return people, areas, cases


async def _audits(session: AsyncSession, people: dict[str, Person], cases: dict[int, Case]) -> dict[str, Any]:
    def audit(case: int, due: date, submitted: date | None, grade: str | None, form: str = PLC) -> Audit:
        row = Audit(
            form_id=form,
            case_id=cases[case].id,
            practitioner_id=people["worker"].id,
            second_person_id=people["lead1"].id,
            status="submitted" if submitted else "in_progress",
            due_on=due,
            submitted_at=noon(submitted) if submitted else None,
            final_grade=grade,
        )
        session.add(row)
        return row

    end_q3, end_q2 = date(2026, 9, 30), date(2026, 6, 30)
    made: dict[str, Any] = {
        "a1": audit(1, end_q3, date(2026, 8, 10), "green"),
        "a2": audit(2, end_q3, date(2026, 9, 15), "amber"),
        "a3": audit(3, end_q3, date(2026, 10, 5), "green"),  # late: outstanding at the quarter's end
        "a4": audit(4, end_q3, None, None),
        "a5": audit(5, end_q3, date(2026, 7, 20), "blue"),
        "a6": audit(6, end_q2, date(2026, 7, 3), "red"),  # due in Q2, returned in Q3
        "moderated": [audit(n, end_q2, date(2026, 6, 10), None) for n in range(1, 7)],  # Q2's, moderated in Q3
        "review": audit(5, date(2026, 9, 1), date(2026, 8, 25), "green", form="thematic_cla_care_leavers"),
        "earlier": audit(1, end_q2, date(2026, 5, 5), "blue"),  # a Q2 nomination, confirmed: not Q3's evidence
    }
    await session.flush()
    return made


def _moderations(session: AsyncSession, moderated: list[Audit], moderator: Person) -> None:
    pairs = (
        ("green", "green"),
        ("green", "green"),
        ("amber", "amber"),
        ("red", "amber"),
        ("amber", "green"),
        ("blue", "green"),
    )
    for row, (original, final) in zip(moderated, pairs, strict=True):
        session.add(
            Moderation(
                audit_id=row.id,
                moderator_id=moderator.id,
                stream="ad_qa",
                status="completed",
                completed_at=noon(date(2026, 8, 20)),
                original_grade=original,
                moderated_grade=final,
            )
        )


def _actions_and_scales(session: AsyncSession, a1: Audit, a2: Audit) -> None:
    for deadline, status, confirmed in (
        (date(2026, 6, 15), "done", date(2026, 6, 14)),  # due in Q2: another period's
        (date(2026, 8, 15), "done", date(2026, 8, 10)),
        (date(2026, 9, 1), "done", date(2026, 9, 10)),
        (date(2026, 9, 20), "open", None),
    ):
        confirmed_at = noon(confirmed) if confirmed else None
        session.add(
            ActionItem(audit_id=a2.id, text="Synthetic", status=status, deadline=deadline, confirmed_at=confirmed_at)
        )
    low = {(a1.id, "living_arrangements"): 3, (a1.id, "education"): 4, (a2.id, "living_arrangements"): 2}
    for audit_id in (a1.id, a2.id):
        for area in AREAS:
            score = low.get((audit_id, area), 7)
            session.add(OutcomeScore(audit_id=audit_id, source="practitioner", area=area, score=score))


def _concerns(session: AsyncSession, areas: dict[str, ServiceArea], case: Case) -> None:
    raised = datetime(2026, 8, 3, 21, 0, tzinfo=UTC)  # 22:00 in London
    for area, after, level in (
        ("east", 10, 0),
        ("east", 40, 0),
        ("east", 95, 1),
        ("east", None, 2),
        ("west", 25, 0),
        ("west", 50, 0),
    ):
        acknowledged = raised + timedelta(minutes=after) if after is not None else None
        session.add(
            Concern(
                area_id=areas[area].id,
                case_id=case.id,
                raised_at=raised,
                description="Synthetic concern",
                level=level,
                acknowledged_at=acknowledged,
            )
        )
        raised += timedelta(days=1)
    session.add(Concern(area_id=areas["east"].id, raised_at=noon(date(2026, 10, 2)), description="Synthetic: Q4's"))


async def _good_practice(session: AsyncSession, audits: dict[str, Any], people: dict[str, Person]) -> None:
    def page(audit: str, page_id: str, values: dict[str, object], by: str) -> None:
        row = Answer(audit_id=audits[audit].id, page_id=page_id, version=1, values=values, saved_by_id=people[by].id)
        session.add(row)

    page("a1", "head_of_service", {"HOS2": "Direct work recorded in the child's own words.", "HOS4": "yes"}, "hos_e")
    page("a2", "head_of_service", {"HOS2": DECLINED_TEXT, "HOS4": "yes"}, "hos_e")
    page("a5", "head_of_service", {"HOS4": "yes"}, "hos_w")
    page("a5", "manager_overall", {"MO1": "blue", "MO2": UNCONFIRMED_TEXT}, "lead3")
    page("review", "header", {"T_theme": "Voice of the child"}, "qa")
    page("review", "moderation", {"G_practice": "Life story work done with the young person."}, "worker")
    page("earlier", "head_of_service", {"HOS2": "An earlier quarter's example.", "HOS4": "yes"}, "hos_e")
    await session.flush()
    for audit, field_id, decision, by in (
        ("a1", "HOS4", "confirmed", "hos_e"),
        ("a2", "HOS4", "declined", "hos_e"),
        ("earlier", "HOS4", "confirmed", "hos_e"),
        ("review", "G_practice", "confirmed", "qa"),
    ):
        session.add(
            GoodPracticeDecision(
                audit_id=audits[audit].id,
                field_id=field_id,
                decision=decision,
                decided_by_id=people[by].id,
                decided_at=noon(date(2026, 11, 2)),
            )
        )


def rows(pack: EvidencePack, key: str) -> dict[str, tuple[str, ...]]:
    return {row[0]: row[1:] for row in table(pack, key).rows}


def table(pack: EvidencePack, key: str) -> Table:
    return next(t for t in pack.tables if t.key == key)


async def the_pack(engine: AsyncEngine) -> EvidencePack:
    async with unit_of_work_factory(engine, CLOCK)() as uow:
        return await evidence_pack(uow, Q3, Framework(), CLOCK.today(), LONDON)


@pytest.fixture
async def built(engine: AsyncEngine) -> tuple[dict[str, Any], EvidencePack]:
    known = await borough(engine)
    return known, await the_pack(engine)


async def test_the_volume_against_plan_and_the_grades_are_those_worked_by_hand(
    built: tuple[dict[str, Any], EvidencePack],
) -> None:
    _, pack = built

    assert [s.question for s in pack.sections] == [
        "1. The audit programme: volume against plan",
        "2. Grades by service area and cohort",
        "3. Moderation agreement",
        "4. Actions on time, late and overdue",
        "5. Immediate concerns and time to acknowledge",
        "6. Confirmed examples of good practice",
        "7. Learning themes",
    ]
    # Practice Leads, Plan, Due, Due and returned by its end, Outstanding, against plan, Returned in the quarter
    assert rows(pack, "volume_against_plan") == {
        "East": ("2", "6", "4*", "2*", "2*", "33%", "2*"),
        "West": ("1", "3", "1*", "1*", "0", "33%*", "2*"),
        "The whole service": ("3", "9", "5", "3*", "2*", "33%", "4*"),
    }
    assert (
        "Plan: 3 audits per Practice Lead for the cycle due in the quarter" in table(pack, "volume_against_plan").note
    )
    # Blue, Green, Amber, Red, Not graded, Returned
    assert rows(pack, "grades_by_service_area") == {
        "East": ("0", "1*", "1*", "0", "0", "2*"),
        "West": ("1*", "0", "0", "1*", "0", "2*"),
    }
    assert rows(pack, "grades_by_cohort") == {
        "Child in Need (CiN)": ("0", "1*", "0", "0", "0", "1*"),
        "Child Protection (CP)": ("0", "0", "1*", "1*", "0", "2*"),
        "Child Looked After (CLA)": ("1*", "0", "0", "0", "0", "1*"),
    }


async def test_kappa_its_confidence_interval_and_the_grid_are_those_worked_by_hand(
    built: tuple[dict[str, Any], EvidencePack],
) -> None:
    _, pack = built
    assert rows(pack, "agreement_coefficients") == {
        "Weighted kappa (Cohen, linear weights)": ("0.40", "-0.01", "0.81"),
        "Gwet's AC2 (linear weights)": ("0.68", "0.26", "1.00"),
    }
    kappa = pack.agreement.kappa
    assert kappa is not None
    assert abs(kappa.value - 0.4) < 1e-6
    assert abs(kappa.low - (0.4 - 2.5706 * 0.16)) < 1e-3
    assert abs(kappa.high - (0.4 + 2.5706 * 0.16)) < 1e-3
    # rows: the auditor's grade; columns: the moderator's Red, Amber, Green, Blue, All
    assert rows(pack, "moderation_grid") == {
        "Red — Inadequate": ("0", "1*", "0", "0", "1*"),
        "Amber — Requires Improvement": ("0", "1*", "1*", "0", "2*"),
        "Green — Good": ("0", "0", "2*", "0", "2*"),
        "Blue — Outstanding": ("0", "0", "1*", "0", "1*"),
        "All": ("0", "2*", "4*", "0", "6"),
    }
    agreement = rows(pack, "moderation_agreement")
    assert agreement["Moderations completed"] == ("6",)
    assert agreement["Exact agreement"] == ("50%",)
    assert agreement["Within one grade"] == ("100%",)
    assert agreement["Moderator graded higher"] == ("33%",)
    assert agreement["Moderator graded lower"] == ("17%",)
    assert agreement["Weighted kappa"] == ("0.40 (95% CI -0.01 to 0.81)",)


async def test_actions_concerns_good_practice_and_themes_are_those_worked_by_hand(
    built: tuple[dict[str, Any], EvidencePack],
) -> None:
    known, pack = built
    assert rows(pack, "actions") == {
        "Completed on time": ("1*", "33%*"),
        "Completed late": ("1*", "33%*"),
        "Overdue (past the deadline, not confirmed)": ("1*", "33%*"),
        "Open, not yet due": ("0", "0%*"),
    }
    # Raised, Acknowledged, Not acknowledged, Escalated, Median minutes to acknowledge
    assert rows(pack, "immediate_concerns") == {
        "East": ("4*", "3*", "1*", "2*", "40*"),
        "West": ("2*", "2*", "0", "0", "37.5*"),
        "The whole service": ("6", "5", "1*", "2*", "40"),
    }

    examples = table(pack, "good_practice").rows
    assert [(case, text, by, confirmed) for case, _, _, _, text, by, confirmed in examples] == [
        (
            known["case5"],
            "Life story work done with the young person.",
            "Wren Worker",
            "Quinn Reviewer, Mon 02 Nov 2026",
        ),
        (known["case1"], "Direct work recorded in the child's own words.", "Hana East", "Hana East, Mon 02 Nov 2026"),
    ]
    assert examples[0][3] == "Thematic Practice Review (CLA & Care Leavers) (Voice of the child)"
    assert examples[1][2] == "Green — Good"

    assert table(pack, "top_themes").rows == (
        ("1", "Living arrangements", "2*"),
        ("2", "Education, employment and training", "1*"),
    )
    assert dict(pack.headline) == {
        "Audits due and returned": "3* (plan 9)",
        "Moderated": "6",
        "Weighted kappa": "0.40 (95% CI -0.01 to 0.81)",
        "Immediate concerns": "6",
        "Median minutes to acknowledge": "40",
        "Confirmed examples of good practice": "2",
    }


async def test_the_pack_prints_as_one_page_with_a_csv_per_table_and_no_unconfirmed_example(
    engine: AsyncEngine,
) -> None:
    known = await borough(engine)
    pack = await the_pack(engine)
    html = evidence_html(pack)
    assert html.startswith("<!doctype html>")
    assert "<script" not in html
    assert "http://" not in html
    assert "https://" not in html  # nothing to fetch: it prints offline as it is
    assert "@media print" in html
    assert "Life story work done with the young person." in html
    assert UNCONFIRMED_TEXT not in html
    assert DECLINED_TEXT not in html
    assert "An earlier quarter&#39;s example." not in html
    assert known["case5"] in html  # the confirmed review's case, by id
    assert known["case2"] not in html  # the declined nomination's case is nowhere else in the pack
    files = evidence_csv(pack)
    assert sorted(files) == sorted(f"evidence-2026-Q3-{t.key}.csv" for t in pack.tables)
    assert files["evidence-2026-Q3-immediate_concerns.csv"].splitlines()[1] == "East,4*,3*,1*,2*,40*"
    assert files["evidence-2026-Q3-agreement_coefficients.csv"].splitlines()[1] == (
        '"Weighted kappa (Cohen, linear weights)",0.40,-0.01,0.81'
    )


async def test_a_head_of_service_confirms_on_the_database_once_and_a_second_press_says_who(
    engine: AsyncEngine,
) -> None:
    known = await borough(engine)
    uow = unit_of_work_factory(engine, CLOCK)
    settings = chat.ChatSettings(workflow.Settings(), LONDON)

    async def press(person: str, decision: str) -> good_practice_commands.GoodPracticeList:
        data = {"field": "HOS4", "decision": decision}
        request = ActionRequest(Verb.GOOD_PRACTICE_DECIDE, known["a5"], command="good practice West", inputs=data)
        async with uow() as work:
            actor = await work.people.actor_of(known[person])
            assert actor is not None
            answer = await act(Turn(work, actor, NOW, settings, "activity"), request)
        assert isinstance(answer, good_practice_commands.GoodPracticeList)
        return answer

    async with uow() as work:
        actor = await work.people.actor_of(known["hos_w"])
        assert actor is not None
        listed = await chat.run(work, actor, "good practice", NOW, settings, "activity")
    assert isinstance(listed, good_practice_commands.GoodPracticeList)
    assert [(n.case, n.text, n.nominated_by, n.awaiting) for n in listed.found] == [
        (known["case5"], UNCONFIRMED_TEXT, "Hugh West", True),  # no comments: the manager's narrative
        (known["case5"], "Life story work done with the young person.", "Wren Worker", False),
    ]
    confirmed = await press("hos_w", "confirmed")
    assert confirmed.note.startswith(f"You confirmed case {known['case5']}'s example of good practice")
    again = await press("qa", "declined")
    assert again.note == f"Hugh West already confirmed case {known['case5']}'s example on Thu 26 Nov 2026."
    pack = await the_pack(engine)
    assert UNCONFIRMED_TEXT in [row[4] for row in table(pack, "good_practice").rows]
