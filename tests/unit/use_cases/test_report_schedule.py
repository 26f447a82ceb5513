"""Reports that go out by themselves (plf_core.report_schedule): last month's highlight report on the
configured working day, last quarter's at the quarter's, each manager for their scope, once."""

from __future__ import annotations

from datetime import date, datetime, time

from plf_core import report_schedule
from plf_core.clock import FixedClock
from plf_core.framework_config import Framework
from plf_core.timetable import Hours
from plf_core.timetable_notices import HighlightReportReady
from tests.fakes.store import FakeUnitOfWork
from tests.fakes.world import small_borough


def test_the_reports_fall_due_on_their_working_day_and_for_a_week() -> None:
    f = Framework()
    assert report_schedule.due_reports(f, date(2026, 12, 2)) == []
    assert [p.code for p in report_schedule.due_reports(f, date(2026, 12, 3))] == ["2026-11"]  # Tue 1, Wed 2, Thu 3
    assert [p.code for p in report_schedule.due_reports(f, date(2026, 12, 9))] == ["2026-11"]
    assert report_schedule.due_reports(f, date(2026, 12, 10)) == []
    # 1 January is a bank holiday: December's report on the 6th, the quarter's on the 8th
    assert [p.code for p in report_schedule.due_reports(f, date(2027, 1, 8))] == ["2026-12", "2026-Q4"]
    assert [
        p.code for p in report_schedule.due_reports(Framework(monthly_report_working_day=1), date(2026, 12, 1))
    ] == ["2026-11"]


async def test_each_manager_gets_the_report_of_their_scope_once_in_working_hours(clock: FixedClock) -> None:
    day = FixedClock(datetime.combine(date(2026, 12, 3), time(10), tzinfo=clock.zone))
    b = small_borough(day.today())
    uow = FakeUnitOfWork(b.world, day)
    hours = Hours(zone=day.zone)
    early = datetime.combine(date(2026, 12, 3), time(7), tzinfo=day.zone)
    async with uow:
        assert await report_schedule.send(uow, Framework(), early, hours) == 0
    async with uow:
        assert await report_schedule.send(uow, Framework(), day.now(), hours) == 4
    async with uow:
        assert await report_schedule.send(uow, Framework(), day.now(), hours) == 0
    sent = {r.person_id: HighlightReportReady.from_payload(r.payload) for r in b.world.outbox.values()}
    assert set(sent) == {b.slt, b.qa_manager, b.head, b.manager}  # not the Practice Lead nor the reviewer
    assert {sent[b.slt].scope, sent[b.qa_manager].scope} == {"the whole service"}
    assert sent[b.head].area_id == b.area
    assert sent[b.manager].scope == sent[b.head].scope != "the whole service"
    assert all(n.period == "2026-11" and n.reader == person for person, n in sent.items())
