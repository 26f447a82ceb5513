"""The chat commands of issue 18's evidence, as routes the table in plf_core/commands.py includes:
`good practice [SERVICE AREA] [THEME] [PERIOD]` and `evidence [QUARTER]`, with their handlers."""

from __future__ import annotations

import re
from typing import Any

from plf_core import chat_commands as c
from plf_core import command_hints as hints
from plf_core import evidence, good_practice_commands
from plf_core.routes import Route
from plf_core.turn import Turn


async def good_practice(t: Turn, command: c.GoodPractice) -> good_practice_commands.GoodPracticeList:
    zone = t.settings.zone
    return await good_practice_commands.good_practice(t.uow, t.actor, command.words, t.today, zone, t.activity_id)


async def evidence_pack(t: Turn, command: c.Evidence) -> evidence.EvidenceSummary:
    s = t.settings
    return await evidence.evidence(t.uow, t.actor, command.period, s.framework, t.today, s.zone, t.activity_id)


ROUTES: tuple[Route[Any], ...] = (
    Route(
        re.compile(r"(?i)^good\s+practice(?:\s+(.*))?$"),
        lambda m: c.GoodPractice(m[1] or ""),
        good_practice,
        "good practice [SERVICE AREA] [THEME] [PERIOD]",
        "examples of good practice nominated in audits, to confirm (Heads of Service and QA) before they count "
        "as evidence",
        hints.REPORTS,
        "good practice CNP voice {quarter}",
        qa_only=True,
        also_slt=True,
        also_heads=True,
    ),
    Route(
        re.compile(r"(?i)^evidence(?:\s+(?:for\s+)?((?:this|last)\s+quarter|\S+))?$"),
        lambda m: c.Evidence(m[1]),
        evidence_pack,
        "evidence [QUARTER]",
        "the inspection evidence pack for a quarter (the last whole one unless you name one): a summary here, "
        "the printable pack behind a link",
        hints.REPORTS,
        "evidence {last_quarter}",
        qa_only=True,
        also_slt=True,
    ),
)
