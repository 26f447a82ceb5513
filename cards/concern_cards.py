"""The cards of an immediate concern: the box on every page of every form that raises one, the urgent
card to the managers with "I'm dealing with this", the word to the person who raised it, and `concerns`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from microsoft_teams.cards import Container, TextInput, ToggleInput
from microsoft_teams.cards.core import Action, CardElement

from cards.base import CardDict, action_row, as_written, card, execute, facts, heading, para, toggled
from cards.registry import CardContext, builds
from plf_core.card_actions import Verb
from plf_core.concern_commands import ConcernList
from plf_core.concern_notices import LEVELS, TOP_LEVEL, ConcernAcknowledged, ConcernNotReached, ImmediateConcern
from plf_core.concern_ports import ConcernBox, ConcernRow
from plf_core.concerns import (
    AT_RISK,
    FAMILY,
    MAX_TEXT,
    TEXT,
    ConcernScreen,
    local,
    raised_by,
    raised_by_family,
    where_raised,
)

BOX_ID = "immediate_concern"
DANGER = "If a child is in immediate danger, call the police on 999 now."
LISTED_TEXT = 160


def concern_box(data: Mapping[str, object], box: ConcernBox | None) -> list[CardElement]:
    """ "Raise an immediate concern": hidden until pressed (open again after a refusal, with what was typed)."""
    box = box or ConcernBox()
    refused = box.error is not None
    items: list[CardElement] = [
        para(
            "Found something that means a child may not be safe? Tell the case's managers now: this goes at once, "
            "day or night, to its Practice Lead and Service Manager. Raising it neither saves nor clears this page.",
        ),
        para(DANGER, subtle=True),
        TextInput(
            id=TEXT,
            label="What is the concern? (required)",
            is_multiline=True,
            max_length=MAX_TEXT,
            value=box.text if refused else None,
            placeholder="What you found, where in the file, and what you have done so far",
        ),
        ToggleInput(
            id=AT_RISK,
            title="The child may be at risk now",
            value="true" if refused and box.at_risk else "false",
            value_on="true",
            value_off="false",
        ),
    ]
    if refused:
        items.append(para(str(box.error), color="Attention"))
    items.append(action_row([execute("Raise the concern", Verb.CONCERN_RAISE, data, style="destructive")]))
    return toggled(BOX_ID, "Raise an immediate concern", items, shown=refused, style="attention")


BY_THE_CLOCK = (
    "Families answer in the evening and at weekends, so this goes up the line by the clock, not office hours."
)


def _what_next(level: int, family: bool = False) -> str:
    then = (
        f"Until someone does, it goes on to {LEVELS[level + 1]}."
        if level + 1 in LEVELS and level < TOP_LEVEL
        else "Nobody further is sent it: please take it on."
    )
    told = "" if family else " and the person who raised it is told"
    return (
        f'Press "I\'m dealing with this" when you take it on: it is recorded as yours{told}. If someone already '
        f"has it, pressing tells you who. {then}"
    )


def _raised_by(notice: ImmediateConcern) -> str:
    return f"Raised by {notice.raised_by} at {notice.raised_at}, from {notice.where}."


def immediate_concern(notice: ImmediateConcern) -> CardDict:
    """Urgent, to each person the concern has reached: who raised it, the case, the concern, and the button."""
    about = f"case {notice.case}" if notice.case else notice.where
    header: list[CardElement] = [heading(f"Immediate concern: {about}", size="Large"), para(_raised_by(notice))]
    if notice.at_risk and notice.raised_by in FAMILY:
        header.append(para(BY_THE_CLOCK))
    elif notice.at_risk:
        header.append(para("They say the child may be at risk now.", bold=True))
    body: list[CardElement] = [Container(style="attention", items=header)]
    if notice.reason:
        body.append(para(f"It has come to you because {notice.reason}.", color="Attention"))
    body += [
        Container(items=[para(as_written(notice.description))], style="emphasis"),
        facts([("Team", notice.team or "—"), ("Case", notice.case or "—")]),
        para(_what_next(notice.level, notice.raised_by in FAMILY), subtle=True),
    ]
    actions: list[Action] = [execute("I'm dealing with this", Verb.CONCERN_ACK, {"concern": notice.concern_id})]
    if notice.audit_id:
        actions.append(execute("Open the audit (read-only)", Verb.AUDIT_VIEW, {"audit": notice.audit_id}))
    return card(body, actions, fallback_text=f"Immediate concern: {about}")


@builds(ImmediateConcern)
def _immediate(notice: ImmediateConcern, context: CardContext) -> CardDict:
    return immediate_concern(notice)


@builds(ConcernNotReached)
def _not_reached(notice: ConcernNotReached, context: CardContext) -> CardDict:
    about = f"case {notice.case}" if notice.case else f"concern {notice.concern_id}"
    return card(
        [
            Container(
                style="attention",
                items=[
                    heading(f"Your concern about {about} could not be delivered"),
                    para(
                        "Nobody it was meant for could be reached in Teams, so the QA team have it now. If a child may "
                        "be at risk, phone the case's manager or the duty manager as well.",
                        bold=True,
                    ),
                ],
            ),
            para(f"The concern you {notice.raised}.", subtle=True),
            para(DANGER, subtle=True),
        ],
        fallback_text=f"Your concern about {about} could not be delivered",
    )


@builds(ConcernAcknowledged)
def _acknowledged(notice: ConcernAcknowledged, context: CardContext) -> CardDict:
    return concern_acknowledged(notice)


def concern_acknowledged(notice: ConcernAcknowledged) -> CardDict:
    about = f"case {notice.case}" if notice.case else f"concern {notice.concern_id}"
    return card(
        [
            heading(f"Your concern about {about} is being dealt with"),
            para(f"{notice.by} has it, since {notice.at}."),
            *([para(f"The concern you {notice.raised}.", subtle=True)] if notice.raised else []),
            para("Talk to them about anything new; nothing else is needed from you here.", subtle=True),
        ],
        fallback_text=f"{notice.by} has your concern about {about}",
    )


def _state(row: ConcernRow, now: datetime | None, zone: ZoneInfo) -> str:
    if row.acknowledged_at is not None:
        took = _duration(row.acknowledged_at - row.raised_at)
        return f"{row.acknowledged_by_name or 'Someone'} has it (acknowledged after {took})"
    waiting = f", open for {_duration(now - row.raised_at)}" if now is not None else ""
    then = f"; to {LEVELS[row.level + 1]} at {local(row.next_escalation_at, zone)}" if row.next_escalation_at else ""
    return f"Nobody has it yet: sent to {LEVELS.get(row.level, 'the managers')}{waiting}{then}"


def _at_risk(row: ConcernRow) -> list[CardElement]:
    if row.at_risk_now and raised_by_family(row):
        return [para(BY_THE_CLOCK)]
    return [para("The person who raised it says the child may be at risk now.", bold=True)] if row.at_risk_now else []


def _duration(span: timedelta) -> str:
    minutes = max(0, int(span.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours < 48 else f"{hours // 24} days"


def concern_screen(screen: ConcernScreen) -> CardDict:
    row = screen.concern
    where = where_raised(row)
    about = f"case {row.case_ref}" if row.case_ref else where
    body: list[CardElement] = [
        heading(f"Immediate concern: {about}"),
        para(f"Raised by {raised_by(row)} at {local(row.raised_at, screen.zone)}, from {where_raised(row)}."),
        *_at_risk(row),
        Container(items=[para(as_written(row.description))], style="emphasis"),
        para(_state(row, None, screen.zone), bold=True),
        para(screen.note, color="Good" if screen.mine else "Accent"),
    ]
    actions: list[Action] = []
    if row.audit_id:
        actions.append(execute("Open the audit (read-only)", Verb.AUDIT_VIEW, {"audit": row.audit_id}))
    return card(body, actions, fallback_text=f"Immediate concern: {about}")


def _about(row: ConcernRow) -> str:
    return f"Case {row.case_ref}" if row.case_ref else where_raised(row)


def concern_list(screen: ConcernList) -> CardDict:
    rows = screen.rows
    open_ones = [r for r in rows if r.acknowledged_at is None]
    body: list[CardElement] = [
        heading(f"Immediate concerns: {screen.scope}"),
        *([para(screen.note, color="Good")] if screen.note else []),
        para(
            f"{len(rows)} raised in the last {screen.days} days; {len(open_ones)} waiting for someone to take "
            f"{'it' if len(open_ones) == 1 else 'them'} on."
            if rows
            else f"None raised in the last {screen.days} days."
        ),
        *([para(f"Only the latest {len(rows)} are shown here.", subtle=True)] if screen.more else []),
    ]
    for row in rows:
        text = " ".join(as_written(row.description).split())
        shown = text if len(text) <= LISTED_TEXT else text[: LISTED_TEXT - 1] + "…"
        items: list[CardElement] = [
            para(
                f"{'Case ' + row.case_ref if row.case_ref else where_raised(row)} · {row.team_name or row.area_name}",
                bold=True,
            ),
            para(f"{local(row.raised_at, screen.zone)} by {raised_by(row)}: {shown}"),
            *_at_risk(row),
            para(_state(row, screen.now, screen.zone), color="Attention" if row.acknowledged_at is None else None),
        ]
        if row.acknowledged_at is None:
            take = {"concern": row.concern_id, "from": "list"}
            items.append(action_row([execute("I'm dealing with this", Verb.CONCERN_ACK, take)]))
        body.append(Container(items=items, separator=True))
    return card(body, fallback_text=f"Immediate concerns: {len(open_ones)} open")
