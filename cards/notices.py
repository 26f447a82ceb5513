"""The notices the product sends: each says what is asked, by when, and opens the thing itself.

Notices show case ids (Azeus numbers), never a child's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from microsoft_teams.cards import Container, Image, OpenUrlAction, TextInput
from microsoft_teams.cards.core import Action, CardElement

from cards.base import CardDict, action_row, card, execute, facts, heading, para
from plf_core.card_actions import Verb
from plf_core.delivery import waits_for_install
from plf_core.notices import DipAction
from plf_core.periods import staff_date
from plf_core.vocabulary import GRADE_LABELS, Grade

MAX_LISTED = 25
STOP_REMINDERS = (
    "To pause a reminder, use Snooze. Reminders stop by themselves once the work is done. "
    "If you think this reached you by mistake, tell the QA team."
)


def when(day: date) -> str:
    return staff_date(day)


@dataclass(frozen=True)
class DueItem:
    """One thing due: what, about which case, by when, and which audit opens it."""

    what: str
    case_ref: str
    due: date
    audit_id: int
    overdue: bool = False


def _items(items: Sequence[DueItem], verb: Verb = Verb.AUDIT_OPEN) -> list[CardElement]:
    body: list[CardElement] = []
    for item in items[:MAX_LISTED]:
        flag = " — overdue" if item.overdue else ""
        body.append(
            Container(
                separator=True,
                items=[
                    para(f"{item.what}: case {item.case_ref}", bold=True),
                    para(f"Due {when(item.due)}{flag}", color="Attention" if item.overdue else None),
                    action_row([execute("Open", verb, {"audit": item.audit_id})]),
                ],
            )
        )
    if len(items) > MAX_LISTED:
        body.append(
            para(
                f"…and {len(items) - MAX_LISTED} more: type 'my audits' to see them all.",
                subtle=True,
            )
        )
    return body


def reminder_digest(person_name: str, items: Sequence[DueItem], digest_key: str) -> CardDict:
    """One card a day listing everything due for one person."""
    first = min((i.due for i in items), default=None)
    body: list[CardElement] = [
        heading("Your Practice Learning reminders"),
        para(
            (f"Hello {person_name}. " if person_name else "")
            + f"You have {len(items)} item(s) to complete"
            + (f"; the first is due {when(first)}." if first else ".")
        ),
        *_items(items),
        para(STOP_REMINDERS, subtle=True),
    ]
    snooze = [
        execute(title, Verb.REMINDER_SNOOZE, {"digest": digest_key, "days": days})
        for title, days in (("Snooze 1 day", 1), ("Snooze 3 days", 3), ("Until Monday", 0))
    ]
    return card(body, snooze, fallback_text=f"{len(items)} Practice Learning item(s) due")


@dataclass(frozen=True)
class OutstandingRow:
    case_ref: str
    practitioner: str
    team: str
    status: str
    due: date
    audit_id: int


def outstanding_list(scope: str, due: date, rows: Sequence[OutstandingRow]) -> CardDict:
    """The week before reviews are due: what is outstanding in a manager's own scope."""
    body: list[CardElement] = [
        heading(f"Outstanding Practice Learning Reviews — {scope}"),
        para(f"These reviews are due on {when(due)}. Please follow them up with your team before then."),
    ]
    for row in rows[:MAX_LISTED]:
        body.append(
            Container(
                separator=True,
                items=[
                    facts(
                        [
                            ("Case", row.case_ref),
                            ("Practitioner", row.practitioner),
                            ("Team", row.team),
                            ("Status", row.status),
                            ("Due", when(row.due)),
                        ]
                    ),
                    action_row([execute("Open", Verb.AUDIT_VIEW, {"audit": row.audit_id})]),
                ],
            )
        )
    if len(rows) > MAX_LISTED:
        body.append(para(f"…and {len(rows) - MAX_LISTED} more: type 'status' for the full list.", subtle=True))
    body.append(para(STOP_REMINDERS, subtle=True))
    return card(body, fallback_text=f"{len(rows)} outstanding review(s) in {scope}")


