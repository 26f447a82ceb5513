"""Cards for filling in, reviewing and reading a form, one page at a time.

A page card pre-fills the answers already given and, after a refused save, shows each field's error under
it while keeping what the person typed. Inputs declare their own limits (maxLength, min/max, choices,
errorMessage); `isRequired` is not set, on purpose: a Teams client refuses to send a card with an empty
required input, and Save must store an incomplete page as a draft. Required answers are enforced at Submit
by the server, from the same definition, and marked "(required)" in the label.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from microsoft_teams.cards import (
    Choice,
    ChoiceSetInput,
    Container,
    DateInput,
    NumberInput,
    TextInput,
    ToggleVisibilityAction,
)
from microsoft_teams.cards.core import Action, CardElement

from cards.base import CardDict, action_row, card, execute, facts, heading, para, toggled
from cards.concern_cards import concern_box
from cards.feedback_cards import family_block
from cards.notices import when
from plf_core.audits import FamilySaid, next_page
from plf_core.card_actions import Verb
from plf_core.concern_ports import ConcernBox
from plf_core.forms.model import Contributor, Field, FieldKind, Form, Page
from plf_core.forms.validation import required_now

SUMMARY_CHARS = 90


@dataclass(frozen=True)
class AuditRef:
    """Which audit a card is about, as the person sees it (a case id, never a name)."""

    audit_id: int
    version: int
    case_ref: str
    subtitle: str = ""
    family: tuple[FamilySaid, ...] = ()  # what the family last said (cards.feedback_cards.family_block)

    def data(self, **more: object) -> dict[str, object]:
        return {"audit": self.audit_id, "version": self.version, **more}


@dataclass(frozen=True)
class PageView:
    form: Form
    audit: AuditRef
    page_id: str
    values: Mapping[str, object]
    editors: frozenset[Contributor]
    prefilled: Mapping[str, str] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)
    note: str | None = None
    refresh_user_ids: tuple[str, ...] = ()
    concern: ConcernBox | None = None

    @property
    def page(self) -> Page:
        return self.form.page(self.page_id)

    @property
    def index(self) -> int:
        return self.form.page_index(self.page_id)


def progress_line(form: Form, page: Page) -> str:
    return f"{page.part} · page {form.page_index(page.id) + 1} of {len(form.pages)}"


def title_elements(view: PageView) -> list[CardElement]:
    title = f"{view.form.title} — case {view.audit.case_ref}"
    body: list[CardElement] = [
        heading(title),
        para(progress_line(view.form, view.page), subtle=True),
    ]
    if view.audit.subtitle:
        body.append(para(view.audit.subtitle, subtle=True))
    if view.note:
        body.append(para(view.note, color="Accent", bold=True))
    if view.errors:
        count = len(view.errors)
        body.append(
            para(
                f"{count} answer{'s' if count > 1 else ''} need{'s' if count == 1 else ''} attention: "
                "see the messages in red. Everything you typed is still here.",
                color="Attention",
                bold=True,
            )
        )
    return body


def field_label(f: Field, answers: Mapping[str, object]) -> str:
    return f"{f.label} (required)" if required_now(f, answers) else f.label


def _shown(value: object) -> str | None:
    if value is None:
        return None
    return str(value)


def input_for(
    f: Field,
    value: object,
    answers: Mapping[str, object],
    hints: Mapping[str, str] | None = None,
    *,
    label: str | None = None,
) -> CardElement:
    """One field as a typed Adaptive Card input, pre-filled and with its limits declared. A grade's
    options each carry what the grade means on this form (`hints`), where the grade is chosen. The
    label says "(required)" when the answers make it so (or is given, already worked out)."""
    label = field_label(f, answers) if label is None else label
    shown = _shown(value)
    error = f"{f.short[0].upper()}{f.short[1:]}: please check this answer"
    if f.kind in (FieldKind.TEXT, FieldKind.LONG_TEXT):
        limit = f.text_limit()
        return TextInput(
            id=f.id,
            label=label,
            value=shown,
            max_length=limit,
            is_multiline=f.kind is FieldKind.LONG_TEXT or None,
            error_message=f"{error} (at most {limit:,} characters)",
        )
    if f.kind is FieldKind.DATE:
        return DateInput(
            id=f.id,
            label=label,
            value=shown,
            min="1990-01-01",
            max="2100-12-31",
            error_message=f"{error} (a date)",
        )
    if f.kind is FieldKind.NUMBER:
        number = int(value) if isinstance(value, int) else None
        return NumberInput(
            id=f.id,
            label=label,
            value=number,
            min=f.minimum,
            max=f.maximum,
            error_message=f"{error} ({f.minimum}-{f.maximum})",
        )
    # Radio buttons where each choice says something (grades, the scale sentences); a dropdown
    # for short labels such as the child's own 1-10 ratings.
    expanded = len(f.choices) <= 4 or any(len(c.title) > 12 for c in f.choices)
    return ChoiceSetInput(
        id=f.id,
        label=label,
        value=shown,
        style="expanded" if expanded else "compact",
        choices=[Choice(title=_titled(c.title, c.value, f, hints), value=c.value) for c in f.choices],
        wrap=True,
        error_message=error,
    )


def _titled(title: str, value: str, f: Field, hints: Mapping[str, str] | None) -> str:
    hint = (hints or {}).get(value) if f.kind is FieldKind.GRADE else None
    return f"{title}: {hint}" if hint else title


def guidance_paras(text: str) -> list[CardElement]:
    """Guidance as one text block per line: Teams drops single line breaks inside a block."""
    return [para(line.strip()) for line in text.split("\n") if line.strip()]


def compared(view: PageView, f: Field) -> list[CardElement]:
    """Another contributor's answer beside this one, read-only (the practitioner's grade beside the manager's)."""
    if f.compare is None:
        return []
    form = view.form
    other = form.fields[f.compare]
    who = form.page_of(other.id).editor_of(other).value.replace("_", " ")
    shown = display_value(other, view.values.get(other.id)) or "not answered yet"
    return [
        Container(
            style="emphasis",
            items=[para(f"The {who}'s answer ({other.ref or other.short})", subtle=True, bold=True), para(shown)],
        )
    ]


