"""Cards of the audit workflow around the form pages: lists, start, submitted, final, errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from microsoft_teams.cards import Container
from microsoft_teams.cards.core import Action, CardElement

from cards.base import CardDict, action_row, card, execute, facts, heading, para, say
from cards.notices import when
from plf_core.card_actions import Verb
from plf_core.vocabulary import GRADE_LABELS, Grade


@dataclass(frozen=True)
class AuditLine:
    audit_id: int
    form_title: str
    case_ref: str
    role: str  # "practitioner", "second person", "manager", "chair"
    status: str
    due: date | None


def audit_list(lines: Sequence[AuditLine], total: int | None = None, moderations: Sequence[AuditLine] = ()) -> CardDict:
    body: list[CardElement] = [heading("Your open audits")]
    if not lines:
        body.append(para("You have no open audits. When QA assigns one, it will arrive here."))
    for line in lines:
        due = f"due {when(line.due)}" if line.due else "no due date"
        body.append(
            Container(
                separator=True,
                items=[
                    para(f"{line.form_title}: case {line.case_ref}", bold=True),
                    para(f"You are the {line.role} · {line.status} · {due}", subtle=True),
                    action_row([execute("Continue", Verb.AUDIT_OPEN, {"audit": line.audit_id}, style="positive")]),
                ],
            )
        )
    if total is not None and total > len(lines):
        body.append(para(f"Showing {len(lines)} of {total}: the earliest due first.", subtle=True))
    if moderations:
        body.append(heading("Audits you are asked to moderate", size="Default"))
    for line in moderations:
        body.append(
            Container(
                separator=True,
                items=[
                    para(f"{line.form_title}: case {line.case_ref}", bold=True),
                    action_row([execute("Moderate", Verb.MODERATION_OPEN, {"audit": line.audit_id}, style="positive")]),
                ],
            )
        )
    return card(body, fallback_text=f"{len(lines)} open audit(s)")


def audit_assigned(
    audit_id: int, case_ref: str, team: str, due: date | None, reader: str = "", other: str = ""
) -> CardDict:
    """The start card, worded for its reader: the practitioner, or the second person (their Practice Lead)."""
    due_text = f"by {when(due)}" if due else "this cycle"
    if reader == "second":
        worker = other or "the social worker"
        what = (
            f"A case from {team} has been selected for a Practice Learning Conversation with {worker}, "
            f"due {due_text}. {worker[0].upper()}{worker[1:]} completes the practitioner's part first; you will get "
            "a card when it is ready for your sections. You can open it with Start at any time."
        )
    else:
        lead = f"{other} (your Practice Lead)" if other else "your Practice Lead (or a Practice Learning Reviewer)"
        what = (
            f"A case from {team} has been selected for a Practice Learning Conversation. Please complete it "
            f"with {lead} {due_text}. It takes about 1.5-2 hours; you can save and come back at any time."
        )
    body: list[CardElement] = [
        heading(f"New Practice Learning Conversation: case {case_ref}"),
        para(what),
        facts([("Case", case_ref), ("Due", when(due) if due else "—")]),
    ]
    return card(
        body,
        [execute("Start", Verb.AUDIT_OPEN, {"audit": audit_id}, style="positive")],
        fallback_text=f"New Practice Learning Conversation: case {case_ref}",
    )


def audit_ready(audit_id: int, case_ref: str, done_by: str, sections: str) -> CardDict:
    """To the next contributor (a Practice Lead, say): the practitioner's part is done, theirs is next."""
    body: list[CardElement] = [
        heading(f"Ready for you: case {case_ref}"),
        para(f"{done_by} has completed their part of this audit. Please complete yours: {sections}."),
        para("You can save and come back at any time; nothing is lost.", subtle=True),
    ]
    return card(
        body,
        [execute("Continue", Verb.AUDIT_OPEN, {"audit": audit_id}, style="positive")],
        fallback_text=f"Ready for you: case {case_ref}",
    )


def submitted(
    audit_id: int,
    case_ref: str,
    form_title: str,
    red_by: Sequence[str],
    pim_due: date | None,
    repeated: bool,
    actions: int = 0,
) -> CardDict:
    body: list[CardElement] = [heading(f"Submitted: {form_title}, case {case_ref}")]
    if repeated:
        body.append(para("This audit was already submitted; nothing has changed.", subtle=True))
    followed = (
        f"its {actions} action(s) have been sent to their owners, each with Done; the bot reminds them before "
        "each deadline and tells the Practice Lead of any overdue."
        if actions
        else "the actions will be followed up in supervision."
    )
    body.append(
        para(f"Thank you. The final audit will be sent to the practitioner and the Practice Lead, and {followed}")
    )
    if red_by:
        pim = f" A Practice Improvement Meeting is to be held by {when(pim_due)}." if pim_due else ""
        body.append(
            Container(
                style="attention",
                items=[
                    para(
                        f"Graded Red — Inadequate (by the {' and '.join(red_by)}): the Service Manager and "
                        f"Head of Service have been alerted.{pim}",
                        bold=True,
                    )
                ],
            )
        )
    ask: list[Action] = []
    if case_ref not in ("", "—"):  # a supervision review has no family to ask
        why = "their answers show on the case's next audit"
        body.append(
            para(
                "How did the family find our help? 'Ask for feedback' makes a one-time link and QR code for the "
                f"child or young person, or a parent or carer; {why}.",
                subtle=True,
            )
        )
        ask.append(execute("Ask for feedback", Verb.COMMAND_RUN, {"command": f"feedback {case_ref}"}))
    return card(
        body,
        [execute("View the audit", Verb.AUDIT_VIEW, {"audit": audit_id}), *ask],
        fallback_text=f"Submitted: case {case_ref}",
    )


def final_audit(audit_id: int, case_ref: str, form_title: str, grade: str) -> CardDict:
    shown = GRADE_LABELS[Grade(grade)] if grade in {g.value for g in Grade} else "not graded"
    body: list[CardElement] = [
        heading(f"Final audit: {form_title}, case {case_ref}"),
        para(
            f"The audit has been submitted with the grade {shown}. Please discuss it and follow its actions up "
            "in supervision."
        ),
    ]
    actions: list[Action] = [execute("Open the audit", Verb.AUDIT_VIEW, {"audit": audit_id})]
    if case_ref not in ("", "—"):
        actions.append(execute("Ask for feedback", Verb.COMMAND_RUN, {"command": f"feedback {case_ref}"}))
    return card(body, actions, fallback_text=f"Final audit: case {case_ref}")


def problem(message: str, incident: str | None = None, what_next: str | None = None) -> CardDict:
    """What went wrong, in words, and what to do; an incident id to quote when it was our fault."""
    body: list[CardElement] = [heading("That did not work", size="Default"), para(message)]
    if what_next:
        body.append(para(what_next, subtle=True))
    if incident:
        body.append(para(f"Incident {incident}: quote it to the QA team if this happens again.", subtle=True))
    actions = [execute("My audits", Verb.COMMAND_RUN, {"command": "my audits"}), say("Help", "help")]
    return card(body, actions, fallback_text=message)


def text_card(title: str, lines: Sequence[str]) -> CardDict:
    return card([heading(title), *[para(line) for line in lines]], fallback_text=title)
