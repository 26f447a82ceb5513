"""Children and families' feedback in the highlight report, from a fixture whose figures were worked out by
hand (SQLite and PostgreSQL): answers received by audience, satisfaction and "felt listened to" by service
area and cohort, what helped and what got in the way as themes, a small group marked, an answer just
inside and one just outside the quarter (London midnights), and no family's own words anywhere in the
report, its CSV files or its summary card."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from cards.reports import report_summary
from plf_core import periods
from plf_core.clock import FixedClock
from plf_core.demo_borough import build_demo_borough
from plf_core.highlight import HighlightReport
from reports.highlight_html import highlight_csv, highlight_html
from store.database import session_factory
from store.demo import load_demo
from store.feedback_report import feedback_in, shipped_form
from store.models import Case, FeedbackAnswer, FeedbackRequest, ServiceArea, Team
from store.report_store import highlight_report

NOW = datetime(2026, 11, 26, 10, tzinfo=UTC)
Q3 = periods.parse_code("2026-Q3")
LONDON = ZoneInfo("Europe/London")
IN_Q3 = datetime(2026, 8, 12, 17, 0, tzinfo=UTC)
FIRST_MOMENT = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 July in London: inside Q3
AFTER_IT = datetime(2026, 9, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 October in London: Q4's
WORDS = (  # what families wrote: none of it may appear in the report
    "The social worker listened and explained everything",
    "Help with housing",
    "Visits were cancelled and we had a new worker",
    "Nobody told us what was happening",
    "My worker helped me feel safe at school",
    "Our worker kept changing",
    "It took too long",
    "Thank you to Ms Example for everything",
)


@dataclass(frozen=True)
class Given:
    area: str  # "x" or "y"
    cohort: str
    audience: str
    answers: dict[str, int | str]
    at: datetime = IN_Q3


P, C = "parent", "child"
GIVEN = [
    # service area X (Leaving Care), Child Looked After: six parents and carers
    Given("x", "cla", P, {"useful": 5, "listened": 4, "helped": WORDS[0]}, FIRST_MOMENT),  # listened; informed
    Given("x", "cla", P, {"useful": 5, "listened": 4, "helped": WORDS[1]}),  # practical help
    Given("x", "cla", P, {"useful": 4, "listened": 4, "helped": "She listened"}),  # listened
    Given("x", "cla", P, {"useful": 3, "listened": 2, "in_the_way": WORDS[2]}),  # time; the same worker
    Given("x", "cla", P, {"useful": 2, "in_the_way": WORDS[3]}),  # being kept informed
    Given("x", "cla", P, {"useful": 4, "anything_else": WORDS[7]}),
    # service area X, Care Leavers: three young people, a group small enough to be marked
    Given("x", "care_leaver", C, {"useful": 5, "listened": 5, "helped": "Having the same worker"}),  # the same worker
    Given("x", "care_leaver", C, {"useful": 5, "listened": 3}),
    Given("x", "care_leaver", C, {"changed": "I moved school"}),  # answered nothing that is counted but the answer
    # service area Y (Children Looked After), Child Looked After: five parents and carers
    Given("y", "cla", P, {"useful": 4, "listened": 5, "helped": "They listened to us"}),  # listened
    Given("y", "cla", P, {"useful": 4, "listened": 5, "helped": "Nothing"}),  # other
    Given("y", "cla", P, {"useful": 4, "listened": 5, "in_the_way": WORDS[5]}),  # the same worker
    Given("y", "cla", P, {"useful": 4, "listened": 5, "in_the_way": WORDS[6]}),  # other
    Given("y", "cla", P, {"useful": 1, "listened": 5}),
    # service area Y, Child Looked After: one child
    Given("y", "cla", C, {"useful": 5, "listened": 4, "helped": WORDS[4]}),  # feeling safer; practical help
    # received as 2026-Q4 began in London: not this quarter's
    Given("y", "cla", P, {"useful": 1, "listened": 1, "in_the_way": "the same worker"}, AFTER_IT),
]


async def _cases(session: AsyncSession) -> tuple[dict[tuple[str, str], int], dict[str, tuple[int, str]]]:
    """A demo case per (area, cohort) the fixture needs: X has children looked after and care leavers, Y
    children looked after (the cohort is in both areas)."""
    rows = (
        await session.execute(
            select(Case.id, Case.cohort, Team.service_area_id, ServiceArea.name)
            .join(Team, Team.id == Case.team_id)
            .join(ServiceArea, ServiceArea.id == Team.service_area_id)
            .order_by(Case.id)
        )
    ).all()
    by_area: dict[int, dict[str, int]] = {}
    names = {area: name for _, _, area, name in rows}
    for case, cohort, area, _ in rows:
        by_area.setdefault(area, {}).setdefault(cohort, case)
    x = next(a for a, cohorts in by_area.items() if {"cla", "care_leaver"} <= set(cohorts))
    y = next(a for a, cohorts in by_area.items() if a != x and "cla" in cohorts)
    cases = {(key, cohort): by_area[area][cohort] for key, area in (("x", x), ("y", y)) for cohort in by_area[area]}
    return cases, {"x": (x, names[x]), "y": (y, names[y])}


async def fixture(engine: AsyncEngine) -> dict[str, tuple[int, str]]:
    sessions = session_factory(engine)
    await load_demo(sessions, build_demo_borough(), FixedClock(datetime(2026, 7, 1, 10, tzinfo=UTC)))
    async with sessions() as session, session.begin():
        cases, areas = await _cases(session)
        for n, given in enumerate(GIVEN):
            asked = given.at - timedelta(days=3)
            request = FeedbackRequest(
                token_hash=f"{n:064x}",
                case_id=cases[given.area, given.cohort],
                audience=given.audience,
                occasion="asked",
                created_at=asked,
                expires_at=asked + timedelta(days=28),
                used_at=given.at,
            )
            session.add(request)
            await session.flush()
            session.add(
                FeedbackAnswer(
                    request_id=request.id,
                    case_id=request.case_id,
                    audience=given.audience,
                    received_at=given.at,
                    answers=given.answers,
                    worded=[[question, str(answer)] for question, answer in given.answers.items()],
                )
            )
    return areas


def rows(report: HighlightReport, key: str) -> dict[str, tuple[str, ...]]:
    return {row[0]: row[1:] for row in next(t for t in report.tables if t.key == key).rows}


async def test_the_reports_feedback_figures_equal_the_hand_worked_ones(engine: AsyncEngine) -> None:
    areas = await fixture(engine)
    x, y = areas["x"][1], areas["y"][1]
    async with session_factory(engine)() as session:
        report = await highlight_report(session, Q3, None, "the whole service", NOW, LONDON)

    # 15 answers in Q3 (the 16th came at 00:30 on 1 October, London time): 4 from children and young
    # people (3 in X, 1 in Y), 11 from parents and carers (6 in X, 5 in Y)
    assert rows(report, "feedback_received") == {
        "Children and young people": ("4*",),
        "Parents and carers": ("11",),
        "All": ("15",),
    }
    # columns: answers, rated our help, satisfied (4 or 5), satisfaction, felt listened to
    assert rows(report, "feedback_by_service_area") == {
        # X: 9 answers; 8 rated our help (5 5 4 3 2 4 | 5 5); 6 gave 4 or 5: 6/8 = 75%.
        #    listened: 4 4 4 2 | 5 3 = 6 rated, 4 at 4 or 5: 4/6 = 66.7%, 67%
        x: ("9", "8", "6", "75%", "67%"),
        # Y: 6 answers; 6 rated (4 4 4 4 1 | 5), 5 satisfied: 5/6 = 83.3%, 83%; listened 5 5 5 5 5 | 4: 100%
        y: ("6", "6", "5", "83%", "100%"),
        # the whole service: 14 rated, 11 satisfied: 78.6%, 79%; listened: 12 rated, 10 at 4 or 5: 83.3%, 83%
        "The whole service": ("15", "14", "11", "79%", "83%"),
    }
    assert rows(report, "feedback_by_cohort") == {
        # care leavers: X's three young people; 2 rated our help, both 5; listened 5 and 3: 1 of 2, 50%*
        "Care Leaver": ("3*", "2*", "2*", "100%*", "50%*"),
        # children looked after, in both areas: 6 in X, 6 in Y; satisfied 4 (5 5 4 4) + 5 (4 4 4 4 5) = 9 of 12:
        #     75%; listened 4 4 4 2 + 5 5 5 5 5 4: 9 of 10 at 4 or 5: 90%
        "Child Looked After (CLA)": ("12", "12", "9", "75%", "90%"),
    }
    # helped: listened x3 ("listened" twice in X, once in Y), informed ("explained"), practical help x2
    # ("housing"; "school"), the same worker, feeling safer ("safe"), other ("Nothing");
    # in the way: time ("visits", "cancelled") and the same worker ("new worker") in one answer, informed
    # ("told"), the same worker ("kept changing"), other ("It took too long"); Q4's answer not counted.
    # Most first (helped and in the way together), ties in the form's order, Other last.
    assert rows(report, "feedback_themes") == {
        "Being listened to": ("3*", "0"),
        "The same worker": ("1*", "2*"),
        "Being kept informed": ("1*", "1*"),
        "Practical help": ("2*", "0"),
        "Time and being there": ("0", "1*"),
        "Feeling safer": ("1*", "0"),
        "Other": ("1*", "1*"),
    }
    headline = dict(report.headline)
    assert headline["Families' feedback"] == "15"
    assert headline["Families satisfied"] == "79%"

    html = highlight_html(report)
    csv = "".join(highlight_csv(report).values())
    card = json.dumps(report_summary(Q3.label, "the whole service", report.headline, "https://x.example", False, 7))
    for words in (*WORDS, "She listened", "I moved school", "Having the same worker"):
        assert words not in html
        assert words not in csv
        assert words not in card
    assert "Children and families&#39; satisfaction by cohort" in html
    assert not report.empty  # no audits in the quarter, but families answered: not "nothing to report"
    assert "There is nothing to report for this period." not in html
    assert "What helped and what got in the way, as children and families told us" in html


async def test_a_service_areas_report_counts_its_own_families_only(engine: AsyncEngine) -> None:
    areas = await fixture(engine)
    (x_id, x), (y_id, y) = areas["x"], areas["y"]
    async with session_factory(engine)() as session:
        mine = await highlight_report(session, Q3, x_id, x, NOW, LONDON)
        other = await highlight_report(session, Q3, y_id, y, NOW, LONDON)
    assert rows(mine, "feedback_by_service_area") == {x: ("9", "8", "6", "75%", "67%")}  # one area: no total line
    assert rows(mine, "feedback_received") == {
        "Children and young people": ("3*",),
        "Parents and carers": ("6",),
        "All": ("9",),
    }
    assert rows(other, "feedback_themes")["The same worker"] == ("0", "1*")  # "kept changing"; not Q4's
    assert dict(other.headline)["Families satisfied"] == "83%"


async def test_only_the_answers_the_figures_count_leave_the_store(engine: AsyncEngine) -> None:
    await fixture(engine)
    async with session_factory(engine)() as session:
        records = await feedback_in(session, shipped_form(), Q3, None, LONDON)
    assert len(records) == 15
    assert set().union(*(r.answers for r in records)) == {"useful", "listened", "helped", "in_the_way"}
    assert all(r.team_code and r.cohort for r in records)
