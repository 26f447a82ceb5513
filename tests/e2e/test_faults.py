"""Faults the project keeps testing: the bot killed with SIGKILL in the middle of a burst of saves,
and the database gone for a few seconds under load. Every save the bot acknowledged is there
afterwards, none is half-written, and the bot recovers by itself."""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import pytest
from sqlalchemy import select

from store.database import create_engine
from store.models import Answer, Audit
from tests.databases import SKIP_POSTGRES
from tests.e2e.running_app import plf, plf_env, running_app, serving
from tests.e2e.teams import TeamsUser, card_texts
from tests.e2e.test_audit_workflow import BOROUGH, PEOPLE
from tests.instants import DEFAULT_NOW

SAVERS = 4
NO_CONNECTOR = "http://127.0.0.1:9/"  # card actions are answered in the HTTP response: nothing is sent there
HEADER = {"H_how": "self", "H_date": "2026-11-20"}


def assign_audits(database_url: str) -> list[tuple[int, TeamsUser]]:
    """An audit for each of the first SAVERS cases' workers (through `plf assign`), and the worker."""
    audits: list[tuple[int, TeamsUser]] = []
    cases = [c for c in BOROUGH.cases if c.allocated_worker_email][:SAVERS]
    for case in cases:
        worker = PEOPLE[case.allocated_worker_email or ""]
        result = plf(["assign", case.azeus_number, "to", worker.email], plf_env(database_url))
        assert result.returncode == 0, result.stdout + result.stderr
        audit_id = int(re.search(r"[Aa]udit (\d+)", result.stdout)[1])  # type: ignore[index]
        audits.append((audit_id, TeamsUser("", NO_CONNECTOR, worker.aad_object_id, worker.display_name)))
    return audits


async def save_until_stopped(user: TeamsUser, audit_id: int, acknowledged: dict[int, int]) -> None:
    """Save the header page again and again, each time with the next number; record each one acknowledged."""
    card = await user.execute("audit.open", {"audit": audit_id, "page": "header"})
    n = 0
    while True:
        n += 1
        card = await user.press(card, "Save", {**HEADER, "H_second": f"save-{n}"})
        assert any(t.startswith("Saved.") for t in card_texts(card)), card_texts(card)
        acknowledged[audit_id] = n


async def latest_saves(database_url: str, audit_ids: list[int]) -> dict[int, tuple[int, int, dict[str, Any]]]:
    """Per audit: its version, the version of its latest header row, and that row's values."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            found = {}
            for audit_id in audit_ids:
                version = (await connection.execute(select(Audit.version).where(Audit.id == audit_id))).scalar_one()
                rows = (
                    await connection.execute(
                        select(Answer.version, Answer.values)
                        .where(Answer.audit_id == audit_id, Answer.page_id == "header")
                        .order_by(Answer.version.desc())
                    )
                ).all()
                assert all({"H_how", "H_date", "H_second"} <= set(values) for _, values in rows)  # none half-written
                found[audit_id] = (version, rows[0][0], dict(rows[0][1]))
            return found
    finally:
        await engine.dispose()


async def test_sigkill_during_a_burst_of_saves_loses_no_acknowledged_save(database_url: str, tmp_path: Path) -> None:
    audits = assign_audits(database_url)
    acknowledged: dict[int, int] = {}
    # a durability test, not a flood test: each saver may save faster than one person's limit allows
    async with running_app(database_url, tmp_path, FLOOD_LIMIT="10000") as app:
        for _, user in audits:
            user.app_url = app.url
        savers = [asyncio.create_task(save_until_stopped(user, audit_id, acknowledged)) for audit_id, user in audits]
        async with asyncio.timeout(60):
            # every saver has had a save acknowledged (under load one can start late) and there were plenty
            while sum(acknowledged.values()) < 10 * SAVERS or len(acknowledged) < SAVERS:
                assert not any(task.done() for task in savers), [t.exception() for t in savers if t.done()]
                await asyncio.sleep(0.01)
        app.process.send_signal(signal.SIGKILL)
        app.process.wait()
        outcomes = await asyncio.gather(*savers, return_exceptions=True)
    assert all(isinstance(o, aiohttp.ClientError | AssertionError) for o in outcomes), outcomes
    saved = await latest_saves(database_url, [a for a, _ in audits])
    for audit_id, (version, row_version, values) in saved.items():
        n = int(values["H_second"].removeprefix("save-"))
        assert acknowledged[audit_id] <= n <= acknowledged[audit_id] + 1  # at most the one in flight besides
        assert version == row_version  # the audit's version is its latest answers'
    async with running_app(database_url, tmp_path) as again:  # and the bot serves them after a restart
        audit_id, user = audits[0]
        user.app_url = again.url
        reopened = await user.execute("audit.open", {"audit": audit_id, "page": "header"})
        assert f"save-{acknowledged[audit_id]}" in str(reopened) or f"save-{acknowledged[audit_id] + 1}" in str(
            reopened
        )


class CuttableProxy:
    """A TCP proxy on loopback in front of PostgreSQL that can cut every connection and refuse new
    ones for a while: the database gone from the bot's point of view, as in a restart or a network cut."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.open = True
        self.streams: set[asyncio.StreamWriter] = set()
        self.server: asyncio.Server | None = None
        self.port = 0

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.CancelledError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.open:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.close()
            return
        self.streams |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        self.streams -= {writer, up_writer}

    async def __aenter__(self) -> CuttableProxy:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        self.cut()

    def cut(self) -> None:
        self.open = False
        for stream in list(self.streams):
            stream.transport.abort()

    def restore(self) -> None:
        self.open = True


