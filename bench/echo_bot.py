"""A bare Agents-SDK bot that answers every Action.Execute with the same fixed card.

The yardsticks for bench/submit.py: the same SDK, host and HTTP path as the real bot, without
authorisation, validation or a database (`echo_bot.py PORT`); and the same with one durable write per
card through asyncpg, BEGIN; INSERT; COMMIT (`echo_bot.py PORT DATABASE_URL`): the floor for any bot
that stores an answer.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from aiohttp import web
from microsoft_agents.activity import InvokeResponse, TurnContextProtocol
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import ActivityHandler

from bot.adapter import AnonymousConnections

CARD = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Saved.", "wrap": True}]}


class EchoBot(ActivityHandler):
    def __init__(self, pool: Any = None) -> None:
        super().__init__()
        self.pool = pool  # asyncpg: one durable write per card, or None

    async def on_invoke_activity(self, turn_context: TurnContextProtocol[Any]) -> InvokeResponse:
        if self.pool is not None:
            async with self.pool.acquire() as connection, connection.transaction():
                await connection.execute(
                    "INSERT INTO bench_echo (at, body) VALUES (now(), $1::jsonb)",
                    json.dumps(turn_context.activity.value),
                )
        return InvokeResponse(
            status=200, body={"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": CARD}
        )


async def durable_pool(app: web.Application) -> Any:
    """The pool for the durable variant, made on the app's loop; its table made once."""
    import asyncpg

    url = sys.argv[2].replace("postgresql+asyncpg://", "postgresql://")
    pool = await asyncpg.create_pool(url, min_size=2, max_size=10)
    async with pool.acquire() as connection:
        await connection.execute(
            "CREATE TABLE IF NOT EXISTS bench_echo (id bigserial PRIMARY KEY, at timestamptz, body jsonb)"
        )
    app["agent"].pool = pool
    yield
    await pool.close()


def main() -> None:
    adapter = CloudAdapter(connection_manager=AnonymousConnections())
    agent = EchoBot()

    async def messages(request: web.Request) -> web.StreamResponse:
        response = await adapter.process(request, agent)
        return response if response is not None else web.Response(status=202)

    app = web.Application()
    app["agent"] = agent
    if len(sys.argv) > 2:
        app.cleanup_ctx.append(durable_pool)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", lambda request: web.json_response({"status": "ok"}))
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)


if __name__ == "__main__":
    main()
