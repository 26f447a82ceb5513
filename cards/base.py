"""Building blocks every card shares: the envelope, text, and actions with a fallback.

Cards are authored with Microsoft's typed models (microsoft-teams-cards) at schema 1.5 and
returned as plain dicts (camelCase, no empty fields). Every Action.Execute carries a
fallback Action.Submit with the same data, for Teams clients without Universal Actions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    Container,
    ExecuteAction,
    Fact,
    FactSet,
    SubmitAction,
    TextBlock,
)
from microsoft_teams.cards.core import Action, CardElement, RefreshDefinition, TeamsCardProperties

from plf_core.card_actions import Verb

CardDict = dict[str, Any]
SCHEMA_VERSION = "1.5"
#: Teams accepts about 100 KB per message; we keep every card well under that.
MAX_CARD_BYTES = 28 * 1024


def execute(title: str, verb: Verb, data: Mapping[str, object], *, style: str | None = None) -> ExecuteAction:
    payload = {"verb": verb.value, **data}
    return ExecuteAction(
        title=title,
        verb=verb.value,
        data=dict(payload),
        style=style,
        fallback=SubmitAction(title=title, data=dict(payload), style=style),
    )


def say(title: str, text: str) -> SubmitAction:
    """A button that types `text` into the chat as the person (Teams' imBack): the card stays where it
    is and the answer arrives below it, as if typed. For the menu of commands, not for decisions."""
    return SubmitAction(title=title, data={"msteams": {"type": "imBack", "value": text}})


#: What Teams' markdown would act on in words someone else typed (a family on the open web, a concern):
#: angle brackets (Teams drops what is between them) become look-alikes, and a link's "](" is broken apart.
AS_WRITTEN = str.maketrans({"<": "‹", ">": "›"})


def as_written(text: str) -> str:
    """Someone's own words shown as they wrote them, not as markdown or markup: `<script>` stays visible
    (as ‹script›) and `[click](http://…)` is not a link."""
    return text.translate(AS_WRITTEN).replace("](", "]\u200b(")


def heading(text: str, *, size: str = "Medium") -> TextBlock:
    return TextBlock(text=text, weight="Bolder", size=size, wrap=True)


def para(text: str, *, subtle: bool = False, color: str | None = None, bold: bool = False) -> TextBlock:
    return TextBlock(
        text=text,
        wrap=True,
        is_subtle=subtle or None,
        color=color,
        weight="Bolder" if bold else None,
    )


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def delay(count: int, unit: str = "days") -> str:
    """A configured delay as people say it: 'one week', 'four weeks', '10 days', '5 working days'
    ('' for none, so the card states no number)."""
    if count <= 0:
        return ""
    if unit == "working_days":
        return f"{count} working day{'s' if count != 1 else ''}"
    if count % 7:
        return f"{count} day{'s' if count != 1 else ''}"
    weeks = count // 7
    return f"{NUMBER_WORDS[weeks] if weeks < len(NUMBER_WORDS) else weeks} week{'s' if weeks != 1 else ''}"


def facts(pairs: Sequence[tuple[str, str]]) -> FactSet:
    return FactSet(facts=[Fact(title=t, value=v) for t, v in pairs])


def action_row(actions: Sequence[Action]) -> ActionSet:
    return ActionSet(actions=list(actions))


def toggled(
    element_id: str, title: str, body: Sequence[CardElement], *, shown: bool = False, style: str = "emphasis"
) -> list[CardElement]:
    """A button that shows or hides what is below it (grading guidance, prompts, a box to fill in)."""
    from microsoft_teams.cards import ToggleVisibilityAction

    return [
        ActionSet(actions=[ToggleVisibilityAction(title=title, target_elements=[element_id])]),
        Container(id=element_id, is_visible=shown, items=list(body), style=style),
    ]


def whole_numbers(node: Any) -> Any:
    """The typed models hold some integers as floats (maxLength 2000.0): write them as ints."""
    if isinstance(node, dict):
        return {k: whole_numbers(v) for k, v in node.items()}
    if isinstance(node, list):
        return [whole_numbers(v) for v in node]
    if isinstance(node, float) and node.is_integer():
        return int(node)
    return node


def card(
    body: Sequence[CardElement],
    actions: Sequence[Action] = (),
    *,
    refresh: Mapping[str, object] | None = None,
    refresh_user_ids: Sequence[str] = (),
    fallback_text: str | None = None,
) -> CardDict:
    """The envelope: schema 1.5, full width in Teams, optional Universal Actions refresh."""
    refresh_definition = None
    if refresh is not None:
        verb = str(refresh["verb"])
        refresh_definition = RefreshDefinition(
            action=ExecuteAction(verb=verb, data=dict(refresh)),
            user_ids=list(refresh_user_ids)[:60] or None,
        )
    model = AdaptiveCard(
        version=SCHEMA_VERSION,
        body=list(body),
        actions=list(actions) or None,
        refresh=refresh_definition,
        fallback_text=fallback_text,
        msteams=TeamsCardProperties(width="full"),
    )
    dumped = model.model_dump(by_alias=True, exclude_none=True)
    dumped["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json"
    return whole_numbers(dumped)  # type: ignore[no-any-return]
