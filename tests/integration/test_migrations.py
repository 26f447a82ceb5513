"""Migrations go up and down cleanly on SQLite and PostgreSQL; the access log is append-only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from store.database import create_engine, session_factory
from store.migrate import current_revision, downgrade, head_revision, upgrade
from store.models import AccessLogEntry, Base, Cycle

TABLES = set(Base.metadata.tables)


async def table_names(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))


async def test_migrations_go_up_down_and_up_again(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        assert await current_revision(engine) is None
        await upgrade(engine)
        assert await current_revision(engine) == head_revision()
        assert await table_names(engine) >= TABLES
        await downgrade(engine, "base")
        assert await current_revision(engine) is None
        assert await table_names(engine) <= {"alembic_version"}
        await upgrade(engine)
        assert await table_names(engine) >= TABLES
    finally:
        await engine.dispose()


async def test_the_migrated_schema_matches_the_models(engine: AsyncEngine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    def diff(connection: object) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})  # type: ignore[arg-type]
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as connection:
        assert await connection.run_sync(diff) == []


async def test_timestamps_are_stored_as_utc_and_come_back_aware(engine: AsyncEngine) -> None:
    london_summer = datetime(2026, 7, 1, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        session.add(
            Cycle(
                code="2026-Q3",
                starts_on=london_summer.date(),
                due_on=london_summer.date(),
                created_at=london_summer,
                updated_at=london_summer,
            )
        )
    async with sessions() as session:
        stored = (await session.execute(select(Cycle))).scalar_one()
    assert stored.created_at == datetime(2026, 7, 1, 9, 30, tzinfo=UTC)
    assert stored.created_at.tzinfo is not None


async def test_a_naive_datetime_is_refused(engine: AsyncEngine) -> None:
    async with session_factory(engine)() as session:
        session.add(AccessLogEntry(action="read", object_type="audit", at=datetime(2026, 1, 1)))  # noqa: DTZ001
        with pytest.raises(Exception, match="naive datetime"):
            await session.commit()


async def test_the_access_log_refuses_updates_and_deletes(engine: AsyncEngine) -> None:
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        session.add(AccessLogEntry(action="read", object_type="audit", object_id="1"))
    for statement in ("UPDATE access_log SET action = 'write'", "DELETE FROM access_log"):
        async with engine.connect() as connection:
            with pytest.raises(DBAPIError, match="append-only"):
                await connection.execute(text(statement))
    async with sessions() as session:
        rows = (await session.execute(select(AccessLogEntry.action))).scalars().all()
    assert rows == ["read"]


def test_plf_migrate_goes_down_to_a_revision_and_up_again_from_the_terminal(database_url: str) -> None:
    from tests.e2e.running_app import plf, plf_env

    env = plf_env(database_url)
    assert plf(["migrate"], env).returncode == 0
    assert plf(["demo", "--history"], env).returncode == 0  # with data in the tables the downgrade touches
    down = plf(["migrate", "--down", "0004"], env)
    assert down.returncode == 0, down.stderr
    assert f"schema {head_revision()} -> 0004" in down.stdout
    up = plf(["migrate"], env)
    assert up.returncode == 0, up.stderr
    assert f"schema 0004 -> {head_revision()}" in up.stdout
