"""Shared fixtures: the instant a test runs at, and a database per backend (SQLite and PostgreSQL):
empty, migrated, or migrated with the demo borough, each a copy of a template made once per run."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from plf_core.clock import FixedClock
from store.database import create_engine
from tests.databases import POSTGRES_URL, SKIP_POSTGRES, drop_templates, fresh_database, migrated, template, with_demo
from tests.instants import DEFAULT_NOW, LONDON

BACKENDS = ["sqlite"] if SKIP_POSTGRES else ["sqlite", "postgres"]


def pytest_report_header() -> list[str]:
    if SKIP_POSTGRES:
        return ["!!! PLF_SKIP_POSTGRES=1: the PostgreSQL half of the tests is SKIPPED !!!"]
    return [f"PostgreSQL tests against {POSTGRES_URL}"]


def pytest_sessionfinish() -> None:
    drop_templates()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SKIP_POSTGRES:
        terminalreporter.write_sep("!", "PLF_SKIP_POSTGRES=1: the PostgreSQL half of the tests was SKIPPED", red=True)


@pytest.fixture
def now(request: pytest.FixtureRequest) -> datetime:
    """The instant a test runs at: DEFAULT_NOW, or each of INSTANTS with `@at_instants`."""
    return getattr(request, "param", DEFAULT_NOW)  # type: ignore[no-any-return]


@pytest.fixture
def clock(now: datetime) -> FixedClock:
    """A clock fixed at `now`, in the framework's zone (Europe/London)."""
    return FixedClock(now, LONDON)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def database_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database (not migrated)."""
    async with fresh_database(backend, tmp_path) as url:
        yield url


@pytest.fixture
async def migrated_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """A migrated, empty database."""
    async with fresh_database(backend, tmp_path, await template(backend, "migrated", migrated)) as url:
        yield url


@pytest.fixture
async def demo_url(backend: str, tmp_path: Path, now: datetime) -> AsyncIterator[str]:
    """A migrated database with the cycles around `now` (as `plf migrate`) holding the demo borough (`plf demo`)."""
    day = now.astimezone(LONDON).date().isoformat()
    async with fresh_database(backend, tmp_path, await template(backend, f"demo-{day}", with_demo(now))) as url:
        yield url


@pytest.fixture
async def engine(migrated_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty database."""
    engine = create_engine(migrated_url)
    yield engine
    await engine.dispose()
