"""Card elements as plain dicts, each made from Microsoft's typed models once and then reused (issue 19).

Building a card from pydantic models and dumping it cost more CPU per card save than anything else of
ours. The elements of a page card repeat from one save to the next (a question's input with the same
answer, a paragraph of guidance, the concern box), so each is dumped from its model the first time and
kept; a card is then assembled from those dicts. The models stay the one authority on what an element
looks like: `tests/unit/cards/test_page_dicts.py` proves every page card of every form, for every
contributor, identical to the one `cards.form_pages.page_card_from_models` builds from the models.

The dicts returned are shared between cards: never change one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from microsoft_teams.cards import Container
from pydantic import BaseModel

from cards.base import CardDict, action_row, execute, facts, heading, para, whole_numbers
from plf_core.card_actions import Verb

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_CACHED = 8192


def dumped(model: BaseModel) -> dict[str, Any]:
    """A model as the card holds it: camelCase, no empty fields, whole numbers as ints."""
    return whole_numbers(model.model_dump(by_alias=True, exclude_none=True))  # type: ignore[no-any-return]


_KEPT: dict[object, Any] = {}


def kept(key: tuple[object, ...], make: Callable[[], BaseModel | Sequence[BaseModel]]) -> Any:
    """What `make` builds, dumped, kept under `key` (an element of a card, or a list of them): made from
    the models the first time only. A key that cannot be hashed (an answer that is a list) is not kept."""
    try:
        found = _KEPT.get(key)
    except TypeError:
        return _dump(make())
    if found is None:
        if len(_KEPT) >= MAX_CACHED:
            _KEPT.clear()
        found = _KEPT[key] = _dump(make())
    return found


def _dump(made: BaseModel | Sequence[BaseModel]) -> Any:
    return dumped(made) if isinstance(made, BaseModel) else [dumped(m) for m in made]


@lru_cache(maxsize=MAX_CACHED)
def text(words: str, subtle: bool = False, color: str | None = None, bold: bool = False) -> dict[str, Any]:
    return dumped(para(words, subtle=subtle, color=color, bold=bold))


@lru_cache(maxsize=MAX_CACHED)
def title(words: str) -> dict[str, Any]:
    return dumped(heading(words))


@lru_cache(maxsize=1024)
def fact_set(pairs: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    return dumped(facts(pairs))


@lru_cache(maxsize=64)
def _container(options: tuple[tuple[str, object], ...]) -> dict[str, Any]:
    return dumped(Container(items=[], **dict(options)))


def container(items: list[dict[str, Any]], **options: object) -> dict[str, Any]:
    return {**_container(tuple(sorted(options.items()))), "items": items}


@lru_cache(maxsize=256)
def _action(title: str, verb: Verb, style: str | None) -> dict[str, Any]:
    return dumped(execute(title, verb, {}, style=style))


def action(title: str, verb: Verb, data: Mapping[str, object], *, style: str | None = None) -> dict[str, Any]:
    """cards.base.execute as a dict: an Action.Execute with its Action.Submit fallback, both carrying `data`."""
    made = _action(title, verb, style)
    payload = whole_numbers({"verb": verb.value, **data})
    return {**made, "data": payload, "fallback": {**made["fallback"], "data": dict(payload)}}


@lru_cache(maxsize=1)
def _action_set() -> dict[str, Any]:
    return dumped(action_row([]))


def action_set(actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {**_action_set(), "actions": actions}


def envelope(
    body: list[dict[str, Any]],
    actions: Sequence[dict[str, Any]] = (),
    *,
    refresh: Mapping[str, object] | None = None,
    refresh_user_ids: Sequence[str] = (),
    fallback_text: str | None = None,
) -> CardDict:
    """cards.base.card as a dict: schema 1.5, full width in Teams, optional Universal Actions refresh."""
    made: CardDict = {"type": "AdaptiveCard", "version": "1.5"}
    if fallback_text is not None:
        made["fallbackText"] = fallback_text
    if refresh is not None:
        definition: dict[str, Any] = {
            "action": {"type": "Action.Execute", "data": whole_numbers(dict(refresh)), "verb": str(refresh["verb"])}
        }
        if users := list(refresh_user_ids)[:60]:
            definition["userIds"] = users
        made["refresh"] = definition
    made["msteams"] = {"width": "full"}
    made["body"] = body
    if actions:
        made["actions"] = list(actions)
    made["$schema"] = SCHEMA
    return made
