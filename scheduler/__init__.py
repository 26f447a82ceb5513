"""APScheduler wiring: thin jobs that ask plf_core what to do and store/ what is due.

Each instance has its own in-memory job store (never shared between instances, per
APScheduler's FAQ); the database is the source of truth for what is due.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler


def build_scheduler(zone: ZoneInfo) -> AsyncIOScheduler:
    return AsyncIOScheduler(timezone=zone, job_defaults={"coalesce": True, "max_instances": 1})
