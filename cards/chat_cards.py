"""Cards of the chat itself: help grouped by task, and a question with buttons (did you mean, which person).

Teams shows a TextBlock as markdown and drops anything in angle brackets, so nothing here writes one:
placeholders are in capitals ("report [PERIOD]"), and every example is a real command.
"""

from __future__ import annotations

from microsoft_teams.cards import Container, ExecuteAction, TextBlock
from microsoft_teams.cards.core import CardElement

from cards.base import CardDict, action_row, card, execute, heading, para, say
from plf_core.card_actions import Verb
from plf_core.command_hints import Choice, HelpMenu, Option


def run(option: Option, *, title: str | None = None, positive: bool = False) -> ExecuteAction:
    return execute(
        title or option.label, Verb.COMMAND_RUN, {"command": option.command}, style="positive" if positive else None
    )


def help_menu(menu: HelpMenu) -> CardDict:
    body: list[CardElement] = [heading(f"{menu.opening}Here is what you can ask me".strip())]
    if menu.buttons:
        body.append(action_row([say(b.label, b.command) for b in menu.buttons]))
    for task, entries in menu.groups:
        items: list[CardElement] = [heading(task, size="Default")]
        for entry in entries:  # no markdown: every client shows it as written
            items.append(TextBlock(text=entry.example, weight="Bolder", font_type="Monospace", wrap=True))
            typed = f" Typed as: {entry.usage}" if entry.usage != entry.example else ""
            items.append(
                TextBlock(
                    text=f"{entry.what[0].upper()}{entry.what[1:]}.{typed}", is_subtle=True, wrap=True, spacing="None"
                )
            )
        body.append(Container(separator=True, spacing="Medium", items=items))
    body.append(para("Type a command as a message; type case numbers, names and emails as you see them.", subtle=True))
    return card(body, fallback_text="What you can ask me: " + ", ".join(b.label for b in menu.buttons))


def choice(asked: Choice) -> CardDict:
    """A question: "did you mean" types the command for the person (the card stays); choosing a person or
    "Assign anyway" runs it and the answer takes the question's place (it cannot be pressed twice)."""
    body: list[CardElement] = [heading(asked.title, size="Default"), para(asked.text)]
    plain = [o for o in asked.options if not o.detail and o.command != "help"]
    if plain and asked.typed:
        body.append(action_row([say(o.label, o.command) for o in plain]))
    elif plain:
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
    return card(body, [say("Help", "help")], fallback_text=asked.text)
