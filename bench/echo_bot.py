"""A bare Agents-SDK bot that answers every Action.Execute with the same fixed card.

The yardstick for bench/submit.py: the same SDK, host and HTTP path as the real bot, without
authorisation, validation or a database.
"""

from __future__ import annotations

import sys
from typing import Any

from aiohttp import web
from microsoft_agents.activity import InvokeResponse, TurnContextProtocol
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import ActivityHandler

from bot.adapter import AnonymousConnections

CARD = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Saved.", "wrap": True}]}


class EchoBot(ActivityHandler):
    async def on_invoke_activity(self, turn_context: TurnContextProtocol[Any]) -> InvokeResponse:
        return InvokeResponse(
            status=200, body={"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": CARD}
        )


def main() -> None:
    adapter = CloudAdapter(connection_manager=AnonymousConnections())
    agent = EchoBot()

    async def messages(request: web.Request) -> web.StreamResponse:
        response = await adapter.process(request, agent)
        return response if response is not None else web.Response(status=202)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", lambda request: web.json_response({"status": "ok"}))
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)


if __name__ == "__main__":
    main()
