"""QA's outbox: what could not be delivered, a page at a time, the urgent first, each with Retry where
Retry can help (a message waiting for its person to install the bot goes when they do)."""

from __future__ import annotations

from microsoft_teams.cards import Container
from microsoft_teams.cards.core import CardElement

from cards.base import CardDict, action_row, card, execute, heading, para
from plf_core.card_actions import Verb
from plf_core.delivery import is_urgent, waits_for_install
from plf_core.timetable_commands import FailedMessage, OutboxList

MAX_LINES = 30


def outbox(screen: OutboxList) -> CardDict:
    title = "Messages that could not be delivered"
    page, pages = screen.page, screen.pages
    body: list[CardElement] = [heading(title if pages == 1 else f"{title} (page {page} of {pages})")]
    if screen.note:
        body.append(para(screen.note, color="Good", bold=True))
    if not screen.messages:
        body.append(para("Nothing has failed: every message was delivered or is on its way."))
    else:
        body.append(
            para(f"{screen.total} message(s) in all, the urgent first. A message delivered since is no longer listed.")
        )
    body += [_row(m) for m in screen.messages[:MAX_LINES]]
    moves = [("Back", page - 1), ("Next", page + 1)]
    actions = [execute(t, Verb.COMMAND_RUN, {"command": f"outbox page {p}"}) for t, p in moves if 1 <= p <= pages]
    return card(body, actions, fallback_text=f"{screen.total} undelivered message(s)")


def _row(m: FailedMessage) -> Container:
    urgent = is_urgent(m.kind)
    label = ("Urgent: " if urgent else "") + f"{m.kind.replace('_', ' ')} to {m.person}"
    named = para(label, bold=True, color="Attention" if urgent else None)
    if waits_for_install(m.error):  # not lost: it goes when they install the bot, so no Retry
        return Container(separator=True, items=[named, para(_waiting(m.person), subtle=True)])
    tries = "1 attempt" if m.attempts == 1 else f"{m.attempts} attempts"
    done = "Not delivered" if m.status == "dead" else "Refused"
    why = para(f"{done} after {tries}: {m.error[:200]}", subtle=True)
    return Container(
        separator=True, items=[named, why, action_row([execute("Retry", Verb.OUTBOX_RETRY, {"outbox": m.outbox_id})])]
    )


def _waiting(person: str) -> str:
    return f"Waiting: {person} has not installed the bot yet; it goes as soon as they do."
