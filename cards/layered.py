"""Cards of the layered audit: sample and moderation previews, the moderation form, its outcome,
and the agreement figures. Case ids only, never a child's name."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from microsoft_teams.cards import Choice, ChoiceSetInput, Container, TextInput
from microsoft_teams.cards.core import CardElement

from cards.base import MAX_CARD_BYTES, CardDict, action_row, card, execute, facts, heading, para
from cards.notices import STOP_REMINDERS, when
from plf_core.card_actions import Verb
from plf_core.moderation import GRADES, Agreement, Coefficient
from plf_core.vocabulary import GRADE_LABELS, GRADE_ORDER, Grade

MAX_LINES = 30


@dataclass(frozen=True)
class SampleSummary:
    title: str
    command: str  # what the Create button runs
    rows: Sequence[tuple[str, str]]
    strata: Mapping[str, int]
    problems: Sequence[str]
    count: int
    note: str | None = None
    chosen: Sequence[tuple[str, str, str]] = ()  # (case id, team, practitioner)
    chosen_title: str = "The cases chosen"


MAX_CHOSEN = 60  # listed on the preview; the rest are counted (the card stays well under Teams' limit)


def sample_preview(summary: SampleSummary, what: str) -> CardDict:
    """A draw or a moderation choice, before anything is created: Create runs it for real."""
    body: list[CardElement] = [heading(summary.title)]
    if summary.note:
        body.append(para(summary.note, color="Accent", bold=True))
    body.append(facts(list(summary.rows)))
    if summary.strata:
        lines = [f"{name}: {count}" for name, count in list(summary.strata.items())[:MAX_LINES]]
        if len(summary.strata) > MAX_LINES:
            lines.append(f"… and {len(summary.strata) - MAX_LINES} more")
        body += [para("By group", bold=True), para("\n\n".join(lines))]
    if summary.chosen:
        shown = [f"{case} · {team} · {who}" for case, team, who in summary.chosen[:MAX_CHOSEN]]
        if len(summary.chosen) > MAX_CHOSEN:
            shown.append(f"… and {len(summary.chosen) - MAX_CHOSEN} more")
        body += [para(summary.chosen_title, bold=True), para("\n\n".join(shown))]
    if summary.problems:
        body += [para("Please note", bold=True, color="Warning")]
        body += [para(p, color="Warning") for p in summary.problems[:MAX_LINES]]
    body.append(para("Nothing is created until you press the button below.", subtle=True))
    actions = []
    if summary.count:
        actions.append(
            execute(f"Create {summary.count} {what}", Verb.COMMAND_RUN, {"command": summary.command}, style="positive")
        )
    return card(body, actions, fallback_text=summary.title)


@dataclass(frozen=True)
class ModerationSection:
    section: str
    label: str
    original: Grade | None


def moderation_form(
    audit_id: int,
    case_ref: str,
    subtitle: str,
    sections: Sequence[ModerationSection],
    values: Mapping[str, object],
    errors: Mapping[str, str],
    note: str | None,
    guidance: Mapping[str, str] | None = None,
) -> CardDict:
    """The moderator grades each section and the whole; a changed grade needs a reason. Each grade
    option carries what it means on the audit's form (`guidance`, by grade value)."""
    body: list[CardElement] = [heading(f"Moderation — case {case_ref}"), para(subtitle, subtle=True)]
    if note:
        body.append(para(note, color="Attention" if errors else "Accent", bold=True))
    body.append(
        para(
            "Grade each section and the whole. Where your grade differs from the one given, say why: the "
            "practitioner and Practice Lead will see your reasons. Your grade becomes the final grade; both are kept.",
            subtle=True,
        )
    )
    body += [_moderated_section(s, values, errors, guidance or {}) for s in sections]
    body.append(
        Container(
            separator=True,
            items=[
                TextInput(
                    id="M_actions",
                    label="Actions needed to lift the grade (one per line)",
                    value=_text(values.get("M_actions")),
                    is_multiline=True,
                    max_length=10_000,
                ),
                *([para(errors["M_actions"], color="Attention")] if "M_actions" in errors else []),
            ],
        )
    )
    data = {"audit": audit_id}
    return card(
        body,
        [
            execute("Read the audit", Verb.AUDIT_VIEW, data),
            execute("Save", Verb.MODERATION_SAVE, data),
            execute("Submit moderation", Verb.MODERATION_SUBMIT, data, style="positive"),
        ],
        fallback_text=f"Moderation of case {case_ref}",
    )