def slt_escalation(
    period: str,
    overdue_reviews: Sequence[OutstandingRow],
    overdue_moderations: int,
    unconfirmed_actions: int,
    quota_missing: str = "",
    after: str = "",
) -> CardDict:
    """After the due date (`after`: the configured delay, in words): outstanding reviews and moderations,
    and a new cycle with none of its audits drawn, to SLT."""
    what = "Practice Learning Reviews outstanding" if overdue_reviews else "reviews and moderations"
    rows = [
        ("Reviews outstanding", str(len(overdue_reviews))),
        ("Moderations outstanding", str(overdue_moderations)),
        ("Actions not confirmed", str(unconfirmed_actions)),
    ]
    if quota_missing:
        rows.append((f"Audits drawn for {quota_missing}", "none yet"))
    body: list[CardElement] = [
        heading(f"Escalation: {what} — {period}", size="Large"),
        para(
            f"The framework asks SLT to be told {after} after reviews are due (section 13)."
            if after
            else "The framework asks SLT to be told of reviews still outstanding after they are due (section 13)."
        ),
        facts(rows),
    ]
    for row in overdue_reviews[:MAX_LISTED]:
        body.append(
            Container(
                separator=True,
                items=[
                    para(f"Case {row.case_ref} — {row.team}, due {when(row.due)}", bold=True),
                    action_row([execute("Open", Verb.AUDIT_VIEW, {"audit": row.audit_id})]),
                ],
            )
        )
    body.append(para("Please follow these up with the Heads of Service concerned.", subtle=True))
    return card(
        body,
        [execute("Show status", Verb.COMMAND_RUN, {"command": "status"})],
        fallback_text=f"Escalation: {len(overdue_reviews)} review(s) outstanding",
    )


@dataclass(frozen=True)
class RedAlert:
    audit_id: int
    case_ref: str
    team: str
    graded_by: str
    grade_source: str  # "practitioner" or "manager"
    pim_due: date
    graders: str = ""  # each source with who gave it; "" in alerts written before it was recorded


def red_alert(alert: RedAlert) -> CardDict:
    """A Red (Inadequate) grade: at once to the Service Manager and Head of Service."""
    body: list[CardElement] = [
        Container(
            style="attention",
            items=[
                heading(f"Red — Inadequate: case {alert.case_ref}", size="Large"),
                para(
                    f"An audit of this case in {alert.team} has been graded {GRADE_LABELS[Grade.RED]} by "
                    + (alert.graders or f"the {alert.grade_source}")
                    + "."
                ),
            ],
        ),
        para(
            f"What is asked: read the audit, and hold a Practice Improvement Meeting by "
            f"{when(alert.pim_due)} (framework Appendix 1)."
        ),
    ]
    return card(
        body,
        [execute("Open the audit (read-only)", Verb.AUDIT_VIEW, {"audit": alert.audit_id})],
        fallback_text=f"Red audit: case {alert.case_ref}",
    )


def moderation_request(audit_id: int, case_ref: str, team: str, reason: str, due: date) -> CardDict:
    body: list[CardElement] = [
        heading(f"Please moderate the audit of case {case_ref}"),
        para(f"Why you: {reason}."),
        facts([("Team", team), ("Moderate by", when(due))]),
        para(
            "Grade each section and the whole; where your grade differs, give your reason. Your grade "
            "becomes the audit's final grade and both grades are kept.",
            subtle=True,
        ),
    ]
    return card(
        body,
        [execute("Start moderating", Verb.MODERATION_OPEN, {"audit": audit_id}, style="positive")],
        fallback_text=f"Moderation request: case {case_ref}",
    )


def pim_request(pim_audit_id: int, case_ref: str, team: str, due: date) -> CardDict:
    body: list[CardElement] = [
        heading(f"Practice Improvement Meeting needed: case {case_ref}"),
        para(
            f"An audit of case {case_ref} ({team}) was graded Red — Inadequate. Please hold a Practice "
            f"Improvement Meeting by {when(due)} and record it."
        ),
    ]
    return card(
        body,
        [execute("Open the PIM record", Verb.AUDIT_OPEN, {"audit": pim_audit_id}, style="positive")],
        fallback_text=f"PIM needed: case {case_ref}",
    )


@dataclass(frozen=True)
class ActionLine:
    text: str
    who: str
    deadline: date | None


def action_follow_up(
    audit_id: int, case_ref: str, actions: Sequence[ActionLine], number: int, reply_by: date
) -> CardDict:
    """Three (then five) weeks after moderation: are the actions done? Done / Not yet (reason)."""
    body: list[CardElement] = [
        heading(f"Are the actions for case {case_ref} completed?" + (" (second follow-up)" if number > 1 else "")),
        para(f"Please confirm by {when(reply_by)}. If nobody confirms, the audit is escalated to SLT."),
    ]
    for i, action in enumerate(actions[:10], 1):
        deadline = f", by {when(action.deadline)}" if action.deadline else ""
        body.append(para(f"{i}. {action.text} — {action.who}{deadline}"))
    body.append(
        TextInput(
            id="not_yet_reason",
            label="If not yet: what is still to do, and why?",
            is_multiline=True,
            max_length=1000,
            error_message="The reason may be at most 1,000 characters",
        )
    )
    data = {"audit": audit_id, "followup": number}
    return card(
        body,
        [
            execute("Actions completed", Verb.ACTIONS_DONE, data, style="positive"),
            execute("Not yet", Verb.ACTIONS_NOT_YET, data),
            execute("Open the audit", Verb.AUDIT_VIEW, {"audit": audit_id}),
        ],
        fallback_text=f"Follow-up: actions for case {case_ref}",
    )


