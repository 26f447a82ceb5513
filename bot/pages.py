"""What the bot serves to a browser besides the Bot Framework endpoint: outcomes charts, highlight
reports and inspection evidence packs behind signed, expiring links. A link that is expired, tampered
with or unknown gets 404; a report whose reader may no longer see its scope gets 403 and a page that
says so."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.links import SignedLinks
from plf_core import evidence, periods
from plf_core.clock import Clock
from plf_core.errors import ValidationFailed
from plf_core.framework_config import Framework
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork, UnitOfWorkFactory
from plf_core.report_command import REPORT_PERIODS, may_read, may_read_team
from reports.evidence_html import evidence_html
from reports.highlight_html import forbidden_html, highlight_html
from reports.outcomes_chart import outcomes_chart_png

log = logging.getLogger(__name__)
PRIVATE = {
    "Cache-Control": "private, no-store",  # read again each time: the reader's roles are checked on each opening
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}
NOT_FOUND = "This link has expired or is not valid. Ask the bot again for a new one."


def chart_handler(uow: UnitOfWorkFactory, links: SignedLinks) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def chart(request: web.Request) -> web.StreamResponse:
        payload = links.read("chart", request.match_info["token"])
        audit_id = payload.get("a") if payload else None
        if not isinstance(audit_id, int):
            return web.Response(status=404, text=NOT_FOUND, headers=PRIVATE)
        async with uow() as work:
            picture = await work.reports.outcomes_picture(audit_id)
        if picture is None:
            return web.Response(status=404, text=NOT_FOUND, headers=PRIVATE)
        png = await asyncio.to_thread(outcomes_chart_png, picture)  # drawing is CPU work: off the event loop
        log.info("outcomes chart served", extra={"audit_id": audit_id})
        return web.Response(body=png, content_type="image/png", headers=PRIVATE)

    return chart


HTML_HEADERS = {
    **PRIVATE,
    "Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'",
}


def report_handler(
    uow: UnitOfWorkFactory, links: SignedLinks, clock: Clock
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """The full highlight report behind its link; the reader's rights are checked as it opens."""

    async def report(request: web.Request) -> web.StreamResponse:
        payload = links.read("report", request.match_info["token"]) or {}
        reader, code, area_id, team_id = payload.get("p"), payload.get("r"), payload.get("a"), payload.get("t")
        if (
            not isinstance(reader, int)
            or not isinstance(code, str)
            or not (area_id is None or isinstance(area_id, int))
            or not (team_id is None or isinstance(team_id, int))
        ):
            return web.Response(status=404, text=NOT_FOUND, headers=PRIVATE)
        async with uow() as work:
            actor = await work.people.actor_of(reader)
            if actor is None or not (may_read(actor, area_id) if team_id is None else may_read_team(actor, team_id)):
                why = "Your roles no longer include this report's service area."
                return await _refused(work, actor, f"report {code[:12]} (link)", why)
            try:
                period = periods.parse(code, clock.today(), kinds=REPORT_PERIODS)
            except ValidationFailed:
                return web.Response(status=404, text=NOT_FOUND, headers=PRIVATE)
            team = await work.reports.team_of(team_id) if team_id is not None else None
            scope = await work.people.area_name(area_id) if area_id is not None else "the whole service"
            scope = f"team {team[1]}" if team is not None else scope
            made = await work.reports.highlight(period, area_id, scope, team=team[0] if team else None)
            await work.access.log(actor, f"report {code[:12]} (link)", None, None, "ok")
        html = await asyncio.to_thread(highlight_html, made)
        return web.Response(text=html, content_type="text/html", headers=HTML_HEADERS)

    return report


async def _refused(work: AbstractUnitOfWork, actor: Actor | None, what: str, why: str) -> web.Response:
    """A page its link's reader may no longer read: 403 with the reason, and the refusal in the access log."""
    await work.access.log(actor, what, None, None, "denied")
    message = why if actor is not None else "The person this link was made for is no longer in the directory."
    return web.Response(status=403, text=forbidden_html(message), content_type="text/html", headers=HTML_HEADERS)


def evidence_handler(
    uow: UnitOfWorkFactory, links: SignedLinks, clock: Clock, framework: Framework
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """The inspection evidence pack behind its link, as the report's: the reader (QA or SLT) is checked as it opens."""

    async def pack(request: web.Request) -> web.StreamResponse:
        payload = links.read("evidence", request.match_info["token"]) or {}
        reader, code = payload.get("p"), payload.get("r")
        if not isinstance(reader, int) or not isinstance(code, str):
            return web.Response(status=404, text=NOT_FOUND, headers=PRIVATE)
        try:
            period = periods.parse(code, clock.today(), kinds=evidence.EVIDENCE_PERIODS)
        except ValidationFailed:
            return web.Response(status=404, text=NOT_FOUND, headers=PRIVATE)
        async with uow() as work:
            actor = await work.people.actor_of(reader)
            if actor is None or not evidence.may_read(actor):
                why = "The evidence pack is the whole service's, for QA and SLT: your roles no longer include either."
                return await _refused(work, actor, f"evidence {period.code} (link)", why)
            made = await evidence.evidence_pack(work, period, framework, clock.today(), clock.zone)
            await work.access.log(actor, f"evidence {period.code} (link)", None, None, "ok")
        html = await asyncio.to_thread(evidence_html, made)
        return web.Response(text=html, content_type="text/html", headers=HTML_HEADERS)

    return pack
