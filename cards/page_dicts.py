"""The page card a save answers with, assembled from cached element dicts (cards.dicts) instead of
models built per request (issue 19). It is the card `cards.form_pages.page_card_from_models` builds,
element for element: tests/unit/cards/test_page_dicts.py holds them equal for every page of every
form, for each contributor, with answers, errors, notes and a refused concern."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from cards import dicts
from cards.base import CardDict, toggled
from cards.concern_cards import concern_box
from cards.form_pages import (
    PageView,
    display_value,
    field_label,
    guidance_paras,
    input_for,
    progress_line,
)
from plf_core.audits import next_page
from plf_core.card_actions import Verb
from plf_core.forms.model import Field, Form

Element = dict[str, Any]
_INPUTS: dict[tuple[object, ...], Element] = {}


def page_card(view: PageView) -> CardDict:
    """A page to fill in: Back / Save / Next (or Review on the last page)."""
    page = view.page
    body = _title(view)
    prefilled = [(f.label, view.prefilled.get(f.prefilled_from, "—")) for f in page.fields if f.prefilled_from]
    if prefilled:
        body.append(dicts.fact_set(tuple(prefilled)))
    if page.intro:
        body.append(dicts.text(page.intro, subtle=True))
    if page.guidance and not any(f.help == page.guidance for f in page.fields):
        body += _help(f"guidance_{page.id}", page.guidance)
    for i, f in enumerate(page.fields):
        body += _field_block(view, f, i)
    unknown = [key for key in view.errors if key not in {f.id for f in page.fields}]
    body += [dicts.text(view.errors[key], color="Attention") for key in unknown]
    data = view.audit.data(page=page.id)
    body += _concern_box(data, view)
    actions = []
    if next_page(view.form, page.id, -1, view.editors) is not None:  # Back and Next go through one's own pages
        actions.append(dicts.action("Back", Verb.PAGE_BACK, data))
    actions.append(dicts.action("Save", Verb.PAGE_SAVE, data))
    last = next_page(view.form, page.id, 1, view.editors) is None
    actions.append(dicts.action("Review and submit" if last else "Next", Verb.PAGE_NEXT, data, style="positive"))
    if not last and view.values:  # under way: back to the review without paging through the rest
        actions.append(dicts.action("Save and review", Verb.PAGE_TO_REVIEW, data))
    return dicts.envelope(
        body,
        actions,
        refresh=view.audit.data(verb=Verb.AUDIT_REFRESH, page=page.id),
        refresh_user_ids=view.refresh_user_ids,
        fallback_text=f"{view.form.title}: {progress_line(view.form, page)}",
    )


def _title(view: PageView) -> list[Element]:
    body = [
        dicts.title(f"{view.form.title} — case {view.audit.case_ref}"),
        dicts.text(progress_line(view.form, view.page), subtle=True),
    ]
    if view.audit.subtitle:
        body.append(dicts.text(view.audit.subtitle, subtle=True))
    if view.note:
        body.append(dicts.text(view.note, color="Accent", bold=True))
    if view.errors:
        count = len(view.errors)
        said = (
            f"{count} answer{'s' if count > 1 else ''} need{'s' if count == 1 else ''} attention: "
            "see the messages in red. Everything you typed is still here."
        )
        body.append(dicts.text(said, color="Attention", bold=True))
    return body


def _help(element_id: str, guidance: str) -> list[Element]:
    return list(_toggled_guidance(element_id, guidance))


@lru_cache(maxsize=1024)
def _toggled_guidance(element_id: str, guidance: str) -> tuple[Element, ...]:
    return tuple(dicts.dumped(e) for e in toggled(element_id, "Show guidance", guidance_paras(guidance)))


def _concern_box(data: Mapping[str, object], view: PageView) -> list[Element]:
    if view.concern is not None and view.concern.error is not None:  # refused: as typed, rarely
        return [dicts.dumped(e) for e in concern_box(data, view.concern)]
    toggle, box = _empty_concern_box()
    *items, row = box["items"]
    action = row["actions"][0]
    again = dicts.action(action["title"], Verb.CONCERN_RAISE, data, style=action.get("style"))
    return [toggle, {**box, "items": [*items, dicts.action_set([again])]}]


@lru_cache(maxsize=1)
def _empty_concern_box() -> tuple[Element, Element]:
    toggle, box = (dicts.dumped(e) for e in concern_box({}, None))
    return toggle, box


def _field_block(view: PageView, f: Field, index: int) -> list[Element]:
    if f.prefilled_from is not None:
        return []
    value = view.values.get(f.id)
    if value in (None, "") and f.suggested_from and f.id not in view.errors:
        value = view.prefilled.get(f.suggested_from) or None  # offered until answered
    editor = view.page.editor_of(f)
    if editor not in view.editors:
        who = editor.value.replace("_", " ")
        return [dicts.container(_read_only(f, value, f"Completed by the {who}."), separator=True)]
    items = [*_compared(view, f), _input(view.form, f, value, field_label(f, view.values))]
    if f.help:
        items += _help(f"help_{f.id}", f.help)
    error = view.errors.get(f.id)
    if error:
        items.append(dicts.text(error, color="Attention"))
    return [dicts.container(items, separator=index > 0)]


def _input(form: Form, f: Field, value: object, label: str) -> Element:
    """input_for's element, kept per form, field, answer and label (the label says when it is required)."""
    if not isinstance(value, str | int | float | bool | None):
        return dicts.dumped(input_for(f, value, {}, form.grade_guidance, label=label))
    key = (form.id, f.id, type(value), value, label)
    made = _INPUTS.get(key)
    if made is None:
        if len(_INPUTS) >= dicts.MAX_CACHED:
            _INPUTS.clear()
        made = _INPUTS[key] = dicts.dumped(input_for(f, value, {}, form.grade_guidance, label=label))
    return made


def _compared(view: PageView, f: Field) -> list[Element]:
    if f.compare is None:
        return []
    form = view.form
    other = form.fields[f.compare]
    who = form.page_of(other.id).editor_of(other).value.replace("_", " ")
    shown = display_value(other, view.values.get(other.id)) or "not answered yet"
    heading = dicts.text(f"The {who}'s answer ({other.ref or other.short})", subtle=True, bold=True)
    return [dicts.container([heading, dicts.text(shown)], style="emphasis")]


def _read_only(f: Field, value: object, note: str) -> list[Element]:
    shown = display_value(f, value)
    return [dicts.text(f.label, bold=True), dicts.text(shown or "—", subtle=not shown), dicts.text(note, subtle=True)]
