"""The page card a save answers with, assembled from cached element dicts (cards.dicts) instead of
models built per request (issue 19). It is the card `cards.form_pages.page_card_from_models` builds,
element for element: tests/unit/cards/test_page_dicts.py holds them equal for every page of every
form, for each contributor, with answers, errors, notes and a refused concern."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from microsoft_teams.cards import Container

from cards import dicts
from cards.base import CardDict, toggled
from cards.concern_cards import concern_box
from cards.feedback_cards import family_block
from cards.form_pages import (
    PageView,
    compared,
    field_label,
    guidance_paras,
    input_for,
    progress_line,
    read_only_items,
    title_elements,
)
from plf_core.audits import next_page
from plf_core.card_actions import Verb
from plf_core.forms.model import Field, Form

Element = dict[str, Any]


def page_card(view: PageView) -> CardDict:
    """A page to fill in: Back / Save / Next (or Review on the last page)."""
    page = view.page
    body = _title(view)
    prefilled = [(f.label, view.prefilled.get(f.prefilled_from, "—")) for f in page.fields if f.prefilled_from]
    if prefilled:
        body.append(dicts.fact_set(tuple(prefilled)))
    if view.audit.family:
        family = view.audit.family
        body += dicts.kept(("family", family, view.audit.case_ref), lambda: family_block(family, view.audit.case_ref))
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
    audit = view.audit
    key = ("title", view.form.id, view.page_id, audit.case_ref, audit.subtitle, view.note, len(view.errors))
    return list(dicts.kept(key, lambda: title_elements(view)))


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
        return [_read_only(view.form, f, value, f"Completed by the {who}.")]
    items = [*_compared(view, f), _input(view.form, f, value, field_label(f, view.values))]
    if f.help:
        items += _help(f"help_{f.id}", f.help)
    error = view.errors.get(f.id)
    if error:
        items.append(dicts.text(error, color="Attention"))
    return [dicts.container(items, separator=index > 0)]


def _input(form: Form, f: Field, value: object, label: str) -> Element:
    """input_for's element, kept per form, field, answer and label (the label says when it is required)."""
    key = ("input", form.id, f.id, type(value), value, label)
    return dicts.kept(key, lambda: input_for(f, value, {}, form.grade_guidance, label=label))  # type: ignore[no-any-return]


def _compared(view: PageView, f: Field) -> list[Element]:
    other = view.values.get(f.compare) if f.compare else None
    key = ("compared", view.form.id, f.id, type(other), other)
    return list(dicts.kept(key, lambda: compared(view, f)))


def _read_only(form: Form, f: Field, value: object, note: str) -> Element:
    key = ("read", form.id, f.id, type(value), value, note)
    return dicts.kept(key, lambda: Container(items=read_only_items(f, value, note), separator=True))  # type: ignore[no-any-return]
