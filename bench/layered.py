"""Benchmark: the layered audit at scale (issue 5).

- a stratified draw over 100,000 cases: the engine alone, and as `sample` runs it on PostgreSQL
  (the population read from the database, then the draw);
- the moderation statistics over 50,000 moderated audits: overall, and broken down by service
  area, cohort, team and auditor; from memory, and as `agreement` runs it on PostgreSQL.
Targets: <= 1 s each. Prints the figures; the median of several runs where a run is short.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from plf_core.clock import FixedClock
from plf_core.demo_borough import build_demo_borough
from plf_core.moderation import DIMENSIONS, GRADES, Moderated, agreement, agreement_by
from plf_core.sampling import CaseFacts, Criteria, Method, draw
from tests.databases import SKIP_POSTGRES, fresh_database

CASES = 100_000
MODERATED = 50_000
TARGET_S = 1.0
TODAY = date(2026, 11, 26)
CLOCK = FixedClock(datetime(2026, 11, 26, 10, tzinfo=UTC))


def timed(work: Callable[[], Any], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def verdict(seconds: float) -> str:
    return "ok" if seconds <= TARGET_S else "OVER TARGET"


def population(borough: Any) -> list[CaseFacts]:
    teams = {t.code: t for t in borough.teams}
    people = {p.email: n for n, p in enumerate(borough.people, 1)}
    return [
        CaseFacts(
            n,
            c.azeus_number,
            c.team_code,
            teams[c.team_code].service_area_code,
            c.cohort.value,
            c.age,
            c.legal_status,
            c.ehcp,
            people.get(c.allocated_worker_email or ""),
            people.get(teams[c.team_code].practice_lead_email or ""),
        )
        for n, c in enumerate(borough.cases, 1)
    ]


def moderated_rows(count: int) -> list[Moderated]:
    """Synthetic moderations: the moderator agrees 70% of the time, otherwise moves one grade."""
    rng = random.Random(5)
    rows = []
    for n in range(count):
        first = rng.choices(GRADES, weights=[8, 30, 52, 10])[0]
        index = GRADES.index(first)
        if rng.random() < 0.3:
            index = min(3, max(0, index + rng.choice((-1, 1))))
        rows.append(
            Moderated(first, GRADES[index], f"Area {n % 4}", f"cohort {n % 6}", f"T{n % 16:02d}", f"auditor {n % 150}")
        )
    return rows


def in_memory() -> None:
    borough = build_demo_borough(seed=42, cases=CASES)
    cases = population(borough)
    by_team = timed(lambda: draw(cases, Criteria(), Method.BY_TEAM, 1_000, 7, TODAY))
    filtered = timed(
        lambda: draw(cases, Criteria(cohorts=frozenset({"cp", "cla"}), max_age=12), Method.BY_COHORT, 500, 7, TODAY)
    )
    quota = timed(lambda: draw(cases, Criteria(), Method.QUOTA, 3, 7, TODAY))
    print(f"sampling over {CASES:,} cases (engine only, median of 5):")
    print(f"  stratified by team, 1,000 cases     {by_team * 1000:7.1f} ms [{verdict(by_team)}]")
    print(f"  by cohort with criteria, 500 cases   {filtered * 1000:7.1f} ms [{verdict(filtered)}]")
    print(f"  quota, 3 per Practice Lead           {quota * 1000:7.1f} ms [{verdict(quota)}]")

    rows = moderated_rows(MODERATED)
    pairs = [(r.auditor_grade, r.moderator_grade) for r in rows]
    overall = timed(lambda: agreement(pairs))
    print(f"statistics over {MODERATED:,} moderated audits (median of 5):")
    print(f"  overall (kappa, AC2, CIs, grid)      {overall * 1000:7.1f} ms [{verdict(overall)}]")
    total = overall
    for dimension in DIMENSIONS:
        groups = len({DIMENSIONS[dimension](r) for r in rows})
        seconds = timed(lambda d=dimension: agreement_by(rows, d))  # type: ignore[misc]
        total += seconds
        print(f"  by {dimension:<12} ({groups:3} groups)       {seconds * 1000:7.1f} ms [{verdict(seconds)}]")
    print(f"  all five together                    {total * 1000:7.1f} ms [{verdict(total)}]")
    result = agreement(pairs)
    assert result.kappa is not None
    print(f"  (figures: exact {result.exact_pct:.1f}%, kappa {result.kappa.value:.3f})")


async def on_postgres(workdir: Path) -> None:
    from sqlalchemy import insert, select

    from store.database import create_engine, session_factory
    from store.demo import load_demo
    from store.migrate import upgrade
    from store.models import Audit, Case, Moderation, Person
    from store.moderations import SqlModerations
    from store.sampling import SqlSampling

    async with fresh_database("postgres", workdir) as url:
        engine = create_engine(url)
        try:
            await upgrade(engine)
            sessions = session_factory(engine)
            print(f"on PostgreSQL (loading {CASES:,} cases and {MODERATED:,} moderated audits first) ...", flush=True)
            await load_demo(sessions, build_demo_borough(seed=42, cases=CASES), CLOCK)
            async with sessions() as session, session.begin():
                case_ids = list((await session.execute(select(Case.id).order_by(Case.id).limit(MODERATED))).scalars())
                person_ids = list((await session.execute(select(Person.id))).scalars())
                rows = moderated_rows(MODERATED)
                at = datetime(2026, 11, 10, tzinfo=UTC)
                audits = [
                    {
                        "form_id": "practice_learning_conversation",
                        "case_id": case_id,
                        "practitioner_id": person_ids[n % len(person_ids)],
                        "status": "completed",
                        "version": 1,
                        "final_grade": rows[n].moderator_grade.value,
                        "submitted_at": at,
                        "created_at": at,
                        "updated_at": at,
                    }
                    for n, case_id in enumerate(case_ids)
                ]
                audit_ids = list((await session.execute(insert(Audit).returning(Audit.id), audits)).scalars())
                await session.execute(
                    insert(Moderation),
                    [
                        {
                            "audit_id": audit_id,
                            "moderator_id": person_ids[(n + 7) % len(person_ids)],
                            "stream": "practice_learning_reviewer",
                            "status": "completed",
                            "requested_at": at,
                            "completed_at": at,
                            "original_grade": rows[n].auditor_grade.value,
                            "moderated_grade": rows[n].moderator_grade.value,
                            "created_at": at,
                            "updated_at": at,
                        }
                        for n, audit_id in enumerate(audit_ids)
                    ],
                )

            async def sample_run() -> None:
                async with sessions() as session, session.begin():
                    people = await SqlSampling(session, CLOCK).population(TODAY)
                    draw(people, Criteria(), Method.BY_TEAM, 1_000, 7, TODAY)

            async def agreement_run() -> None:
                async with sessions() as session, session.begin():
                    found = await SqlModerations(session, CLOCK).moderated(date(2026, 11, 1), date(2026, 12, 1))
                    assert len(found) == MODERATED
                    agreement([(r.auditor_grade, r.moderator_grade) for r in found])
                    agreement_by(found, "team")

            for name, work in (
                ("sample: population + stratified draw", sample_run),
                ("agreement by team", agreement_run),
            ):
                times = []
                for _ in range(3):
                    started = time.perf_counter()
                    await work()
                    times.append(time.perf_counter() - started)
                seconds = statistics.median(times)
                print(f"  {name:<38} {seconds * 1000:7.1f} ms [{verdict(seconds)}] (median of 3)")
        finally:
            await engine.dispose()


async def main() -> int:
    in_memory()
    if SKIP_POSTGRES:
        print("  !!! PostgreSQL half SKIPPED (PLF_SKIP_POSTGRES=1)")
        return 0
    with tempfile.TemporaryDirectory() as workdir:
        await on_postgres(Path(workdir))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