def _moderated_section(
    s: ModerationSection, values: Mapping[str, object], errors: Mapping[str, str], guidance: Mapping[str, str]
) -> Container:
    """One section to grade again: the grade it had, the moderator's grade and reason, and any problem."""
    grade_key, reason_key = f"M_{s.section}_grade", f"M_{s.section}_reason"
    given = GRADE_LABELS[s.original] if s.original else "not graded"
    choices = [
        Choice(
            title=f"{GRADE_LABELS[g]}: {guidance[g.value]}" if g.value in guidance else GRADE_LABELS[g], value=g.value
        )
        for g in GRADE_ORDER
    ]
    grade = ChoiceSetInput(
        id=grade_key,
        label="Your grade",
        value=_text(values.get(grade_key)),
        style="expanded",
        choices=choices,
        wrap=True,
    )
    items: list[CardElement] = [para(s.label, bold=True), para(f"The auditor's grade: {given}", bold=True), grade]
    if grade_key in errors:
        items.append(para(errors[grade_key], color="Attention"))
    items.append(
        TextInput(
            id=reason_key,
            label="Your reason (needed where your grade differs)",
            value=_text(values.get(reason_key)),
            is_multiline=True,
            max_length=2000,
        )
    )
    if reason_key in errors:
        items.append(para(errors[reason_key], color="Attention"))
    return Container(items=items, separator=True)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _grade(value: str) -> str:
    return GRADE_LABELS[Grade(value)] if value in {g.value for g in Grade} else "not graded"


def moderation_outcome(
    audit_id: int,
    case_ref: str,
    original: str,
    moderated: str,
    sections: Sequence[Sequence[str]],
    actions: Sequence[str],
    *,
    for_moderator: bool = False,
    repeated: bool = False,
) -> CardDict:
    """What the moderator decided, with reasons (line 475), and the actions to lift the grade."""
    title = "Moderation recorded" if for_moderator else f"Your audit of case {case_ref} has been moderated"
    body: list[CardElement] = [heading(title)]
    if repeated:
        body.append(para("This moderation was already completed; nothing was changed.", color="Accent"))
    changed = original != moderated
    body.append(
        para(
            f"Final grade: {_grade(moderated)}"
            + (f" (was {_grade(original)})" if changed and original else " (unchanged)" if original else ""),
            bold=True,
        )
    )
    for label, given, graded, reason in sections:
        line = f"{label}: {_grade(graded)}" + (f", was {_grade(given)}" if given and given != graded else "")
        items: list[CardElement] = [para(line)]
        if reason:
            items.append(para(f"Reason: {reason}", subtle=True))
        body.append(Container(items=items, separator=True))
    if actions:
        body += [para("Actions to lift the grade", bold=True), para("\n\n".join(f"- {a}" for a in actions))]
    return card(
        body,
        [execute("Open the audit (read-only)", Verb.AUDIT_VIEW, {"audit": audit_id})],
        fallback_text=f"Moderation of case {case_ref}: {_grade(moderated)}",
    )


def _coefficient(c: Coefficient | None) -> str:
    return "not defined (one grade only)" if c is None else f"{c.value:.2f} (95% CI {c.low:.2f} to {c.high:.2f})"


def _summary(a: Agreement) -> str:
    if a.n == 0:
        return "no moderations"
    small = " · small number" if a.small else ""
    return (
        f"{a.n} moderated · exact {a.exact_pct:.0f}% · within one {a.within_one_pct:.0f}% · "
        f"up {a.moved_up_pct:.0f}% · down {a.moved_down_pct:.0f}% · kappa "
        f"{'—' if a.kappa is None else f'{a.kappa.value:.2f}'}{small}"
    )


def agreement_card(
    period: str, overall: Agreement, dimension: str | None, breakdown: Mapping[str, Agreement]
) -> CardDict:
    body: list[CardElement] = [heading(f"Moderation agreement — {period}")]
    if overall.n == 0:
        body.append(para("No moderations were completed in this period."))
        return card(body, fallback_text="No moderations in this period")
    rows = [
        ("Audits moderated", f"{overall.n}" + (" (small number: fewer than 5)" if overall.small else "")),
        ("Exact agreement", f"{overall.exact_pct:.1f}%"),
        ("Within one grade", f"{overall.within_one_pct:.1f}%"),
        ("Moved up by the moderator", f"{overall.moved_up_pct:.1f}%"),
        ("Moved down by the moderator", f"{overall.moved_down_pct:.1f}%"),
        ("Weighted kappa (linear)", _coefficient(overall.kappa)),
        ("Gwet's AC2 (linear)", _coefficient(overall.ac2)),
    ]
    body.append(facts(rows))
    body.append(para("Auditor's grade (rows) × moderator's grade", bold=True))
    short = {Grade.RED: "Red", Grade.AMBER: "Amber", Grade.GREEN: "Green", Grade.BLUE: "Blue"}
    cell = {(g, m): overall.grid[i][j] for i, g in enumerate(GRADES) for j, m in enumerate(GRADES)}
    grid = [(f"Auditor {short[g]}", " · ".join(f"{short[m]} {cell[g, m]}" for m in GRADE_ORDER)) for g in GRADE_ORDER]
    body.append(facts(grid))
    if dimension and breakdown:
        body.append(para(f"By {dimension}", bold=True))
        lines = [f"{name}: {_summary(a)}" for name, a in list(breakdown.items())[:MAX_LINES]]
        body.append(para("\n\n".join(lines)))
    body.append(
        para(
            "Kappa can look low when one grade dominates even if moderators mostly agree; "
            "AC2 is shown beside it for that reason.",
            subtle=True,
        )
    )
    return card(body, fallback_text=f"Moderation agreement {period}")


