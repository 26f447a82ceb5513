"""Writes held back until a unit of work ends, then made at once (issue 19).

A card save reads the audit in one statement and writes in one: on PostgreSQL the version-checked
UPDATE of the audit and every INSERT the turn made (its answers, its access-log line, a notice for
the next contributor) go as one statement of data-modifying CTEs, each INSERT reading from the
UPDATE's RETURNING, so either all of it is written or, when someone else's save moved the version
on, none of it. One statement is atomic by itself, so the batched unit of work needs no BEGIN and
no COMMIT: two round trips in all. On SQLite the same writes run one after another in the unit of
work's transaction (a file needs no round trips).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Executable, Table, bindparam, func, literal, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from store import queries
from store.raw import RawConnection

#: (guarded?, ((table, columns, unless-this-key-exists), ...)) -> the one statement for that shape
_Shape = tuple[bool, tuple[tuple[str, tuple[str, ...], str | None], ...]]
_STATEMENTS: dict[_Shape, Executable] = {}


@dataclass
class WriteBatch:
    guarded: dict[str, Any] | None = None  # queries.SAVE_VERSION's parameters: the version check
    rows: list[tuple[Table, dict[str, Any], str | None]] = field(default_factory=list)

    def guard(self, params: dict[str, Any]) -> None:
        """The audit's version-checked save (queries.SAVE_VERSION): every row waits on it."""
        if self.guarded is not None:
            raise RuntimeError("a batched unit of work saves one page")
        self.guarded = params

    def insert(self, table: Table, row: dict[str, Any], unless_exists: str | None = None) -> None:
        """A row to insert; with `unless_exists`, none when a row with that unique key is already there."""
        self.rows.append((table, row, unless_exists))

    async def write(self, raw: RawConnection) -> bool:
        """Everything at once, on PostgreSQL straight on the driver (store.raw); False (and nothing
        written) when the guard's version had moved on."""
        if self.guarded is None and not self.rows:
            return True
        statement, params = self._one_statement()
        saved = await raw.fetchval(statement, params)
        return self.guarded is None or saved == 1

    def _one_statement(self) -> tuple[Executable, dict[str, Any]]:
        shape: _Shape = (
            self.guarded is not None,
            tuple((table.name, tuple(row), key) for table, row, key in self.rows),
        )
        statement = _STATEMENTS.get(shape)
        if statement is None:
            statement = _STATEMENTS[shape] = _statement([(t, tuple(r), k) for t, r, k in self.rows], shape[0])
        params = dict(self.guarded or {})
        for n, (_, row, _) in enumerate(self.rows):
            params.update({f"r{n}_{column}": value for column, value in row.items()})
        return statement, params

    async def write_in_turn(self, connection: AsyncConnection) -> bool:
        """As `write`, on SQLite: one statement after another in the unit of work's transaction."""
        if self.guarded is not None and (await connection.execute(queries.SAVE_VERSION, self.guarded)).rowcount != 1:
            return False
        for table, row, key in self.rows:
            statement = sqlite_insert(table)
            await connection.execute(statement.on_conflict_do_nothing(index_elements=[key]) if key else statement, row)
        return True


def _statement(rows: list[tuple[Table, tuple[str, ...], str | None]], guarded: bool) -> Executable:
    """WITH saved AS (UPDATE audits ... RETURNING id), w0 AS (INSERT ... SELECT ... FROM saved), ...
    SELECT count(*) FROM saved: the inserts happen only if the update did."""
    saved = queries.SAVE_VERSION.returning(queries.A.id).cte("saved") if guarded else None
    writes = []
    for n, (table, columns, key) in enumerate(rows):
        values = select(*(bindparam(f"r{n}_{c}", type_=table.c[c].type).label(c) for c in columns))
        if saved is not None:
            values = values.select_from(saved)
        insert = postgresql_insert(table).from_select(list(columns), values)
        if key:
            insert = insert.on_conflict_do_nothing(index_elements=[key])
        writes.append(insert.cte(f"w{n}"))
    outcome = select(func.count()).select_from(saved) if saved is not None else select(literal(1))
    return outcome.add_cte(*writes)
