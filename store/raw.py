"""A card save's two statements straight on asyncpg (issue 19): the read of the audit and the batched write.

SQLAlchemy's execution path (a greenlet per call, an execution context, its caches) cost a card save
more CPU than the statements themselves. These two statements are prebuilt Core statements; each is
compiled once for the dialect, remembering the order of its parameters and SQLAlchemy's own bind
and result processors, and then run on the pooled connection's asyncpg driver with the values those
processors make: what SQLAlchemy would have sent and read back, without the machinery around it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.util import greenlet_spawn

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class Compiled:
    sql: str
    names: tuple[str, ...]  # the positional parameters, in order
    defaults: Mapping[str, Any]  # the statement's own values (a literal, an increment)
    binds: tuple[Processor, ...]
    results: Mapping[str, Callable[[Any], Any]]  # column -> SQLAlchemy's result processor, where it has one


_COMPILED: dict[int, tuple[Executable, Compiled]] = {}


def compiled(statement: Executable, dialect: Dialect) -> Compiled:
    kept = _COMPILED.get(id(statement))
    if kept is not None and kept[0] is statement:
        return kept[1]
    made = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
    if not isinstance(made, SQLCompiler) or made.positiontup is None:
        raise TypeError("store.raw runs prebuilt statements with positional parameters (PostgreSQL)")
    names = tuple(made.positiontup)
    binds = tuple(made.binds[n].type._cached_bind_processor(dialect) for n in names)
    results = {
        column[0]: processor
        for column in made._result_columns
        if (processor := column[3]._cached_result_processor(dialect, None)) is not None
    }
    found = Compiled(made.string, names, dict(made.params), binds, results)
    _COMPILED[id(statement)] = (statement, found)
    return found


class RawConnection:
    """One pooled connection, checked out for a unit of work and returned at its end."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.dialect = engine.dialect
        self._pooled: PoolProxiedConnection | None = None

    async def _driver(self) -> Any:
        if self._pooled is None:
            self._pooled = await self.engine.raw_connection()
        return self._pooled.driver_connection

    def _args(self, found: Compiled, params: Mapping[str, Any]) -> list[Any]:
        values = (params[n] if n in params else found.defaults.get(n) for n in found.names)
        return [p(v) if p is not None else v for p, v in zip(found.binds, values, strict=True)]

    async def fetchrow(self, statement: Executable, params: Mapping[str, Any]) -> dict[str, Any] | None:
        found = compiled(statement, self.dialect)
        row = await (await self._driver()).fetchrow(found.sql, *self._args(found, params))
        if row is None:
            return None
        made = dict(row.items())
        for column, processor in found.results.items():
            if column in made and processor is not None:
                made[column] = processor(made[column])
        return made

    async def fetchval(self, statement: Executable, params: Mapping[str, Any]) -> Any:
        found = compiled(statement, self.dialect)
        return await (await self._driver()).fetchval(found.sql, *self._args(found, params))

    async def close(self) -> None:
        """Back to the pool (its reset on return is SQLAlchemy's, hence the greenlet)."""
        if self._pooled is not None:
            pooled, self._pooled = self._pooled, None
            await greenlet_spawn(pooled.close)
