"""Benchmark: reports and charts (issue 7), on PostgreSQL.

- the highlight report (every count of a quarter and the three quarters before it for the trend,
  then the HTML with its three charts) over 100,000 returned audits spread over five years:
  target <= 2 s;
- one outcomes chart (PNG): target <= 50 ms, after the first (which draws the template).
BENCH_AUDITS overrides the number of audits (default 100,000).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text

from plf_core import periods
from plf_core.clock import LONDON
from plf_core.outcomes import AREAS, OutcomeScales, OutcomesPicture
from reports.highlight_html import highlight_html
from reports.outcomes_chart import outcomes_chart_png
from store.database import create_engine, session_factory
from store.report_store import highlight_report
from tests.databases import SKIP_POSTGRES, fresh_database
from tests.e2e.running_app import plf, plf_env

AUDITS = int(os.environ.get("BENCH_AUDITS", "100000"))
NOW = datetime(2026, 11, 26, 10, tzinfo=UTC)
GRADES = "ARRAY['blue','green','green','amber','amber','red']"


async def fill(url: str) -> None:
    """AUDITS returned audits over five years, each with its scales, grades, and some moderations and actions."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO audits (form_id, case_id, practitioner_id, status, version, final_grade, "
                    "created_at, updated_at, submitted_at, due_on) "
                    "SELECT 'practice_learning_conversation', (SELECT min(id) FROM cases) + (n % 3000), "
                    "(SELECT min(id) FROM people) + (n % 200), 'submitted', 2, "
                    f"({GRADES})[1 + n % 6], ts - interval '20 days', ts, ts, (ts + interval '10 days')::date "
                    "FROM (SELECT n, TIMESTAMPTZ '2021-11-26' + (n * (interval '1826 days' / :count)) AS ts "
                    "FROM generate_series(1, :count) AS n) AS s"
                ),
                {"count": AUDITS},
            )
            areas = ", ".join(f"('{a}', {i})" for i, a in enumerate(AREAS))
            await connection.execute(
                text(
                    "INSERT INTO outcome_scores (audit_id, source, area, score) "
                    "SELECT a.id, s.source, x.area, 1 + (a.id * 7 + x.k * 3 + s.shift) % 10 FROM audits a "
                    f"CROSS JOIN (VALUES {areas}) AS x(area, k) "
                    "CROSS JOIN (VALUES ('practitioner', 0), ('child', 1)) AS s(source, shift)"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO grades (audit_id, source, section, grade, given_at) "
                    "SELECT id, s.source, 'overall', final_grade, submitted_at FROM audits "
                    "CROSS JOIN (VALUES ('practitioner'), ('manager')) AS s(source)"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO moderations (audit_id, moderator_id, stream, status, requested_at, completed_at, "
                    "original_grade, moderated_grade, created_at, updated_at) "
                    "SELECT id, (SELECT min(id) FROM people), 'head_of_service', 'completed', submitted_at, "
                    f"submitted_at + interval '9 days', final_grade, ({GRADES})[1 + id % 6], now(), now() "
                    "FROM audits WHERE id % 5 = 0"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO actions (audit_id, text, status, deadline, confirmed_at, created_at, updated_at) "
                    "SELECT id, 'Synthetic action', CASE WHEN id % 3 = 0 THEN 'open' ELSE 'done' END, "
                    "(submitted_at + interval '28 days')::date, "
                    "CASE WHEN id % 3 = 0 THEN NULL ELSE submitted_at + interval '25 days' END, now(), now() "
                    "FROM audits WHERE final_grade IN ('amber', 'red')"
                )
            )
            await connection.execute(text("ANALYZE"))
    finally:
        await engine.dispose()


async def report_timings(url: str) -> tuple[list[float], list[float], int]:
    engine = create_engine(url)
    sessions = session_factory(engine)
    period = periods.quarter(date(2026, 8, 1))
    counted, rendered = [], []
    returned = 0
    try:
        for _ in range(4):
            started = time.perf_counter()
            async with sessions() as session:
                report = await highlight_report(session, period, None, "the whole service", NOW, LONDON)
            middle = time.perf_counter()
            highlight_html(report)
            counted.append(middle - started)
            rendered.append(time.perf_counter() - middle)
            returned = report.figures.returned
    finally:
        await engine.dispose()
    return counted, rendered, returned


def chart_timings() -> tuple[float, float]:
    scales = OutcomeScales(
        dict(zip(AREAS, (7, 5, 8, 6, 4, 6), strict=True)), dict(zip(AREAS, (8, 4, 7, 7, 5, 6), strict=True)), 6, 5
    )
    earlier = OutcomeScales(dict(zip(AREAS, (5, 4, 6, 5, 3, 4), strict=True)))
    picture = OutcomesPicture("DEMO-900123", date(2026, 11, 20), scales, earlier, date(2026, 5, 12))
    started = time.perf_counter()
    outcomes_chart_png(picture)
    first = time.perf_counter() - started
    times = []
    for _ in range(30):
        started = time.perf_counter()
        outcomes_chart_png(picture)
        times.append(time.perf_counter() - started)
    return first, statistics.median(times)


async def main() -> int:
    first, steady = chart_timings()
    print(
        f"outcomes chart: first {first * 1000:.0f} ms (draws the template), then median {steady * 1000:.1f} ms "
        f"a chart [target <= 50 ms: {'ok' if steady <= 0.05 else 'MISSED'}]"
    )
    if SKIP_POSTGRES:
        print("!!! PLF_SKIP_POSTGRES=1: the highlight report benchmark runs on PostgreSQL only; SKIPPED")
        return 0
    with tempfile.TemporaryDirectory() as workdir:
        async with fresh_database("postgres", Path(workdir)) as url:
            env = plf_env(url)
            assert plf(["migrate"], env).returncode == 0
            assert plf(["demo"], env).returncode == 0
            started = time.perf_counter()
            await fill(url)
            print(
                f"filled {AUDITS:,} returned audits with scales, grades, moderations, actions in {time.perf_counter() - started:.1f} s"
            )
            counted, rendered, returned = await report_timings(url)
    total = [c + r for c, r in zip(counted, rendered, strict=True)]
    best = sorted(total)[len(total) // 2]
    print(
        f"highlight report, 2026 Q3 ({returned:,} returned in the quarter) over {AUDITS:,} audits: "
        f"first {total[0]:.3f} s, then median {best:.3f} s (counting {statistics.median(counted[1:]):.3f} s, "
        f"HTML with 3 charts {statistics.median(rendered[1:]):.3f} s) [target <= 2 s: {'ok' if max(total) <= 2 else 'MISSED'}]"
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
