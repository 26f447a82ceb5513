"""APScheduler wiring: thin jobs that ask plf_core what to do and store/ what is due.

Each instance has its own in-memory job store (never shared between instances, per
APScheduler's FAQ); the database is the source of truth for what is due.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler


def build_scheduler(zone: ZoneInfo) -> AsyncIOScheduler:
    return AsyncIOScheduler(timezone=zone, job_defaults={"coalesce": True, "max_instances": 1})


def add_dispatch_job(scheduler: AsyncIOScheduler, run_once: Callable[[], Awaitable[int]], seconds: float) -> None:
    """Deliver the outbox every few seconds (the database says what is due)."""
    scheduler.add_job(run_once, "interval", seconds=seconds, id="dispatch", replace_existing=True)


def add_monthly_moderation_job(scheduler: AsyncIOScheduler, run: Callable[[], Awaitable[object]]) -> None:
    """On the 1st of each month at 09:00 (local time), choose last month's moderations. Every
    instance runs it; the database keeps each request once (unique per audit and moderator)."""
    scheduler.add_job(run, "cron", day=1, hour=9, minute=0, id="monthly_moderation", replace_existing=True)


def add_sweep_job(scheduler: AsyncIOScheduler, run: Callable[[], Awaitable[object]], seconds: float) -> None:
    """Ask the database what the timetable says is due; write it to the outbox (each notice once)."""
    scheduler.add_job(run, "interval", seconds=seconds, id="sweep", replace_existing=True)


def add_concern_job(scheduler: AsyncIOScheduler, run: Callable[[], Awaitable[object]], seconds: float) -> None:
    """Climb the immediate concerns nobody has taken on in time: at least once a minute, whatever the sweep's pace."""
    scheduler.add_job(run, "interval", seconds=min(60.0, seconds), id="concerns", replace_existing=True)


def add_alive_job(scheduler: AsyncIOScheduler, run: Callable[[], Awaitable[object]], seconds: float) -> None:
    """Say every few seconds that this instance is alive: the instances alive share the limits."""
    scheduler.add_job(run, "interval", seconds=seconds, id="alive", replace_existing=True)