def through(url: str, port: int) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    user = f"{netloc[0]}@" if len(netloc) == 2 else ""
    return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{port}"))


@pytest.mark.skipif(SKIP_POSTGRES, reason="PLF_SKIP_POSTGRES=1")
@pytest.mark.parametrize("backend", ["postgres"])  # SQLite is a file in the process: it cannot go away like this
async def test_the_database_gone_for_seconds_under_load_gives_503_then_recovers_by_itself(database_url: str) -> None:
    postgres_demo = database_url
    audits = assign_audits(postgres_demo)
    upstream = urlsplit(postgres_demo)
    acknowledged: dict[int, int] = {}
    async with (
        CuttableProxy(upstream.hostname or "127.0.0.1", upstream.port or 5432) as proxy,
        serving(through(postgres_demo, proxy.port), DEFAULT_NOW) as app,
        aiohttp.ClientSession() as http,
    ):
        for _, user in audits:
            user.app_url = app.url
        savers = [asyncio.create_task(keep_saving(user, audit_id, acknowledged)) for audit_id, user in audits]
        async with asyncio.timeout(60):
            while sum(acknowledged.values()) < 5 * SAVERS:
                await asyncio.sleep(0.01)
        proxy.cut()
        async with asyncio.timeout(30):
            while (health := await status(http, app.url))[0] != 503:
                await asyncio.sleep(0.1)
        assert "unreachable" in health[1].get("cause", "")
        during = dict(acknowledged)
        await asyncio.sleep(3)  # the database stays away a few seconds while the savers keep trying
        proxy.restore()
        async with asyncio.timeout(60):
            while (await status(http, app.url))[0] != 200:
                await asyncio.sleep(0.1)
            while not all(acknowledged[a] > during.get(a, 0) + 2 for a, _ in audits):
                await asyncio.sleep(0.05)  # saving works again, by itself
        for task in savers:
            task.cancel()
        await asyncio.gather(*savers, return_exceptions=True)
        assert any("turn failed" in line or "card action failed" in line for line in app.log().splitlines())
    saved = await latest_saves(postgres_demo, [a for a, _ in audits])
    for audit_id, (version, row_version, values) in saved.items():
        assert int(values["H_second"].removeprefix("save-")) >= acknowledged[audit_id]
        assert version == row_version


async def keep_saving(user: TeamsUser, audit_id: int, acknowledged: dict[int, int]) -> None:
    """Save again and again; a save the bot could not make (its answer says so) is tried again with a fresh card."""
    card: dict[str, Any] | None = None
    n = acknowledged.get(audit_id, 0)
    while True:
        try:
            if card is None:
                card = await user.execute("audit.open", {"audit": audit_id, "page": "header"})
            answer = await user.press(card, "Save", {**HEADER, "H_second": f"save-{n + 1}"})
        except (AssertionError, aiohttp.ClientError):
            card = None
            await asyncio.sleep(0.05)
            continue
        if any(t.startswith("Saved.") for t in card_texts(answer)):
            n += 1
            acknowledged[audit_id] = n
            card = answer
        else:
            card = None
            await asyncio.sleep(0.05)


async def status(http: aiohttp.ClientSession, url: str) -> tuple[int, dict[str, Any]]:
    async with http.get(f"{url}/healthz") as response:
        return response.status, await response.json()
