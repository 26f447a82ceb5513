"""`concerns [CASE]`: the immediate concerns raised while auditing, for QA and SLT (every area), Heads of
Service and Service Managers (their areas) and Practice Leads (their teams' cases). The route joins the
table in plf_core/commands.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from plf_core import command_hints as hints
from plf_core.concern_ports import ConcernRow
from plf_core.errors import NotAllowed
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork
from plf_core.routes import Route
from plf_core.turn import Turn

LISTED_DAYS = 90
MAX_LISTED = 30  # a card of 30 stays within Teams' size
MAX_SEARCHED = 500  # concerns read to find one case's, or one Practice Lead's teams'


@dataclass(frozen=True)
class ConcernList:
    """`concerns`: those nobody has taken on first, then those acknowledged, with the time each took."""

    rows: tuple[ConcernRow, ...]
    scope: str
    days: int
    now: datetime
    zone: ZoneInfo
    more: bool = False  # older ones than those listed
    note: str | None = None


@dataclass(frozen=True)
class ListConcerns:
    case: str | None = None


async def list_concerns(
    uow: AbstractUnitOfWork, actor: Actor, now: datetime, zone: ZoneInfo, case: str | None = None
) -> ConcernList:
    since = now - timedelta(days=LISTED_DAYS)
    narrowed = case is not None or not (actor.is_qa or actor.is_slt or actor.headed_area_ids or actor.managed_area_ids)
    limit = MAX_SEARCHED if narrowed else MAX_LISTED + 1
    if actor.is_qa or actor.is_slt:
        rows, scope = await uow.concerns.listed(None, since, limit), "every service area"
    elif actor.headed_area_ids or actor.managed_area_ids:
        areas = sorted(actor.headed_area_ids | actor.managed_area_ids)
        rows, scope = (
            await uow.concerns.listed(areas, since, limit),
            "your service area" + ("s" if len(areas) > 1 else ""),
        )
    elif actor.led_team_ids:
        rows = [r for r in await uow.concerns.listed(None, since, limit) if r.practice_lead_id == actor.person_id]
        scope = "your team's cases"
    else:
        raise NotAllowed(
            "immediate concerns are listed for QA, Practice Leads, Service Managers and Heads of Service; "
            "you are told on a card when someone takes on one you raised",
            action="concerns",
        )
    if case is not None:
        rows = [r for r in rows if (r.case_ref or "").lower() == case.lower()]
        scope = f"case {case.upper()}"
    await uow.access.log(actor, "concerns", None, None, "ok")
    ordered = sorted(rows[:MAX_LISTED], key=lambda r: (r.acknowledged_at is not None, -r.raised_at.timestamp()))
    return ConcernList(tuple(ordered), scope, LISTED_DAYS, now, zone, more=len(rows) > MAX_LISTED)


async def run(t: Turn, command: ListConcerns) -> ConcernList:
    return await list_concerns(t.uow, t.actor, t.now, t.settings.zone, command.case)


FILLER = r"(?:\s+(?:please|pls|list|open|now))*"

ROUTES: tuple[Route[Any], ...] = (
    Route(
        re.compile(rf"(?i)^(?:immediate\s+|my\s+)?concerns?{FILLER}(?:\s+(?:for\s+|on\s+)?([A-Za-z]+-\d+))?{FILLER}$"),
        lambda m: ListConcerns(m[1]),
        run,
        "concerns [CASE]",
        "immediate concerns raised while auditing (the last 90 days), those nobody has taken on first, with who "
        "has each and how long it took; with a case id, that case's",
        hints.AUDITS,
        "concerns",
        qa_only=True,
        also_slt=True,
        also_heads=True,
        also_leads=True,
    ),
)
