"""The catalogue's cards of the chat itself: help, questions with buttons, and the outbox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from cards import chat_cards as chat
from cards import outbox_cards
from cards.base import CardDict
from plf_core import command_hints as hints
from plf_core.timetable_commands import FailedMessage, OutboxList

DAY = date(2026, 12, 18)


def chat_cards() -> Iterator[tuple[str, CardDict]]:
    from plf_core.commands import ROUTES

    yield "chat/help-qa", chat.help_menu(hints.help_menu(ROUTES, "", DAY))
    yield (
        "chat/help-practitioner",
        chat.help_menu(hints.help_menu([r for r in ROUTES if not r.qa_only], "Hello! ", DAY)),
    )
    yield "chat/did-you-mean", chat.choice(hints.did_you_mean("smaple 12 by team cohort cp,cla", ROUTES))
    twins = [
        hints.Option("Hazel Testbury", f"assign DEMO-900123 to hazel.{n}@demo-borough.invalid", d)
        for n, d in (
            (1, "Children in Need & Protection North (demo) · Practitioner (social worker)"),
            (2, "Leaving Care Service West (demo) · Practice Lead"),
        )
    ]
    yield (
        "chat/which-person",
        chat.choice(
            hints.Choice("Which Hazel Testbury?", "2 people are called Hazel Testbury: which one?", tuple(twins))
        ),
    )
    outbox_rows = tuple(
        FailedMessage(
            7000 + i,
            "Rowan Demoford",
            "red_alert" if i < 2 else "reminder_digest",
            "dead",
            8,
            "gave up after 8 attempts: 503 " + "x" * 200,
        )
        for i in range(10)
    )
    yield "layered/outbox", outbox_cards.outbox(OutboxList(outbox_rows, 2, 4, 37))
