"""Benchmark: import 100,000 synthetic cases on SQLite and on PostgreSQL.

Target (issue 2): <= 20 s each on a 2-core machine. Prints rows/s for both and their ratio.
Run with `make bench`; PostgreSQL from PLF_TEST_POSTGRES_URL (a throwaway database is made).
"""

from __future__ import annotations

import asyncio
import csv
import io
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from plf_core.clock import FixedClock
from plf_core.demo_borough import build_demo_borough
from plf_core.directory_columns import CASE_COLUMNS
from store.database import create_engine, session_factory
from store.demo import load_demo
from store.importer import ImportKind, import_csv
from store.migrate import upgrade
from tests.databases import SKIP_POSTGRES, fresh_database

NOW = datetime(2026, 11, 26, 10, tzinfo=UTC)

ROWS = 100_000
TARGET_S = 20.0


def synthetic_cases_csv(rows: int) -> bytes:
    borough = build_demo_borough(seed=42, cases=rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CASE_COLUMNS)
    for c in borough.cases:
        writer.writerow(
            [
                c.azeus_number,
                c.gender.value,
                c.age,
                c.cohort.value,
                c.team_code,
                c.allocated_worker_email or "",
                c.legal_status or "",
                "yes" if c.ehcp else "no",
            ]
        )
    return out.getvalue().encode()


async def measure(backend: str, data: bytes, workdir: Path) -> tuple[float, float]:
    async with fresh_database(backend, workdir) as url:
        engine = create_engine(url)
        try:
            await upgrade(engine)
            sessions = session_factory(engine)
            await load_demo(sessions, build_demo_borough(seed=42, cases=0), FixedClock(NOW))
            started = time.perf_counter()
            report = await import_csv(sessions, ImportKind.CASES, data, now=NOW)
            first = time.perf_counter() - started
            assert report.new == ROWS, report
            started = time.perf_counter()
            again = await import_csv(sessions, ImportKind.CASES, data, now=NOW)
            second = time.perf_counter() - started
            assert again.unchanged == ROWS, again
        finally:
            await engine.dispose()
    return first, second


async def main() -> int:
    data = synthetic_cases_csv(ROWS)
    print(f"import of {ROWS:,} synthetic cases ({len(data) / 1e6:.1f} MB of CSV); target <= {TARGET_S:g} s")
    backends = ["sqlite"] if SKIP_POSTGRES else ["sqlite", "postgres"]
    results: dict[str, float] = {}
    failed = False
    with tempfile.TemporaryDirectory() as workdir:
        for backend in backends:
            first, second = await measure(backend, data, Path(workdir))
            results[backend] = first
            verdict = "ok" if first <= TARGET_S else "OVER TARGET"
            failed |= first > TARGET_S
            print(
                f"  {backend:9} first import {first:6.2f} s = {ROWS / first:8,.0f} rows/s [{verdict}]; "
                f"re-import (no change) {second:6.2f} s = {ROWS / second:8,.0f} rows/s"
            )
    if len(results) == 2:
        print(f"  ratio postgres/sqlite time: {results['postgres'] / results['sqlite']:.2f}")
    else:
        print("  !!! PostgreSQL half SKIPPED (PLF_SKIP_POSTGRES=1)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
