"""Throwaway test databases: an SQLite file, or a fresh PostgreSQL database per test.

Migrating (and loading the demo borough) once per run and copying the result is what keeps the
suite fast: a migrated template, and a demo template per day the demo's cycles are built around,
are made the first time a test asks; each test then gets its own copy (a copied SQLite file, or
PostgreSQL's `CREATE DATABASE ... TEMPLATE`), so tests never share a database.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy.engine import make_url

LONDON = ZoneInfo("Europe/London")
POSTGRES_URL = os.environ.get("PLF_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
SKIP_POSTGRES = os.environ.get("PLF_SKIP_POSTGRES") == "1"
PREFIX = "plf_test_"
DEMO_SEED = 1  # plf demo's default (--seed 1)

#: (backend, what) -> an SQLite file or a PostgreSQL database name, made once per run
_templates: dict[tuple[str, str], str] = {}
_template_dir: Path | None = None


async def _admin() -> asyncpg.Connection:
    url = make_url(POSTGRES_URL)
    return await asyncpg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        database=url.database,
        timeout=5,
    )


def _postgres_url(name: str) -> str:
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


async def drop_postgres_database(name: str) -> None:
    admin = await _admin()
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@asynccontextmanager
async def fresh_database(backend: str, tmp_path: Path, template: str | None = None) -> AsyncIterator[str]:
    """The URL of a database of the given backend (empty, or a copy of `template`), removed afterwards."""
    if backend == "sqlite":
        path = tmp_path / f"plf-test-{uuid.uuid4().hex[:6]}.db"
        if template is not None:
            shutil.copyfile(template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    name = f"{PREFIX}{uuid.uuid4().hex[:12]}"
    admin = await _admin()
    try:
        await admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    finally:
        await admin.close()
    try:
        yield _postgres_url(name)
    finally:
        await drop_postgres_database(name)


async def template(backend: str, what: str, build: Callable[[str], Awaitable[None]]) -> str:
    """A template database made once per run by `build(url)`: an SQLite file path or a PostgreSQL name."""
    global _template_dir
    key = (backend, what)
    if key in _templates:
        return _templates[key]
    if backend == "sqlite":
        if _template_dir is None:
            _template_dir = Path(tempfile.mkdtemp(prefix="plf-templates-"))
        path = _template_dir / f"{what}.db"
        await build(f"sqlite+aiosqlite:///{path}")
        await _checkpoint(f"sqlite+aiosqlite:///{path}")
        _templates[key] = str(path)
    else:
        name = f"{PREFIX}template_{uuid.uuid4().hex[:8]}"
        admin = await _admin()
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        await build(_postgres_url(name))
        _templates[key] = name
    return _templates[key]


async def _checkpoint(url: str) -> None:
    """Everything of an SQLite template in its main file (WAL mode), so copying the file copies it all."""
    path = make_url(url).database
    assert path is not None
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


async def migrated(url: str) -> None:
    from store.database import create_engine
    from store.migrate import upgrade

    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def with_demo(now: datetime) -> Callable[[str], Awaitable[None]]:
    """Migrated with the cycles around `now` (as `plf migrate` makes them), and the synthetic demo borough
    (as `plf demo` loads it)."""

    async def build(url: str) -> None:
        from plf_core.clock import FixedClock
        from plf_core.demo_borough import build_demo_borough
        from plf_core.framework_config import Framework
        from store.database import create_engine, session_factory
        from store.demo import load_demo
        from store.migrate import ensure_calendar

        await migrated(url)
        engine = create_engine(url)
        try:
            await ensure_calendar(engine, Framework(), now.date())  # as `plf migrate` does
            await load_demo(session_factory(engine), build_demo_borough(seed=DEMO_SEED), FixedClock(now))
        finally:
            await engine.dispose()

    return build


def with_history(now: datetime) -> Callable[[str], Awaitable[None]]:
    """The demo borough and a synthetic year of returned audits (as `plf demo --history`)."""

    async def build(url: str) -> None:
        from store.database import create_engine, session_factory
        from store.demo import load_history

        await with_demo(now)(url)
        engine = create_engine(url)
        try:
            await load_history(session_factory(engine), now.astimezone(LONDON).date(), DEMO_SEED)
        finally:
            await engine.dispose()

    return build


def drop_templates() -> None:
    """At the end of the run: the PostgreSQL templates go (SQLite's are files in a temporary folder)."""
    names = [name for (backend, _), name in _templates.items() if backend == "postgres"]
    _templates.clear()
    if names:

        async def drop() -> None:
            for name in names:
                await drop_postgres_database(name)

        asyncio.run(drop())
    if _template_dir is not None:
        shutil.rmtree(_template_dir, ignore_errors=True)
