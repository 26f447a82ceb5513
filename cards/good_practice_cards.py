"""The cards of issue 18's evidence: the good-practice list with Confirm and Decline, the notice that a
nomination awaits a Head of Service, and the evidence pack's summary with its link. Case ids only."""

from __future__ import annotations

from collections.abc import Sequence

from microsoft_teams.cards import Container, OpenUrlAction
from microsoft_teams.cards.core import CardElement

from cards.base import CardDict, action_row, card, execute, facts, heading, para
from cards.notices import when
from cards.registry import CardContext, builds
from plf_core.card_actions import Verb
from plf_core.good_practice import CONFIRMED, DECLINED, Nomination
from plf_core.good_practice_commands import MAX_SHOWN, GoodPracticeList, GoodPracticeNominated

EXCERPT = 400  # characters of an example on the card; the evidence pack has it in full
CHECK = "Confirm only an example that names no child: confirmed examples go into the inspection evidence pack."


def excerpt(text: str, limit: int = EXCERPT) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.") + " …"


def _title(screen: GoodPracticeList) -> str:
    parts = (
        [screen.scope] + ([screen.period] if screen.period else []) + ([f"'{screen.theme}'"] if screen.theme else [])
    )
    return "Good practice: " + ", ".join(parts)


def _state(n: Nomination) -> CardElement:
    if n.confirmed:
        on = f" on {when(n.decided_on)}" if n.decided_on else ""
        return para(f"Confirmed by {n.decided_by}{on}: it counts as evidence.", color="Good")
    if n.changed:
        return para(
            f"Changed since {n.decided_by} decided on it: awaiting confirmation again by a Head of Service of the "
            "area or the QA team.",
            color="Warning",
        )
    return para("Awaiting confirmation by a Head of Service of the area or the QA team.", color="Warning")


def _item(n: Nomination, screen: GoodPracticeList) -> Container:
    items: list[CardElement] = [
        para(f"{n.case} · {n.team} · {n.grade_label}", bold=True),
        para(
            f"{n.form_title}{f' ({n.theme})' if n.theme else ''}, returned {when(n.submitted_on)}. "
            f"Nominated by {n.nominated_by}.",
            subtle=True,
        ),
        para(excerpt(n.text) or f"(no example written: see audit {n.audit_id})"),
        _state(n),
    ]
    read = execute(f"Read audit {n.audit_id}", Verb.AUDIT_VIEW, {"audit": n.audit_id})  # before deciding
    buttons = [read]
    if screen.may_decide(n):
        data = {"audit": n.audit_id, "field": n.field_id, "command": screen.command}
        buttons = [
            execute("Confirm", Verb.GOOD_PRACTICE_DECIDE, {**data, "decision": CONFIRMED}, style="positive"),
            execute("Decline", Verb.GOOD_PRACTICE_DECIDE, {**data, "decision": DECLINED}),
            read,
        ]
    items.append(action_row(buttons))
    return Container(separator=True, items=items)


def good_practice_list(screen: GoodPracticeList) -> CardDict:
    body: list[CardElement] = [heading(_title(screen))]
    if screen.note:
        body.append(para(screen.note, color="Good", bold=True))
    awaiting = sum(n.awaiting for n in screen.found)
    if not screen.found:
        body.append(para("No example of good practice has been nominated here yet (declined ones are not listed)."))
    else:
        confirmed = len(screen.found) - awaiting
        counted = f"{len(screen.found)} example(s): {awaiting} awaiting confirmation, {confirmed} confirmed"
        declined = f"; {screen.declined} declined, not listed" if screen.declined else ""
        body.append(para(counted + declined + "."))
    if any(screen.may_decide(n) for n in screen.shown):
        body.append(para(CHECK, subtle=True))
    body += [_item(n, screen) for n in screen.shown]
    if len(screen.found) > MAX_SHOWN:
        more = len(screen.found) - MAX_SHOWN
        body.append(para(f"… and {more} more: narrow the list with a service area, a theme or a period.", subtle=True))
    return card(body, fallback_text=_title(screen))


@builds(GoodPracticeNominated)
def _nominated(notice: GoodPracticeNominated, context: CardContext) -> CardDict:
    body: list[CardElement] = [
        heading(f"Good practice to confirm: case {notice.case}"),
        para(
            f"{notice.nominated_by} nominated case {notice.case} ({notice.team}, graded {notice.grade}) as an example "
            f"of good practice in its {notice.form_title}. It counts as evidence for an inspection once you or the "
            "QA team confirm it."
        ),
        para(CHECK, subtle=True),
    ]
    command = f"good practice {notice.area}"
    actions = [execute("See it and confirm", Verb.COMMAND_RUN, {"command": command}, style="positive")]
    return card(body, actions, fallback_text=f"Good practice to confirm: case {notice.case}")


def evidence_summary(period: str, headline: Sequence[tuple[str, str]], url: str | None, link_days: int) -> CardDict:
    body: list[CardElement] = [heading(f"Inspection evidence pack: {period}"), facts(list(headline))]
    body.append(
        para(
            "The pack has the audits against plan, grades by area and cohort, moderation agreement with its "
            "confidence interval and grid, actions, immediate concerns, the confirmed examples of good practice "
            f"and the learning themes, ready to print. Its link works for {link_days} days, for you only: it is "
            "checked against your roles each time it opens. * marks a small number (fewer than 5).",
            subtle=True,
        )
    )
    actions = [OpenUrlAction(title="Open the evidence pack", url=url)] if url else []
    return card(body, actions, fallback_text=f"Inspection evidence pack: {period}")
