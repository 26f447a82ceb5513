"""The composition root: builds everything in one place (settings, clock, engine, unit of work,
Teams edge, scheduler) and serves it. `plf` builds from the same core (composition.py)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import uuid
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapter import TeamsEdge, build_edge
from bot.agent import PlfAgent
from bot.dispatcher import Dispatcher
from bot.http import FloodGuard, in_flight_limit, messages_handler
from bot.links import SignedLinks
from bot.pages import chart_handler, evidence_handler, report_handler
from composition import Core, build_core
from feedback_web import Site, add_feedback_routes
from plf_core.clock import Clock
from plf_core.pacing import Pacer
from plf_core.ports import UnitOfWorkFactory
from scheduler import (
    add_alive_job,
    add_concern_job,
    add_dispatch_job,
    add_monthly_moderation_job,
    add_sweep_job,
    build_scheduler,
)
from scheduler.jobs import escalate_concerns, monthly_moderation, sweep
from settings import Settings
from store.database import DatabaseUnavailable, create_engine, masked, normalise_url, ping
from store.limits import SharedLimits
from store.unit_of_work import unit_of_work_factory

log = logging.getLogger("plf.app")
MAX_BODY_BYTES = 256 * 1024

ENGINE = web.AppKey("engine", AsyncEngine)
SETTINGS = web.AppKey("settings", Settings)
DISPATCHER = web.AppKey("dispatcher", Dispatcher)
ALIVE_EVERY_S = 5.0  # how often an instance says it is alive (store.limits counts those seen in 15 s)
SharedUse = tuple[SharedLimits, FloodGuard]


async def healthz(request: web.Request) -> web.Response:
    try:
        await ping(request.app[ENGINE])
    except DatabaseUnavailable as exc:
        log.warning("health check failed: %s", exc)
        return web.json_response({"status": "unavailable", "cause": str(exc)}, status=503)
    return web.json_response({"status": "ok", "database": "ok"})


def _edge(app: web.Application, settings: Settings) -> TeamsEdge:
    edge = build_edge(
        settings.microsoft_app_id,
        settings.microsoft_app_password,
        settings.microsoft_app_tenant_id,
        cert_pfx_file=settings.microsoft_app_cert_pfx_file,
    )
    # The SDK keeps the verified claims under a plain string key of the request; aiohttp warns
    # about that on every authenticated request. It is the SDK's design, not a fault: not logged.
    warnings.filterwarnings("ignore", category=web.NotAppKeyWarning, module=r"microsoft_agents\.")
    if edge.auth_configuration is not None:
        with warnings.catch_warnings():  # the SDK's JWT check reads this plain string key
            warnings.simplefilter("ignore", web.NotAppKeyWarning)
            app["agent_configuration"] = edge.auth_configuration
    return edge


def _links(core: Core) -> SignedLinks:
    settings = core.settings
    secret = settings.link_secret.get_secret_value() if settings.link_secret else None
    links = SignedLinks(
        secret, settings.base_url, lifetime_s=settings.link_days * 86_400, clock=lambda: core.clock.now().timestamp()
    )
    if links.ephemeral:
        log.info("links to charts and reports are signed with a key made at start-up: they end at a restart")
    return links


def _dispatcher(
    core: Core, uow: UnitOfWorkFactory, edge: TeamsEdge, links: SignedLinks, limits: SharedLimits
) -> Dispatcher:
    settings = core.settings
    return Dispatcher(
        uow,
        edge.adapter,
        settings.microsoft_app_id,
        max_attempts=settings.delivery_max_attempts,
        claim_seconds=settings.outbox_claim_seconds,
        links=links,
        pacer=Pacer(per_app=settings.dispatch_rate, per_app_window=min(49, int(settings.dispatch_rate) + 1)),
        clock=core.clock,
        send_turn=limits.take_send_turn if limits.shared else None,
    )


class RunningJobs:
    """The scheduler's jobs under way, so that shutting down ends them while the database is still there
    (APScheduler's shutdown does not wait for coroutine jobs)."""

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[Any]] = set()

    def track(self, job: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            task = asyncio.current_task()
            if task is not None:
                self.tasks.add(task)
            try:
                await job()
            finally:
                if task is not None:
                    self.tasks.discard(task)

        return run

    async def stop(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        if self.tasks:
            await asyncio.wait(list(self.tasks), timeout=10)


async def _settled(_app: web.Application) -> None:
    """What start-up made (about 220,000 objects: models, schemas, SQLAlchemy's and the SDK's) lives as
    long as the process: moved out of the cyclic collector's reach, so that its full collections look
    at what requests made, not at that too. Each took about 100 ms, a stall the open loop saw: at 300
    saves a second for 40 s, 240 saves over 30 ms (the slowest 218 ms) without the freeze, none with it."""
    gc.collect()
    gc.freeze()


def _jobs(
    core: Core, engine: AsyncEngine, uow: UnitOfWorkFactory, dispatcher: Dispatcher, shared: SharedUse
) -> list[Callable[[web.Application], AsyncIterator[None]]]:
    """The resources that start and stop with the app: the database, then the scheduler's jobs."""
    settings, clock = core.settings, core.clock
    limits, flood = shared

    async def alive() -> None:
        flood.instances = await limits.alive()  # each person's flood limit, shared by the instances alive

    async def database(app: web.Application) -> AsyncIterator[None]:
        await ping(engine)  # fail start-up now, naming the (masked) URL and the reason
        await alive()
        yield
        with contextlib.suppress(Exception):  # the others notice it has gone within ALIVE_FOR_S anyway
            await limits.gone()
        await engine.dispose()

    async def scheduler(app: web.Application) -> AsyncIterator[None]:
        jobs = build_scheduler(settings.zone)
        add_dispatch_job(jobs, dispatcher.run_once, settings.dispatch_interval_seconds)
        running = RunningJobs()

        @running.track
        async def moderation_job() -> None:
            await monthly_moderation(uow, core.chat.moderation, clock, dispatcher.wake)

        @running.track
        async def sweep_job() -> None:
            chat = core.chat
            await sweep(uow, chat.rules, core.hours, clock, dispatcher.wake, chat.framework, chat.dip_plan)

        @running.track
        async def concern_job() -> None:
            await escalate_concerns(uow, core.chat.framework, core.hours, clock, dispatcher.wake)

        add_monthly_moderation_job(jobs, moderation_job)
        add_sweep_job(jobs, sweep_job, settings.sweep_interval_seconds)
        add_concern_job(jobs, concern_job, settings.sweep_interval_seconds)
        if limits.shared:
            add_alive_job(jobs, running.track(alive), ALIVE_EVERY_S)
        jobs.start()
        yield
        jobs.shutdown(wait=False)
        await running.stop()  # before the database goes: a job cut off mid-transaction rolls back cleanly
        await dispatcher.close()

    return [database, scheduler]


def create_app(settings: Settings, clock: Clock | None = None) -> web.Application:
    """The whole bot. `clock`: the tests' own; otherwise the settings' (the system's, or PLF_NOW's)."""
    core = build_core(settings, clock)
    log.info("timetable: %d rules", len(core.chat.rules))  # checked now: a bad one stops start-up
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[SETTINGS] = settings
    edge = _edge(app, settings)
    engine = create_engine(normalise_url(settings.database_url))  # connects only when used
    app[ENGINE] = engine
    uow = unit_of_work_factory(engine, core.clock, feedback_form=core.feedback_form)
    links = _links(core)
    limits = SharedLimits(engine, settings.dispatch_rate, instance_id=uuid.uuid4().hex)
    flood = FloodGuard(settings.flood_limit)
    dispatcher = app[DISPATCHER] = _dispatcher(core, uow, edge, links, limits)
    agent = PlfAgent(uow, core.chat, core.clock, notices_written=dispatcher.wake, links=links, pace=dispatcher.pace)
    agent.saves = unit_of_work_factory(engine, core.clock, batched=True)  # a card save: read once, write once
    app.cleanup_ctx.extend(_jobs(core, engine, uow, dispatcher, (limits, flood)))
    app.on_cleanup.append(lambda _app: edge.clients.close())
    app.on_startup.append(_settled)
    app.router.add_get("/healthz", healthz)
    app.router.add_get(r"/links/charts/{token:[A-Za-z0-9_.\-]+}.png", chart_handler(uow, links))
    app.router.add_get(r"/links/reports/{token:[A-Za-z0-9_.\-]+}.html", report_handler(uow, links, core.clock))
    evidence_pack = evidence_handler(uow, links, core.clock, core.chat.framework)
    app.router.add_get(r"/links/evidence/{token:[A-Za-z0-9_.\-]+}.html", evidence_pack)
    handler = messages_handler(
        edge.adapter,
        agent,
        authenticated=not settings.local_mode,
        allowed_tenants=settings.allowed_tenant_ids,
        flood=flood,
    )
    app.router.add_post("/api/messages", in_flight_limit(settings.max_in_flight)(handler))
    add_feedback_routes(app, _feedback_site(core, uow))
    return app


def _feedback_site(core: Core, uow: UnitOfWorkFactory) -> Site:
    """The family feedback page (the open web): its form checks are signed with LINK_SECRET, as links are."""
    settings = core.settings
    secret = settings.link_secret.get_secret_value() if settings.link_secret else None
    timing = (core.chat.framework, core.hours)
    return Site(
        uow, core.feedback_form, core.clock, timing, secret, settings.feedback_locales_dir, settings.feedback_proxy_hops
    )


def describe_start(settings: Settings) -> str:
    mode = (
        f"local mode: no MICROSOFT_APP_ID, requests are anonymous and the bot listens on {settings.host} only"
        if settings.local_mode
        else f"authenticated mode: app id {settings.microsoft_app_id}; every request needs a token"
    )
    clock = (
        f"; the clock started at {settings.clock().now().astimezone(settings.zone):%a %d %b %Y %H:%M %Z} (PLF_NOW)"
        if settings.plf_now
        else ""
    )
    return (
        f"{mode}; database {masked(normalise_url(settings.database_url))}; "
        f"serving http://{settings.host}:{settings.port}/api/messages{clock}"
    )


def new_event_loop(kind: str) -> asyncio.AbstractEventLoop:
    """asyncio's own loop, or uvloop with EVENT_LOOP=uvloop where it is installed (bench/event_loop.py)."""
    if kind == "uvloop":
        try:
            import uvloop
        except ImportError:
            log.warning("EVENT_LOOP=uvloop but uvloop is not installed: serving on asyncio's own loop")
        else:
            return uvloop.new_event_loop()
    return asyncio.new_event_loop()


def serve(settings: Settings, *, reuse_port: bool = False) -> None:
    """`reuse_port`: one of several processes listening on the port (plf serve --workers)."""
    log.info("%s", describe_start(settings))
    web.run_app(
        create_app(settings),
        loop=new_event_loop(settings.event_loop),
        host=settings.host,
        port=settings.port,
        reuse_port=reuse_port or None,
        print=None,
        access_log=None,
        handler_cancellation=True,
        shutdown_timeout=5.0,
    )
