"""The feedback page's routes, the only ones without Teams authentication:

    GET  /feedback/{token}               the form of the link's version (child, or parent or carer)
    POST /feedback/{token}               the answers: thanks, or the form again with what was typed and why
    GET  /feedback/static/feedback.css   the one stylesheet

A link that was used or has expired answers 410, an unknown or altered one 404, each with a kind page
that reveals nothing about the case. Every post needs the page's signed form check (403 without it, and
nothing is used up); each address and each link may ask only so often (429 with Retry-After); a post is
read up to 64 KB. Nothing of the answers or the token is logged: a link is named by the first 8
characters of its hash.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from feedback_web.csrf import FIELD, FormChecks, Seal
from feedback_web.languages import Languages
from feedback_web.limits import Allowance, client_address, read_form
from feedback_web.pages import Gone, Pages, Reader, Refusal
from plf_core.clock import Clock
from plf_core.feedback import asking
from plf_core.feedback.answers import check_answers
from plf_core.feedback.form import Audience, FeedbackForm
from plf_core.feedback.links import LinkState, token_hash
from plf_core.framework_config import Framework
from plf_core.ports import UnitOfWorkFactory
from plf_core.working_days import Hours

log = logging.getLogger("plf.feedback_web")
PREFIX = "/feedback"
PER_ADDRESS = (60, 60.0)  # requests an address may make a minute: a family needs three or four
PER_LINK = (20, 60.0)  # requests one link may take a minute
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
STATUS_OF = {LinkState.USED: Gone.USED, LinkState.EXPIRED: Gone.EXPIRED, LinkState.UNKNOWN: Gone.UNKNOWN}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Site:
    """What the page works with, built by app.create_app."""

    uow: UnitOfWorkFactory
    form: FeedbackForm
    clock: Clock
    timing: tuple[Framework, Hours]
    secret: str | None = None  # LINK_SECRET; None (local mode): a key made at start-up
    locales_dir: Path | None = None  # FEEDBACK_LOCALES_DIR: a council's own catalogues
    proxy_hops: int = 0  # FEEDBACK_PROXY_HOPS: trusted proxies that append to X-Forwarded-For


def add_feedback_routes(app: web.Application, site: Site) -> None:
    page = FeedbackPage(site)
    app.router.add_get(f"{PREFIX}/static/feedback.css", page.stylesheet)
    app.router.add_get(PREFIX + "/{token}", page.guarded(page.show))
    app.router.add_post(PREFIX + "/{token}", page.guarded(page.send))
    app.on_response_prepare.append(_strict_headers)


async def _strict_headers(request: web.Request, response: web.StreamResponse) -> None:
    """On every response under /feedback, the ones aiohttp makes itself (405, 413) included."""
    if request.path == PREFIX or request.path.startswith(f"{PREFIX}/"):
        response.headers.update(HEADERS)


class FeedbackPage:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.languages = Languages(site.locales_dir)
        self.pages = Pages(site.form, self.languages)

        def seconds() -> float:
            return site.clock.now().timestamp()

        self.checks = FormChecks(site.secret, seconds)
        self.by_address = Allowance(*PER_ADDRESS, clock=seconds)
        self.by_link = Allowance(*PER_LINK, clock=seconds)

    def reader(self, request: web.Request) -> Reader:
        chosen = self.languages.chosen(request.query.get("lang"))
        return Reader(chosen or self.languages.preferred(request.headers.get("Accept-Language")))

    def html(self, text: str, status: int = 200, **headers: str) -> web.Response:
        return web.Response(text=text, status=status, content_type="text/html", charset="utf-8", headers=headers)

    def gone(self, request: web.Request, why: Gone, **headers: str) -> web.Response:
        return self.html(self.pages.gone(self.reader(request), why), why.status, **headers)

    def guarded(self, handler: Handler) -> Handler:
        """The rate limits first; an unexpected failure is a kind page with an id to quote, not a stack trace."""

        async def guarded(request: web.Request) -> web.StreamResponse:
            hashed = token_hash(request.match_info["token"][:100])
            address = client_address(request, self.site.proxy_hops)
            wait = self.by_address.take(address) or self.by_link.take(hashed)
            if wait:
                if self.by_address.first_refusal(address) or self.by_link.first_refusal(hashed):
                    log.warning("feedback page: too many requests", extra={"link": hashed[:8], "wait_s": wait})
                return self.gone(request, Gone.BUSY, **{"Retry-After": str(wait)})
            try:
                return await handler(request)
            except Exception as exc:
                reference = secrets.token_hex(4)
                log.error(  # the exception's type only: its message could quote an answer
                    "feedback page failed: %s (error %s)", type(exc).__name__, reference, extra={"link": hashed[:8]}
                )
                return self.gone(request, Gone.BROKEN)

        return guarded

    async def stylesheet(self, request: web.Request) -> web.StreamResponse:
        return web.Response(body=self.pages.stylesheet, content_type="text/css", charset="utf-8")

    async def show(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        async with self.site.uow() as work:
            state, audience = await asking.open_link(work, token, self.site.clock.now())
        log.info("feedback page opened", extra={"link": token_hash(token)[:8], "state": state.value})
        if audience is None:
            return self.gone(request, STATUS_OF.get(state, Gone.UNKNOWN))
        return self.form_page(request, token, audience, Refusal())

    def form_page(
        self, request: web.Request, token: str, audience: Audience, refusal: Refusal, status: int = 200
    ) -> web.Response:
        check = (FIELD, self.checks.make(token_hash(token)))
        return self.html(self.pages.form_page(self.reader(request), audience, check, refusal), status)

    async def send(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        hashed = token_hash(token)
        sent = await read_form(request)
        seal = self.checks.check(sent.fields.get(FIELD), hashed)
        if seal is Seal.BAD:
            log.warning("feedback post refused: no valid form check", extra={"link": hashed[:8]})
            return self.gone(request, Gone.FORBIDDEN)
        now = self.site.clock.now()
        if seal is Seal.STALE or sent.over_limit:
            return await self._kept(
                request, token, Refusal(None, seal is Seal.STALE, sent.over_limit, sent.cut, sent.fields)
            )
        async with self.site.uow() as work:
            done = await asking.answer(work, self.site.form, token, sent.fields, now, self.site.timing)
        outcome = "thanked" if done.thanked else ("refused" if done.checked else done.state.value)
        log.info("feedback answered", extra={"link": hashed[:8], "outcome": outcome})
        if done.audience is None:
            return self.gone(request, STATUS_OF.get(done.state, Gone.UNKNOWN))
        if done.thanked:
            return self.html(self.pages.thanks(self.reader(request), done.audience))
        return self.form_page(request, token, done.audience, Refusal(done.checked, sent=sent.fields), 422)

    async def _kept(self, request: web.Request, token: str, refusal: Refusal) -> web.StreamResponse:
        """The page again with what was sent and nothing stored: a page open too long, or a post past the limit."""
        async with self.site.uow() as work:
            state, audience = await asking.open_link(work, token, self.site.clock.now())
        log.info("feedback post kept, not stored", extra={"link": token_hash(token)[:8], "cut": bool(refusal.cut)})
        if audience is None:
            return self.gone(request, STATUS_OF.get(state, Gone.UNKNOWN))
        checked = check_answers(self.site.form.version(audience), refusal.sent)
        kept = Refusal(checked, refusal.stale, refusal.too_long, refusal.cut, refusal.sent)
        return self.form_page(request, token, audience, kept, 413 if refusal.too_long else 200)
