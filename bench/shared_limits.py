"""Benchmark: three instances on one PostgreSQL share Teams' limit (issue 14, item 5).

3,000 notices to 80 people, delivered by three bot instances, each with the default
DISPATCH_RATE of 48 (alone, each would send up to 48 a second: 144 together), through a fake
Bot Connector that enforces Teams' limits (429 beyond 50 messages in any second for the app, or
7 for a conversation). Target: 0 answers of 429, >= 45 messages a second in all, each notice once.
BENCH_SHARED overrides the number of notices.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.databases import SKIP_POSTGRES, fresh_database
from tests.e2e.running_app import plf, plf_env, running_app
from tests.e2e.test_several_instances import delivered, fill_outbox
from tests.fakes.connector import TeamsLimits, running_connector

NOTICES = int(os.environ.get("BENCH_SHARED", "3000"))


async def main(workdir: Path) -> bool:
    async with fresh_database("postgres", workdir) as url, running_connector() as connector:
        env = plf_env(url)
        assert plf(["migrate"], env).returncode == 0
        assert plf(["demo"], env).returncode == 0
        await fill_outbox(url, connector, NOTICES)
        connector.throttle = limits = TeamsLimits()
        settings = {"DISPATCH_INTERVAL_SECONDS": "0.5", "LOG_LEVEL": "WARNING"}
        async with (
            running_app(url, workdir, **settings),
            running_app(url, workdir, **settings),
            running_app(url, workdir, **settings),
        ):
            deadline = time.monotonic() + NOTICES / 20 + 60
            while len(connector.received) < NOTICES and time.monotonic() < deadline:
                await asyncio.sleep(0.2)  # counting only: reading every card here would stall the connector
            await asyncio.sleep(3.0)  # a duplicate would show now
    arrivals = sorted(r.at for r in connector.received)
    elapsed = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else 0.0
    rate = (len(arrivals) - 1) / elapsed if elapsed else 0.0
    busiest = 0
    start = 0
    for end, t in enumerate(arrivals):  # the most arrivals in any one second (two pointers)
        while arrivals[start] <= t - 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    counts = delivered(connector)
    lost, duplicated = NOTICES - len(counts), sum(n - 1 for n in counts.values())
    ok = limits.refused == 0 and rate >= 45 and lost == 0 and duplicated == 0
    print(
        f"shared limits: {NOTICES:,} notices by 3 instances (DISPATCH_RATE 48 each) through a Teams-limited "
        f"connector: {rate:.1f} messages/s in all over {elapsed:.1f} s ({rate / 50:.2f} of Teams' 50/s); "
        f"busiest second {busiest}; 429 answers {limits.refused} {dict(limits.why)}; lost {lost}, duplicated "
        f"{duplicated}  [{'ok' if ok else 'MISSED'}: 0 x 429, >= 45/s]"
    )
    return ok


if __name__ == "__main__":
    if SKIP_POSTGRES:
        print("shared limits: skipped (PLF_SKIP_POSTGRES=1): several instances need PostgreSQL")
        sys.exit(0)
    with tempfile.TemporaryDirectory() as tmp:
        sys.exit(0 if asyncio.run(main(Path(tmp))) else 1)