def read_only_items(f: Field, value: object, note: str | None = None) -> list[CardElement]:
    shown = display_value(f, value)
    items: list[CardElement] = [para(f.label, bold=True), para(shown or "—", subtle=not shown)]
    if note:
        items.append(para(note, subtle=True))
    return items


def display_value(f: Field, value: object) -> str:
    if value is None or value == "":
        return ""
    for choice in f.choices:
        if choice.value == str(value):
            return choice.title
    if f.kind is FieldKind.DATE:  # one date format wherever staff read a date: the notices' own
        try:
            return when(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    return str(value)


def _field_block(view: PageView, f: Field, index: int) -> list[CardElement]:
    page = view.page
    if f.prefilled_from is not None:
        return []
    value = view.values.get(f.id)
    if value in (None, "") and f.suggested_from and f.id not in view.errors:
        value = view.prefilled.get(f.suggested_from) or None  # offered until answered
    editor = page.editor_of(f)
    if editor not in view.editors:
        who = editor.value.replace("_", " ")
        return [Container(items=read_only_items(f, value, f"Completed by the {who}."), separator=True)]
    items: list[CardElement] = [*compared(view, f), input_for(f, value, view.values, view.form.grade_guidance)]
    if f.help:
        items += toggled(f"help_{f.id}", "Show guidance", guidance_paras(f.help))
    error = view.errors.get(f.id)
    if error:
        items.append(para(error, color="Attention"))
    return [Container(items=items, separator=index > 0)]


def page_card_from_models(view: PageView) -> CardDict:
    """A page to fill in: Back / Save / Next (or Review on the last page), built from the models. The bot
    answers with cards.page_dicts.page_card, the same card assembled from cached element dicts."""
    page = view.page
    body = title_elements(view)
    prefilled = [(f.label, view.prefilled.get(f.prefilled_from, "—")) for f in page.fields if f.prefilled_from]
    if prefilled:
        body.append(facts(prefilled))
    body += family_block(view.audit.family, view.audit.case_ref)
    if page.intro:
        body.append(para(page.intro, subtle=True))
    if page.guidance and not any(f.help == page.guidance for f in page.fields):
        body += toggled(f"guidance_{page.id}", "Show guidance", guidance_paras(page.guidance))
    for i, f in enumerate(page.fields):
        body += _field_block(view, f, i)
    unknown = [key for key in view.errors if key not in {f.id for f in page.fields}]
    body += [para(view.errors[key], color="Attention") for key in unknown]
    data = view.audit.data(page=page.id)
    body += concern_box(data, view.concern)
    actions: list[Action] = []
    if next_page(view.form, page.id, -1, view.editors) is not None:  # Back and Next go through one's own pages
        actions.append(execute("Back", Verb.PAGE_BACK, data))
    actions.append(execute("Save", Verb.PAGE_SAVE, data))
    last = next_page(view.form, page.id, 1, view.editors) is None
    actions.append(execute("Review and submit" if last else "Next", Verb.PAGE_NEXT, data, style="positive"))
    if not last and view.values:  # under way: back to the review without paging through the rest
        actions.append(execute("Save and review", Verb.PAGE_TO_REVIEW, data))
    return card(
        body,
        actions,
        refresh=view.audit.data(verb=Verb.AUDIT_REFRESH, page=page.id),
        refresh_user_ids=view.refresh_user_ids,
        fallback_text=f"{view.form.title}: {progress_line(view.form, page)}",
    )


def summary(text: str, limit: int = SUMMARY_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class ReviewView:
    form: Form
    audit: AuditRef
    answers: Mapping[str, object]
    editors: frozenset[Contributor]
    problems: Mapping[str, str] = field(default_factory=dict)
    can_submit: bool = True
    refresh_user_ids: tuple[str, ...] = ()
    note: str | None = None
    handed_on: str | None = None  # this person's part is complete; who will finish what
    concern: ConcernBox | None = None


def review_card(view: ReviewView) -> CardDict:
    """Every answer, summarised, with Edit back to each page, before Submit."""
    body: list[CardElement] = [
        heading(f"Review before submitting — {view.form.title}, case {view.audit.case_ref}"),
        para(
            "Each section says where it stands; 'Show or hide answers' opens it. Long answers are shortened "
            "here; Edit opens the page with everything.",
            subtle=True,
        ),
        *family_block(view.audit.family, view.audit.case_ref),
    ]
    if view.note:
        body.append(para(view.note, color="Attention", bold=True))
    mine = {
        k: v for k, v in view.problems.items() if view.form.page_of(k).editor_of(view.form.fields[k]) in view.editors
    }
    if view.handed_on:
        body.append(para(view.handed_on, color="Good", bold=True))
    elif view.problems:
        others = len(view.problems) - len(mine)
        said = f"{len(mine)} of your answer(s) must be completed or corrected: they are marked below." if mine else ""
        if others:
            said += f" {others} answer(s) are still to come from others, as each section says."
        body.append(para(said.strip(), color="Attention" if mine else None, bold=bool(mine)))
    body += [_review_section(view, page, mine) for page in view.form.pages]
    body += concern_box(view.audit.data(page="review"), view.concern)
    actions: list[Action] = []
    if view.can_submit and not view.handed_on:
        actions.append(execute("Submit", Verb.AUDIT_SUBMIT, view.audit.data(), style="positive"))
    return card(
        body,
        actions,
        refresh=view.audit.data(verb=Verb.AUDIT_REFRESH, page="review"),
        refresh_user_ids=view.refresh_user_ids,
        fallback_text=f"Review {view.form.title} before submitting",
    )


def answer_title(f: Field) -> str:
    """A question as the review names it: its id and short label ("A7a: section 47 enquiry")."""
    short = summary(f.short, 60)
    return f"{f.ref}: {short}" if f.ref else short[0].upper() + short[1:]


def _review_section(view: ReviewView, page: Page, mine: Mapping[str, str]) -> Container:
    """One section of the review, collapsed to a line saying where it stands; opened where there is
    something of the reader's to put right."""
    rows: list[tuple[str, str]] = []
    answered = total = 0
    others: set[str] = set()
    for f in page.fields:
        if f.prefilled_from is not None:
            continue
        value = view.answers.get(f.id)
        total += 1
        answered += value not in (None, "") and f.id not in view.problems
        shown = summary(display_value(f, value)) or "—"
        if f.id in mine:
            shown = f"⚠ {view.problems[f.id]}"
        elif f.id in view.problems:
            others.add(page.editor_of(f).value.replace("_", " "))
            shown = "to be completed by the " + page.editor_of(f).value.replace("_", " ")
        rows.append((answer_title(f), shown))
    mine_here = [f.id for f in page.fields if f.id in mine and f.prefilled_from is None]
    problems_here = bool(mine_here)
    state = f"{answered} of {total} answered"
    if mine_here:
        state += f" · ⚠ {len(mine_here)} for you to complete or correct"
    if others:
        state += " · still to do by the " + " and the ".join(sorted(others))
    box = f"review_{page.id}"
    buttons: list[Action] = [ToggleVisibilityAction(title="Show or hide answers", target_elements=[box])]
    if any(page.editor_of(f) in view.editors for f in page.fields):
        buttons.append(execute("Edit", Verb.PAGE_OPEN, view.audit.data(page=page.id)))
    items: list[CardElement] = [
        para(page.part, bold=True),
        para(state, subtle=not (problems_here or others), color="Attention" if problems_here else None),
        action_row(buttons),
        Container(id=box, is_visible=None if problems_here else False, items=[facts(rows)], style="emphasis"),
    ]
    return Container(items=items, separator=True)


def readonly_card(view: PageView) -> CardDict:
    """For managers, moderators and QA: one page of the audit, nothing editable."""
    page = view.page
    body = title_elements(view)
    body.insert(1, para("Read-only view", color="Accent"))
    prefilled = [(f.label, view.prefilled.get(f.prefilled_from, "—")) for f in page.fields if f.prefilled_from]
    if prefilled:
        body.append(facts(prefilled))
    body += family_block(view.audit.family, view.audit.case_ref)
    for f in page.fields:
        if f.prefilled_from is None:
            body.append(Container(items=read_only_items(f, view.values.get(f.id)), separator=True))
    body += concern_box(view.audit.data(page=page.id, view="read"), view.concern)
    actions: list[Action] = []
    if view.index > 0:
        actions.append(
            execute(
                "Previous page",
                Verb.AUDIT_VIEW,
                view.audit.data(page=view.form.pages[view.index - 1].id),
            )
        )
    if view.index < len(view.form.pages) - 1:
        actions.append(execute("Next page", Verb.AUDIT_VIEW, view.audit.data(page=view.form.pages[view.index + 1].id)))
    return card(body, actions, fallback_text=f"{view.form.title} (read-only)")
