"""`concerns`: the immediate concerns raised while auditing, for QA, SLT and the managers of the areas
they are about (the route joins the table in plf_core/commands.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from plf_core import command_hints as hints
from plf_core import concerns
from plf_core.routes import Route
from plf_core.turn import Turn


@dataclass(frozen=True)
class ListConcerns:
    pass


async def list_concerns(t: Turn, command: ListConcerns) -> concerns.ConcernList:
    return await concerns.list_concerns(t.uow, t.actor, t.now, t.settings.zone)


ROUTES: tuple[Route[Any], ...] = (
    Route(
        re.compile(r"(?i)^(?:immediate\s+|open\s+)?concerns?$"),
        lambda m: ListConcerns(),
        list_concerns,
        "concerns",
        "immediate concerns raised while auditing (the last 90 days): the ones nobody has yet first, then "
        "who has each and how long it took",
        hints.AUDITS,
        "concerns",
        qa_only=True,
        also_slt=True,
        also_heads=True,
    ),
)
