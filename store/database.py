"""Engines and sessions for SQLite (embedded default) and PostgreSQL (shared production)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


class DatabaseUnavailable(Exception):
    """The database could not be reached; the message masks any password."""


def normalise_url(raw: str | URL) -> URL:
    """Accept the usual spellings and pick our async driver; refuse anything else."""
    url = make_url(raw)
    driver = DRIVERS.get(url.drivername)
    if driver is None:
        raise ValueError(f"unsupported database '{url.drivername}'; use sqlite:///path or postgresql://...")
    return url.set(drivername=driver)


def masked(url: URL | str) -> str:
    return (make_url(url) if isinstance(url, str) else url).render_as_string(hide_password=True)


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def create_engine(url: URL | str, **kwargs: Any) -> AsyncEngine:
    """An async engine; on SQLite with foreign keys on and WAL, on PostgreSQL a pool."""
    url = normalise_url(url)
    if is_sqlite(url):
        database = url.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, poolclass=NullPool, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_async_engine(
        url,
        pool_size=10,
        max_overflow=10,
        # No ping before every checkout (a round trip on every card action): a connection that a
        # database restart broke fails once, SQLAlchemy then discards the whole pool, and the
        # person gets the "try again" card; connections are also renewed every 30 minutes.
        pool_recycle=1800,
        connect_args={"timeout": 10},
        **kwargs,
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[Any]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def ping(engine: AsyncEngine, limit_s: float = 3.0) -> None:
    """One database round trip, or DatabaseUnavailable naming the masked URL and the reason."""
    try:
        async with asyncio.timeout(limit_s):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except TimeoutError:
        raise DatabaseUnavailable(f"database {masked(engine.url)} did not answer within {limit_s:g} s") from None
    except Exception as exc:  # any driver error: name it, never the password
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DatabaseUnavailable(
            f"database {masked(engine.url)} is unreachable: {type(exc).__name__}: {reason}"
        ) from None