def dip_themes(themes: Sequence[str]) -> CardDict:
    """The default annual themes (lines 531-537), each a button that starts a dip sample."""
    body: list[CardElement] = [
        heading("Start a dip sample"),
        para("The framework's annual themes; or type 'dip new' and a theme of your own.", subtle=True),
    ]
    for theme in themes:
        body.append(
            Container(
                separator=True,
                items=[
                    para(theme, bold=True),
                    action_row([execute("Start", Verb.COMMAND_RUN, {"command": f"dip new {theme}"})]),
                ],
            )
        )
    return card(body, fallback_text="Dip sample themes")


@dataclass(frozen=True)
class DipLine:
    dip_id: int
    theme: str
    status: str
    steps: Sequence[str]


def dip_list(lines: Sequence[DipLine]) -> CardDict:
    body: list[CardElement] = [heading("Dip samples")]
    if not lines:
        body.append(para("No dip samples yet. Type 'dip themes' to start one."))
    for line in lines[:MAX_LINES]:
        body.append(
            Container(
                separator=True,
                items=[
                    para(f"Dip sample {line.dip_id}: {line.theme}", bold=True),
                    para(f"{line.status} · " + " · ".join(line.steps), subtle=True),
                    action_row([execute("Open", Verb.DIP_OPEN, {"dip_sample": line.dip_id})]),
                ],
            )
        )
    return card(body, fallback_text=f"{len(lines)} dip sample(s)")


def review_assigned(audit_id: int, form_title: str, case_ref: str, theme: str, due: date | None) -> CardDict:
    """A thematic or supervision review (or a supervisee's evaluation) for this person to complete."""
    about = f": case {case_ref}" if case_ref else ""
    rows = [("Form", form_title)]
    if theme:
        rows.append(("About", theme))
    rows.append(("Due", when(due) if due else "—"))
    body: list[CardElement] = [
        heading(f"New {form_title}{about}"),
        facts(rows),
        para("You can save and come back at any time; nothing is lost.", subtle=True),
    ]
    return card(
        body,
        [execute("Start", Verb.AUDIT_OPEN, {"audit": audit_id}, style="positive")],
        fallback_text=f"New {form_title}{about}",
    )


def timetable_notice(
    title: str,
    lines: Sequence[str],
    button: tuple[str, Verb, dict[str, object]] | None,
    *,
    reminder: bool = True,
) -> CardDict:
    """A reminder or escalation from the timetable: what, why, and one thing to do (if there is one).
    `reminder` False: a notice that is not a reminder (nothing to snooze, nothing that stops by itself)."""
    body: list[CardElement] = [heading(title), *[para(line) for line in lines]]
    if reminder:
        body.append(para(STOP_REMINDERS, subtle=True))
    if button is None:
        return card(body, [], fallback_text=title)
    caption, verb, data = button
    return card(body, [execute(caption, verb, data, style="positive")], fallback_text=title)


MAX_DIGEST_PARTS = 8


def daily_digest(day: date, parts: Sequence[CardDict], digest_key: str) -> CardDict:
    """Everything the timetable has for one person on one day, in one message (not one each)."""
    shown = list(parts[:MAX_DIGEST_PARTS])
    while True:
        built = _digest(day, shown, len(parts) - len(shown), digest_key)
        if len(json.dumps(built)) <= MAX_CARD_BYTES or len(shown) <= 1:
            return built
        shown.pop()


def _digest(day: date, parts: Sequence[CardDict], left_out: int, digest_key: str) -> CardDict:
    count = len(parts) + left_out
    body: list[CardElement] = [
        heading(f"Your Practice Learning reminders — {when(day)}"),
        para(f"{count} thing{'s' if count != 1 else ''} for you today, in one message."),
    ]
    snooze = [
        execute(title, Verb.REMINDER_SNOOZE, {"digest": digest_key, "days": days})
        for title, days in (("Snooze 1 day", 1), ("Snooze 3 days", 3), ("Until Monday", 0))
    ]
    built = card(body, snooze, fallback_text=f"{count} Practice Learning reminder(s)")
    for part in parts:
        items = [
            e for e in part.get("body", []) if not (e.get("type") == "TextBlock" and e.get("text") == STOP_REMINDERS)
        ]
        actions = [a for a in part.get("actions", []) if a.get("verb") != Verb.REMINDER_SNOOZE]
        if actions:
            items.append({"type": "ActionSet", "actions": actions})
        built["body"].append({"type": "Container", "separator": True, "items": items})
    if left_out:
        built["body"].append({"type": "TextBlock", "text": f"…and {left_out} more: type 'my audits'.", "wrap": True})
    built["body"].append({"type": "TextBlock", "text": STOP_REMINDERS, "wrap": True, "isSubtle": True})
    return built


def status_card(title: str, rows: Sequence[tuple[str, str]]) -> CardDict:
    return card(
        [heading(title), facts(list(rows))],
        [execute("Failed deliveries", Verb.COMMAND_RUN, {"command": "outbox"})],
        fallback_text=title,
    )
