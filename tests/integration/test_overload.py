"""Overload shedding: beyond MAX_IN_FLIGHT activities in progress, a 503 with Retry-After at once."""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.http import in_flight_limit


async def test_beyond_the_limit_answers_503_at_once_and_recovers() -> None:
    release = asyncio.Event()
    entered = 0

    async def slow(request: web.Request) -> web.Response:
        nonlocal entered
        entered += 1
        await release.wait()
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/api/messages", in_flight_limit(2, retry_after_s=3)(slow))
    async with TestServer(app, host="127.0.0.1") as server, aiohttp.ClientSession() as http:
        url = str(server.make_url("/api/messages"))
        held = [asyncio.create_task(http.post(url, json={})) for _ in range(2)]
        while entered < 2:
            await asyncio.sleep(0.01)
        async with http.post(url, json={}) as refused:
            assert refused.status == 503
            assert refused.headers["Retry-After"] == "3"
            assert "busy" in (await refused.json())["error"]
        assert entered == 2  # the refused one never reached the handler
        release.set()
        for task in held:
            response = await task
            assert response.status == 200
            response.release()
        async with http.post(url, json={}) as again:
            assert again.status == 200
        assert entered == 3
