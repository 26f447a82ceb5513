"""Cards of the chat itself: help grouped by task, and a question with buttons (did you mean, which person).

Teams shows a TextBlock as markdown and drops anything in angle brackets, so nothing here writes one:
placeholders are in capitals ("report [PERIOD]"), and every example is a real command.
"""

from __future__ import annotations

from microsoft_teams.cards import Container, ExecuteAction
from microsoft_teams.cards.core import CardElement

from cards.base import CardDict, action_row, card, execute, heading, para
from plf_core.card_actions import Verb
from plf_core.command_hints import Choice, HelpMenu, Option


def run(option: Option, *, title: str | None = None, positive: bool = False) -> ExecuteAction:
    return execute(
        title or option.label, Verb.COMMAND_RUN, {"command": option.command}, style="positive" if positive else None
    )


def help_menu(menu: HelpMenu) -> CardDict:
    body: list[CardElement] = [heading(f"{menu.opening}Here is what you can ask me".strip())]
    if menu.buttons:
        body.append(action_row([run(b) for b in menu.buttons]))
    for task, entries in menu.groups:
        items: list[CardElement] = [heading(task, size="Default")]
        for entry in entries:
            items.append(para(f"**{entry.example}**: {entry.what}"))
            if entry.usage != entry.example:
                items.append(para(f"Typed as: {entry.usage}", subtle=True))
        body.append(Container(separator=True, spacing="Medium", items=items))
    body.append(
        para("Type a command as a message. Case numbers, names and emails can be typed as you see them.", subtle=True)
    )
    return card(body, fallback_text="What you can ask me: " + ", ".join(b.label for b in menu.buttons))


def choice(asked: Choice) -> CardDict:
    body: list[CardElement] = [heading(asked.title, size="Default"), para(asked.text)]
    plain = [o for o in asked.options if not o.detail and o.command != "help"]
    if plain:
        body.append(action_row([run(o, positive=i == 0) for i, o in enumerate(plain)]))
    for option in (o for o in asked.options if o.detail):
        body.append(
            Container(
                separator=True,
                items=[
                    para(option.label, bold=True),
                    para(option.detail, subtle=True),
                    action_row([run(option, title=f"Choose {option.label}", positive=True)]),
                ],
            )
        )
    return card(body, [execute("Help", Verb.COMMAND_RUN, {"command": "help"})], fallback_text=asked.text)
