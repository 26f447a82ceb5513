"""A Teams-like client for e2e tests: sends activities to the running bot as one person.

Replies to messages arrive at the fake connector; an Action.Execute invoke is answered in
the HTTP response with the refreshed card, exactly as Teams receives it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from tests.card_tree import inputs, texts, walk

TENANT = "00000000-0000-0000-0000-0000000000aa"
_ids = itertools.count(1)


@dataclass
class TeamsUser:
    app_url: str
    connector_url: str
    aad_object_id: str
    name: str = "Demo User"
    user_id: str = field(default="")
    conversation_id: str = field(default="")

    def __post_init__(self) -> None:
        self.user_id = self.user_id or f"29:user-{self.aad_object_id[:8]}"
        self.conversation_id = self.conversation_id or f"a:chat-{self.aad_object_id[:8]}"

    def activity(self, kind: str, **more: Any) -> dict[str, Any]:
        return {
            "type": kind,
            "id": f"act-{next(_ids)}",
            "channelId": "msteams",
            "serviceUrl": self.connector_url,
            "from": {"id": self.user_id, "name": self.name, "aadObjectId": self.aad_object_id},
            "recipient": {"id": "28:plf-bot", "name": "PLF"},
            "conversation": {"id": self.conversation_id, "conversationType": "personal", "tenantId": TENANT},
            "channelData": {"tenant": {"id": TENANT}},
            **more,
        }

    async def post(self, body: dict[str, Any]) -> tuple[int, Any]:
        async with aiohttp.ClientSession() as http, http.post(f"{self.app_url}/api/messages", json=body) as response:
            text = await response.text()
            return response.status, (await response.json() if text else None)

    async def install(self) -> int:
        status, _ = await self.post(self.activity("installationUpdate", action="add"))
        return status

    async def uninstall(self) -> int:
        status, _ = await self.post(self.activity("installationUpdate", action="remove"))
        return status

    async def say(self, text: str) -> int:
        status, _ = await self.post(self.activity("message", text=text))
        return status

    async def execute(self, verb: str, data: dict[str, Any], inputs: dict[str, Any] | None = None) -> dict[str, Any]:
        """Press an Action.Execute button: returns the card the bot answers with."""
        payload = {**data, **(inputs or {})}
        body = self.activity(
            "invoke",
            name="adaptiveCard/action",
            value={"action": {"type": "Action.Execute", "verb": verb, "data": payload}, "trigger": "manual"},
        )
        status, answer = await self.post(body)
        assert status == 200, (status, answer)
        assert answer["statusCode"] == 200, answer
        assert answer["type"] == "application/vnd.microsoft.card.adaptive", answer
        return answer["value"]  # type: ignore[no-any-return]

    async def press(self, card: dict[str, Any], title: str, inputs: dict[str, Any] | None = None) -> dict[str, Any]:
        action = find_action(card, title)
        return await self.execute(action["verb"], action["data"], inputs)


def find_action(card: dict[str, Any], title: str, *, partial: bool = False) -> dict[str, Any]:
    for node in walk(card):
        shown = str(node.get("title", ""))
        if node.get("type") == "Action.Execute" and (shown == title or (partial and title in shown)):
            return node  # type: ignore[no-any-return]
    titles = [n.get("title") for n in walk(card) if n.get("type") == "Action.Execute"]
    raise AssertionError(f"no button '{title}' on the card; it has {titles}")


def card_texts(card: dict[str, Any]) -> list[str]:
    return texts(card)


def card_facts(card: dict[str, Any]) -> dict[str, str]:
    return {n["title"]: n["value"] for n in walk(card) if "title" in n and "value" in n and "type" not in n}


def input_ids(card: dict[str, Any]) -> list[str]:
    return list(inputs(card))


def answer_ids(card: dict[str, Any]) -> list[str]:
    """The inputs that answer the form: every page also has the box to raise an immediate concern."""
    from plf_core.concerns import INPUTS

    return [i for i in inputs(card) if i not in INPUTS]
