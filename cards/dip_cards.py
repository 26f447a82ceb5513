"""A dip sample's actions as its Service Managers follow them up: each action with its RAG, who and by
when, the update written so far and whether it is done (Appendix 13's action plan, "to be updated by
relevant Service Manager")."""

from __future__ import annotations

from microsoft_teams.cards import Container, TextInput, ToggleInput
from microsoft_teams.cards.core import CardElement

from cards.base import CardDict, card, execute, facts, heading, para
from cards.notices import when
from plf_core.card_actions import Verb
from plf_core.dip_actions import MAX_COMMENTS, MAX_PROGRESS, DipActionsScreen, DipModerationScreen
from plf_core.dips import DipActionRow

RAG = {"red": "Red", "amber": "Amber", "green": "Green"}


def dip_actions(screen: DipActionsScreen) -> CardDict:
    done = sum(a.status == "done" for a in screen.actions)
    body: list[CardElement] = [
        heading(f"Dip sample {screen.dip_id}: {screen.theme}"),
        para(f"Actions: {done} of {len(screen.actions)} done", subtle=True),
    ]
    if screen.note:
        body.append(para(screen.note, color="Attention" if screen.errors else "Accent", bold=True))
    if screen.can_write and not screen.all_done:
        body.append(
            para(
                "Write where each action has got to and tick Done when it is implemented. When every action "
                "is done, the follow-ups stop.",
                subtle=True,
            )
        )
    body += [_action(n, a, screen) for n, a in enumerate(screen.actions, 1)]
    actions = []
    if screen.can_write and not screen.all_done:
        data = {"dip_sample": screen.dip_id}
        actions.append(execute("Save", Verb.DIP_ACTIONS_SAVE, data, style="positive"))
    return card(body, actions, fallback_text=f"Dip sample {screen.dip_id}: {done} of {len(screen.actions)} done")


def dip_moderation(screen: DipModerationScreen) -> CardDict:
    body: list[CardElement] = [
        heading(f"Moderating dip sample {screen.dip_id}: {screen.theme}"),
        para(
            "Your comments go into its Terms of Reference (Moderators Comments), for QA, the Head of Service "
            "and the Service Managers to read with its findings.",
            subtle=True,
        ),
    ]
    if screen.note:
        body.append(para(screen.note, color="Attention" if screen.error else "Accent", bold=True))
    body.append(
        TextInput(
            id="TOR_moderators",
            label="Moderators Comments",
            value=screen.comments,
            is_multiline=True,
            max_length=MAX_COMMENTS,
        )
    )
    if screen.error:
        body.append(para(screen.error, color="Attention"))
    data = {"dip_sample": screen.dip_id}
    return card(body, [execute("Save", Verb.DIP_MODERATE_SAVE, data, style="positive")], fallback_text="Moderating")


def _action(n: int, a: DipActionRow, screen: DipActionsScreen) -> Container:
    rows = [("By whom", a.who or "—"), ("By when", when(a.deadline) if a.deadline else "—")]
    if a.rag:
        rows.append(("RAG", RAG.get(a.rag, a.rag)))
    items: list[CardElement] = [para(f"Action {n}", bold=True), para(a.text), facts(rows)]
    key = f"progress_{a.action_id}"
    if a.status == "done":
        by = f" by {a.done_by}" if a.done_by else ""
        on = f" on {when(a.done_at.date())}" if a.done_at else ""
        items.append(para(f"Done{by}{on}.", color="Good", bold=True))
        if a.progress:
            items.append(para(f"Update: {a.progress}"))
    elif screen.can_write:
        items.append(
            TextInput(
                id=key,
                label="Update and whether it has been implemented",
                value=a.progress,
                is_multiline=True,
                max_length=MAX_PROGRESS,
            )
        )
        if screen.errors and key in screen.errors:
            items.append(para(screen.errors[key], color="Attention"))
        items.append(
            ToggleInput(id=f"done_{a.action_id}", title="Done", value="false", value_on="true", value_off="false")
        )
    else:
        items.append(para(f"Update: {a.progress}" if a.progress else "No update yet.", subtle=not a.progress))
    return Container(items=items, separator=True)
