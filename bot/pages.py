"""What the bot serves to a browser besides the Bot Framework endpoint: outcomes charts (and
reports) behind signed, expiring links. A link that is expired, tampered with or unknown gets 404."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.links import SignedLinks
from reports.outcomes_chart import outcomes_chart_png
from store.report_store import outcomes_picture

log = logging.getLogger(__name__)
PRIVATE = {
    "Cache-Control": "private, max-age=3600",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}
NOT_FOUND = "This link has expired or is not valid. Ask the bot again for a new one."


def chart_handler(
    sessions: async_sessionmaker[AsyncSession], links: SignedLinks
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def chart(request: web.Request) -> web.StreamResponse:
        payload = links.read("chart", request.match_info["token"])
        audit_id = payload.get("a") if payload else None
        if not isinstance(audit_id, int):
            return web.Response(status=404, text=NOT_FOUND, headers=PRIVATE)
        async with sessions() as session:
            picture = await outcomes_picture(session, audit_id)
        if picture is None:
            return web.Response(status=404, text=NOT_FOUND, headers=PRIVATE)
        png = await asyncio.to_thread(outcomes_chart_png, picture)  # drawing is CPU work: off the event loop
        log.info("outcomes chart served", extra={"audit_id": audit_id})
        return web.Response(body=png, content_type="image/png", headers=PRIVATE)

    return chart