def data_request(cycle: str, starts: date, send_by: date, criteria: Sequence[str]) -> CardDict:
    body: list[CardElement] = [
        heading(f"Data request for the {cycle} audit cycle"),
        para(
            f"The QA service needs case data for the cycle that starts {when(starts)}: current to six months "
            f"back, as a CSV of cases (no names). Please send it by {when(send_by)} (section 11)."
        ),
        *[para(f"• {c}") for c in criteria],
    ]
    return card(
        body,
        [execute("Mark as sent", Verb.DATA_REQUEST_SENT, {"cycle": cycle}, style="positive")],
        fallback_text=f"Data request for {cycle}",
    )


def dip_sample_actions(dip_id: int, theme: str, actions: Sequence[DipAction], agree_by: date) -> CardDict:
    body: list[CardElement] = [
        heading(f"Dip sample: {theme}"),
        para(f"Please agree these actions by {when(agree_by)} (section 15)."),
    ]
    for i, action in enumerate(actions[:10], 1):
        by = f", by {when(action.by)}" if action.by else ""
        rag = f" [{action.rag.upper()}]" if action.rag else ""
        body.append(para(f"{i}. {action.text} — {action.who}{by}{rag}"))
    data = {"dip_sample": dip_id}
    return card(
        body,
        [
            execute("Agree the actions", Verb.DIP_AGREE, data, style="positive"),
            execute("Open the dip sample", Verb.DIP_OPEN, data),
        ],
        fallback_text=f"Dip sample actions: {theme}",
    )


@dataclass(frozen=True)
class FailedDelivery:
    outbox_id: int
    person: str
    kind: str
    reason: str
    urgent: bool = False


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def delivery_failures(failures: Sequence[FailedDelivery], unreachable: Sequence[str]) -> CardDict:
    """For QA, once a working day: what could not be delivered, by person, the urgent first."""
    shown = list(failures[:MAX_LISTED])
    urgent = sum(f.urgent for f in failures)
    body: list[CardElement] = [
        heading("Messages that could not be delivered"),
        para(
            f"{len(failures)} message(s) to {_people(len({f.person for f in failures}))} did not arrive"
            + (f", {urgent} of them urgent" if urgent else "")
            + ". Ask each person to open the bot in Teams (or reinstall it), then retry.",
        ),
    ]
    people = list(dict.fromkeys(f.person for f in shown))  # in order: whoever has an urgent message first
    for person in people:
        theirs = [f for f in shown if f.person == person]
        items: list[CardElement] = [
            para(person + (" (the bot cannot reach them)" if person in unreachable else ""), bold=True)
        ]
        alike: dict[tuple[bool, str, str], int] = {}  # the same message failing the same way: one line
        for failure in theirs:
            key = failure.urgent, failure.kind, failure.reason[:160]
            alike[key] = alike.get(key, 0) + 1
        for (pressing, kind, reason), times in alike.items():
            label = ("Urgent: " if pressing else "") + kind + (f" (×{times})" if times > 1 else "")
            if waits_for_install(reason):
                reason = "has not installed the bot yet; it goes as soon as they do"
            items.append(para(f"{label}: {reason}", subtle=not pressing, color="Attention" if pressing else None))
        ids = [f.outbox_id for f in theirs if not waits_for_install(f.reason)]
        if ids:
            data = {"outbox": ids[0]} if len(ids) == 1 else {"outboxes": ids}
            items.append(action_row([execute("Retry", Verb.OUTBOX_RETRY, data)]))
        body.append(Container(separator=True, items=items))
    if len(failures) > len(shown):
        body.append(para(f"And {len(failures) - len(shown)} more: type 'outbox' to see them all.", subtle=True))
    actions: list[Action] = [execute("Open the outbox", Verb.COMMAND_RUN, {"command": "outbox"})]
    return card(body, actions, fallback_text=f"{len(failures)} message(s) not delivered")


def outcomes_chart(case_ref: str, image_url: str, expires: date) -> CardDict:
    """After an audit: the child's outcomes chart, for the practitioner to use with the child."""
    return card(
        [
            heading(f"Outcomes chart: case {case_ref}"),
            para(
                "Your scales, the child's own ratings and the manager's overall scale, with the case's earlier "
                "audit drawn faintly where there is one. You may find it useful to go through it with the child."
            ),
            Image(url=image_url, alt_text=f"Outcomes chart for case {case_ref}", size="Stretch"),
            para(f"The picture's link works until {when(expires)}.", subtle=True),
        ],
        [OpenUrlAction(title="Open the chart", url=image_url)],
        fallback_text=f"Outcomes chart for case {case_ref}",
    )
