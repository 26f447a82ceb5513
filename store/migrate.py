"""Applying Alembic migrations to the configured database (SQLite or PostgreSQL)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from plf_core.framework_config import Framework

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


async def current_revision(engine: AsyncEngine) -> str | None:
    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(read)


async def ensure_calendar(engine: AsyncEngine, framework: Framework, today: date) -> int:
    """The cycle calendar around `today` as the framework's configuration sets it (`plf migrate` and
    each timetable sweep); returns how many cycles were added."""
    from store.database import session_factory
    from store.timetable_store import ensure_cycles

    async with session_factory(engine)() as session, session.begin():
        return await ensure_cycles(session, framework.cycles_around(today))


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    await _run(engine, lambda config: command.upgrade(config, revision))


async def downgrade(engine: AsyncEngine, revision: str = "base") -> None:
    await _run(engine, lambda config: command.downgrade(config, revision))


async def _run(engine: AsyncEngine, step: object) -> None:
    def go(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        step(config)  # type: ignore[operator]

    async with engine.begin() as connection:
        await connection.run_sync(go)
