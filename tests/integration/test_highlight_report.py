"""The highlight report from a small fixture whose figures were worked out by hand (SQLite and
PostgreSQL): counts, grades by area and by who, agreement, actions, outcome means and their change,
themes, the trend, small numbers marked, case ids only in a service area's report, and the HTML
and CSV forms."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from plf_core import periods
from plf_core.clock import FixedClock
from plf_core.demo_borough import build_demo_borough
from plf_core.highlight import HighlightReport, Table
from plf_core.outcomes import AREAS
from reports.highlight_html import highlight_csv, highlight_html
from store.database import session_factory
from store.demo import load_demo
from store.models import (
    ActionItem,
    Answer,
    Audit,
    Case,
    DipSample,
    GradeRecord,
    Moderation,
    OutcomeScore,
    ServiceArea,
    Team,
)
from store.report_store import highlight_report

NOW = datetime(2026, 11, 26, 10, tzinfo=UTC)
Q3 = periods.quarter(date(2026, 8, 1))
LONDON = ZoneInfo("Europe/London")


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def table(report: HighlightReport, key: str) -> Table:
    return next(t for t in report.tables if t.key == key)


def rows(report: HighlightReport, key: str) -> dict[str, tuple[str, ...]]:
    return {row[0]: row[1:] for row in table(report, key).rows}


async def fixture(engine: AsyncEngine) -> dict[str, object]:
    sessions = session_factory(engine)
    await load_demo(sessions, build_demo_borough(), FixedClock(datetime(2026, 7, 1, 10, tzinfo=UTC)))
    async with sessions() as session, session.begin():
        found = (
            await session.execute(
                select(Case.id, Case.azeus_number, Team.service_area_id, ServiceArea.name, Team.name)
                .join(Team, Team.id == Case.team_id)
                .join(ServiceArea, ServiceArea.id == Team.service_area_id)
                .where(Case.allocated_worker_id.is_not(None))
                .order_by(Case.id)
            )
        ).all()
        area_x = found[0][2]
        in_x = [r for r in found if r[2] == area_x][:2]
        in_y = [r for r in found if r[2] != area_x][:2]
        (c1, ref1, _, x_name, _), (c2, ref2, _, _, team2) = in_x
        (c3, _, y_id, y_name, _), (c4, _, _, _, _) = in_y

        def audit(case: int, created: date, submitted: date | None, grade: str | None, **more: object) -> Audit:
            row = Audit(
                form_id="practice_learning_conversation",
                case_id=case,
                status="submitted" if submitted else "in_progress",
                version=1,
                created_at=noon(created),
                submitted_at=noon(submitted) if submitted else None,
                final_grade=grade,
                **more,
            )
            session.add(row)
            return row

        a0 = audit(c1, date(2026, 4, 2), date(2026, 5, 20), "green")  # Q2: the case's earlier audit
        a1 = audit(c1, date(2026, 7, 2), date(2026, 8, 20), "green")
        a2 = audit(c2, date(2026, 7, 3), date(2026, 8, 21), "red", pim_held_on=date(2026, 9, 5))
        a3 = audit(c3, date(2026, 7, 6), date(2026, 9, 1), "amber")
        audit(c4, date(2026, 7, 6), None, None, due_on=date(2026, 9, 30))  # outstanding
        await session.flush()
        scales = {a0.id: 4, a1.id: 6, a2.id: 3, a3.id: 5}
        for audit_id, score in scales.items():
            for area in AREAS:
                session.add(OutcomeScore(audit_id=audit_id, source="practitioner", area=area, score=score))
            session.add(OutcomeScore(audit_id=audit_id, source="manager", area="overall", score=score))
        session.add(OutcomeScore(audit_id=a1.id, source="child", area="living_arrangements", score=8))
        for audit_id, grade in ((a1.id, "green"), (a2.id, "red"), (a3.id, "amber")):
            for source in ("practitioner", "manager"):
                session.add(GradeRecord(audit_id=audit_id, source=source, section="overall", grade=grade))
        session.add(
            Moderation(
                audit_id=a2.id,
                moderator_id=1,
                stream="head_of_service",
                status="completed",
                completed_at=noon(date(2026, 9, 10)),
                original_grade="red",
                moderated_grade="amber",
            )
        )
        for deadline, status, confirmed in (
            (date(2026, 8, 15), "done", date(2026, 8, 10)),
            (date(2026, 9, 1), "done", date(2026, 9, 10)),
            (date(2026, 9, 20), "open", None),
        ):
            session.add(
                ActionItem(
                    audit_id=a2.id,
                    text="Synthetic action",
                    status=status,
                    deadline=deadline,
                    confirmed_at=noon(confirmed) if confirmed else None,
                )
            )
        session.add(DipSample(theme="Voice of the child", status="sent", terms={}, sent_at=noon(date(2026, 8, 1))))
    return {"x": area_x, "x_name": x_name, "y": y_id, "y_name": y_name, "ref2": ref2, "team2": team2, "ref1": ref1}


async def test_the_report_counts_what_was_done_how_well_and_who_is_better_off(engine: AsyncEngine) -> None:
    known = await fixture(engine)
    async with session_factory(engine)() as session:
        report = await highlight_report(session, Q3, None, "the whole service", NOW, LONDON)

    assert rows(report, "how_much") == {
        "Audits due in the period": ("1*",),  # plf_core.figures: due within it (the others have no due date)
        "Audits returned": ("3*",),
        "Audits outstanding (due in the period, not returned)": ("1*",),
        "Audits moderated": ("1*",),
        "Dip samples sent to Heads of Service": ("1*",),
        "Practice Improvement Meetings held": ("1*",),
    }
    # columns: Blue, Green, Amber, Red, Not graded, Returned
    assert rows(report, "grades_by_service_area") == {
        known["x_name"]: ("0", "1*", "0", "1*", "0", "2*"),
        known["y_name"]: ("0", "0", "1*", "0", "0", "1*"),
    }
    assert rows(report, "grades_by_who") == {
        "Practitioner": ("0", "1*", "1*", "1*", "3*"),
        "Manager": ("0", "1*", "1*", "1*", "3*"),
        "Moderator": ("0", "0", "1*", "0", "1*"),
    }
    agreement = rows(report, "moderation_agreement")
    assert agreement["Moderations completed"] == ("1*",)
    assert agreement["Exact agreement"] == ("0%*",)
    assert agreement["Moderator graded higher"] == ("100%*",)  # Red moderated to Amber
    assert rows(report, "actions") == {
        "Completed on time": ("1*", "33%*"),
        "Completed late": ("1*", "33%*"),
        "Overdue (past the deadline, not confirmed)": ("1*", "33%*"),
        "Open, not yet due": ("0", "0%*"),
    }
    outcomes = rows(report, "outcomes")
    assert outcomes["Living arrangements"] == ("4.7*", "3*", "8.0*", "1*", "+2.0*", "1*")  # (6+3+5)/3; case 1: 4 -> 6
    assert outcomes["Sense of self"] == ("4.7*", "3*", "—", "0", "+2.0*", "1*")
    assert [r[2] for r in table(report, "top_themes").rows] == ["1*"] * 6  # audit 2's scales of 3
    trend = rows(report, "trend")
    assert list(trend) == ["2025 Q4", "2026 Q1", "2026 Q2", "2026 Q3"]
    assert trend["2026 Q2"] == ("1*", "100%*", "0%*", "4.0")
    assert trend["2026 Q3"] == ("3*", "33%*", "33%*", "4.7")
    assert "overdue_actions" not in {t.key for t in report.tables}  # service-wide: aggregate only
    assert dict(report.headline)["Good or better"] == "33%"

    html = highlight_html(report)
    assert html.startswith("<!doctype html>")
    assert html.count("data:image/png;base64,") == 3  # grades, outcomes and trend charts, embedded
    assert str(known["ref1"]) not in html
    assert str(known["ref2"]) not in html
    files = highlight_csv(report)
    assert sorted(files) == sorted(f"2026-Q3-{t.key}.csv" for t in report.tables)
    assert files["2026-Q3-actions.csv"].splitlines()[1] == "Completed on time,1*,33%*"


async def test_a_service_areas_report_lists_its_overdue_actions_by_case_id(engine: AsyncEngine) -> None:
    known = await fixture(engine)
    async with session_factory(engine)() as session:
        mine = await highlight_report(session, Q3, int(known["x"]), str(known["x_name"]), NOW, LONDON)  # type: ignore[call-overload]
        other = await highlight_report(session, Q3, int(known["y"]), str(known["y_name"]), NOW, LONDON)  # type: ignore[call-overload]
    assert table(mine, "overdue_actions").rows == ((known["ref2"], known["team2"], "20 Sep 2026"),)
    assert rows(mine, "how_much")["Audits returned"] == ("2*",)
    assert table(other, "overdue_actions").rows == ()
    assert rows(other, "how_much")["Audits returned"] == ("1*",)


async def test_a_period_with_no_data_gives_a_report_that_says_so(engine: AsyncEngine) -> None:
    await load_demo(session_factory(engine), build_demo_borough(), FixedClock(datetime(2026, 7, 1, 10, tzinfo=UTC)))
    async with session_factory(engine)() as session:
        report = await highlight_report(session, Q3, None, "the whole service", NOW, LONDON)
    assert report.empty
    html = highlight_html(report)
    assert "There is nothing to report for this period." in html
    assert "data:image/png" not in html


async def test_the_report_has_what_the_dip_samples_and_reviews_found(engine: AsyncEngine) -> None:
    await fixture(engine)
    async with session_factory(engine)() as session, session.begin():
        dip = (await session.execute(select(DipSample))).scalar_one()
        case, worker = (await session.execute(select(Case.id, Case.allocated_worker_id).limit(1))).one()
        terms = Audit(form_id="dip_sample_terms", version=2, status="submitted", practitioner_id=worker)
        terms.dip_sample_id = dip.id
        session.add(terms)
        for form, submitted, due in (
            ("thematic_cla_care_leavers", noon(date(2026, 8, 10)), date(2026, 8, 20)),
            ("thematic_cla_care_leavers", None, date(2026, 9, 1)),  # outstanding
            ("supervision_review", noon(date(2026, 9, 2)), date(2026, 9, 30)),
        ):
            review = Audit(form_id=form, version=1, status="submitted" if submitted else "assigned", case_id=case)
            review.practitioner_id, review.submitted_at, review.due_on = worker, submitted, due
            session.add(review)
        await session.flush()
        for version, text in ((1, "A first draft"), (2, "Plans name the child's wishes in 6 of 10 cases.")):
            values = {"TOR_recommendations": text}
            session.add(Answer(audit_id=terms.id, page_id="recommendations", version=version, values=values))
        for status in ("done", "open"):
            session.add(ActionItem(dip_sample_id=dip.id, text="Share the learning", status=status))
    async with session_factory(engine)() as session:
        report = await highlight_report(session, Q3, None, "the whole service", NOW, LONDON)
    assert table(report, "dip_samples").rows == (
        ("Voice of the child", "1 of 2", "Plans name the child's wishes in 6 of 10 cases."),
    )
    assert rows(report, "reviews") == {  # small numbers marked, as everywhere in the report
        "Thematic Practice Review (CLA & Care Leavers)": ("1*", "1*"),
        "Practice Review of Supervision (part 1)": ("1*", "0"),
    }
