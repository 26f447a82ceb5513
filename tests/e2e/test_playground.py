"""The Microsoft 365 Agents Playground itself, scripted through its local endpoints.

It runs offline as the Teams-like client: a message goes to the bot, the bot's card comes
back on the Playground's stream, an Action.Execute goes through the Playground's invoke
endpoint, and the answer is stored in the database.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import text

from plf_core.demo_borough import build_demo_borough
from store.database import create_engine
from tests.e2e.running_app import ROOT, free_port, plf, plf_env, running_app, stop
from tests.e2e.teams import card_texts, find_action

PLAYGROUND = ROOT / "node_modules" / ".bin" / "agentsplayground"


class Playground:
    def __init__(self, url: str) -> None:
        self.url = url
        self.config: dict[str, Any] = {}

    async def start(self, http: aiohttp.ClientSession) -> None:
        for _ in range(200):
            try:
                async with http.get(f"{self.url}/_internal/v1/config") as response:
                    if response.status == 200:
                        self.config = (await response.json())["config"]
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
        raise RuntimeError("the Playground did not start")

    async def say(self, http: aiohttp.ClientSession, words: str) -> None:
        chat = self.config["personalChat"]["id"]
        body = {"type": "text", "text": words, "textFormat": "plain", "from": {"id": self.config["currentUser"]["id"]}}
        async with http.post(f"{self.url}/_conversation/v1/conversations/{chat}/messages", json=body) as response:
            assert response.status == 200, await response.text()

    async def invoke(
        self, http: aiohttp.ClientSession, reply_to: str, action: dict[str, Any], inputs: dict[str, Any]
    ) -> dict[str, Any]:
        body = {
            "name": "adaptiveCard/action",
            "from": {"id": self.config["currentUser"]["id"]},
            "conversation": {"id": self.config["personalChat"]["id"]},
            "replyToId": reply_to,
            "value": {
                "action": {"type": "Action.Execute", "verb": action["verb"], "data": {**action["data"], **inputs}},
                "trigger": "manual",
            },
        }
        async with http.post(f"{self.url}/_conversation/v1/invoke", json=body) as response:
            assert response.status == 200, await response.text()
            answer = await response.json()
        assert answer["type"] == "application/vnd.microsoft.card.adaptive", answer
        return answer["value"]  # type: ignore[no-any-return]


@pytest.fixture
async def playground(tmp_path: Path) -> AsyncIterator[tuple[Playground, str]]:
    assert PLAYGROUND.exists(), "the Agents Playground is not installed: run `npm ci` (make test does)"
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'playground.db'}"
    env = plf_env(database_url)
    assert plf(["migrate"], env).returncode == 0
    assert plf(["demo"], env).returncode == 0
    case = build_demo_borough().cases[0]
    assigned = plf(["assign", case.azeus_number, "to", case.allocated_worker_email or ""], env)
    assert assigned.returncode == 0, assigned.stderr
    home = tmp_path / "playground"
    configured = plf(
        [
            "playground-config",
            "--as",
            case.allocated_worker_email or "",
            "--out",
            str(home / ".m365agentsplayground.yml"),
        ],
        env,
    )
    assert configured.returncode == 0, configured.stderr
    async with running_app(database_url, tmp_path, DISPATCH_INTERVAL_SECONDS="1") as app:
        port = free_port()
        process = subprocess.Popen(
            [str(PLAYGROUND), "-e", f"{app.url}/api/messages", "-c", "msteams", "-p", str(port), "--disable-telemetry"],
            cwd=home,
            env={**os.environ, "TEAMSAPPTESTER_BROWSER": "none"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            yield Playground(f"http://127.0.0.1:{port}"), database_url
        finally:
            stop(process)


async def test_message_card_action_execute_and_a_stored_answer_through_the_playground(
    playground: tuple[Playground, str],
) -> None:
    pg, database_url = playground
    async with aiohttp.ClientSession() as http:
        await pg.start(http)
        async with http.ws_connect(f"{pg.url}/_ws_conversation/v1/conversations/stream") as stream:
            await pg.say(http, "my audits")
            message: dict[str, Any] = {}
            async with asyncio.timeout(20):
                async for event in stream:
                    data = json.loads(event.data)
                    found = data.get("message", {})
                    attachments = found.get("attachments") if data.get("action") == "createMessage" else None
                    if attachments and "Your open audits" in card_texts(attachments[0]["content"]):
                        message = found
                        break
        card = message["attachments"][0]["content"]
        page = await pg.invoke(http, message["messageId"], find_action(card, "Continue"), {})
        assert "About this audit · page 1 of 14" in card_texts(page)
        saved = await pg.invoke(
            http, message["messageId"], find_action(page, "Save"), {"H_how": "self", "H_date": "2026-11-19"}
        )
        assert any(t.startswith("Saved.") for t in card_texts(saved))

    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            stored = (await connection.execute(text('SELECT page_id, "values" FROM answers'))).all()
    finally:
        await engine.dispose()
    assert len(stored) == 1
    page_id, values = stored[0]
    assert page_id == "header"
    assert (json.loads(values) if isinstance(values, str) else values) == {"H_how": "self", "H_date": "2026-11-19"}
