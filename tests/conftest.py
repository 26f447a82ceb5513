"""Shared fixtures: a database per backend (SQLite and PostgreSQL) and a migrated engine."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from store.database import create_engine
from store.migrate import upgrade
from tests.databases import POSTGRES_URL, SKIP_POSTGRES, fresh_database

BACKENDS = ["sqlite"] if SKIP_POSTGRES else ["sqlite", "postgres"]


def pytest_report_header() -> list[str]:
    if SKIP_POSTGRES:
        return ["!!! PLF_SKIP_POSTGRES=1: the PostgreSQL half of the tests is SKIPPED !!!"]
    return [f"PostgreSQL tests against {POSTGRES_URL}"]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SKIP_POSTGRES:
        terminalreporter.write_sep("!", "PLF_SKIP_POSTGRES=1: the PostgreSQL half of the tests was SKIPPED", red=True)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def database_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    async with fresh_database(backend, tmp_path) as url:
        yield url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty database."""
    engine = create_engine(database_url)
    await upgrade(engine)
    yield engine
    await engine.dispose()
