"""QA's chat the way people type it, over real HTTP on both databases: help as each role (readable in
Teams: nothing in angle brackets, an example per command), a misspelt command gets "did you mean" with
a button, arguments out of range say the range, and `assign` by name offers a choice between two
people of one name and then tells who was assigned, the case, the due date and who is told."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from plf_core.commands import ROUTES
from tests.card_tree import walk
from tests.e2e.teams import card_texts, find_action
from tests.e2e.test_audit_workflow import BOROUGH, _query, bot, cards_to, cast, users  # noqa: F401
from tests.e2e.test_authorisation_matrix import say
from tests.e2e.test_timetable_commands import execute as sql

EVERYONE = 7  # help, my audits, open, done, feedback answers, feedback, team report


def buttons(card: dict[str, Any]) -> list[str]:
    """Every button: those that run an action, and those that type a command for the person (imBack)."""
    return [n["title"] for n in walk(card) if n.get("type") == "Action.Execute" or typed_by(n)]


def typed_by(node: dict[str, Any]) -> str | None:
    data = node.get("data") if node.get("type") == "Action.Submit" else None
    msteams = data.get("msteams") if isinstance(data, dict) else None
    return msteams.get("value") if isinstance(msteams, dict) and msteams.get("type") == "imBack" else None


async def tap(connector: Any, user: Any, card: dict[str, Any], title: str) -> dict[str, Any]:
    """Press a button that types its command, as Teams does (imBack): the command arrives as a message."""
    value = next(typed_by(n) for n in walk(card) if n.get("title") == title and typed_by(n))
    return await say(connector, user, str(value))


async def test_help_is_readable_by_each_role_with_an_example_per_command_and_buttons(bot: Any) -> None:  # noqa: F811
    app, connector = bot
    u = users(app.url, connector)
    for role, count in (("worker", EVERYONE), ("lead", EVERYONE + 1), ("qa", len(ROUTES))):  # a lead: concerns
        menu = await say(connector, u[role], "help")
        shown = card_texts(menu)
        assert not [t for t in shown if "<" in t or ">" in t], shown  # Teams drops anything in angle brackets
        examples = [n["text"] for n in walk(menu) if n.get("fontType") == "Monospace"]
        assert len(examples) == count, (role, examples)
        assert "open DEMO-900100" in examples
        assert "Open an audit you may see, by its number or its case. Typed as: open AUDIT or CASE" in shown
        assert buttons(menu)[0] == "My audits"
    qa_menu = await say(connector, u["qa"], "help")
    assert buttons(qa_menu)[:4] == ["My audits", "Status", "Timetable", "Report"]
    assert {
        "Your work",
        "Audits",
        "Moderation",
        "Timetable and reminders",
        "Figures and reports",
        "Dip samples",
    } <= set(card_texts(qa_menu))
    hello = await say(connector, u["worker"], "Hi!")
    assert card_texts(hello)[0] == "Hello! Here is what you can ask me"
    mine = await tap(connector, u["worker"], hello, "My audits")  # the help card stays; the answer comes below
    assert "Your open audits" in card_texts(mine)
    # the Agents Playground sends the button's data, not its text: read the same way
    seen = len(cards_to(connector, u["worker"]))
    value = {"msteams": {"type": "imBack", "value": "my audits"}}
    status, _ = await u["worker"].post(u["worker"].activity("message", value=value))
    assert status == 202
    async with asyncio.timeout(15):
        while len(cards_to(connector, u["worker"])) <= seen:
            await asyncio.sleep(0.05)
    mine = cards_to(connector, u["worker"])[-1]
    assert "Your open audits" in card_texts(mine)


async def test_mistyped_commands_get_a_suggestion_a_range_or_a_bad_period(bot: Any) -> None:  # noqa: F811
    app, connector = bot
    u = users(app.url, connector)
    guess = await say(connector, u["qa"], "smaple 5 seed 7")
    assert "I don't know the command 'smaple 5 seed 7'. Did you mean 'sample 5 seed 7'?" in card_texts(guess)
    preview = await tap(connector, u["qa"], guess, "sample 5 seed 7")
    assert card_texts(preview)[0] == "Sample preview — nothing created yet"
    too_far = await say(connector, u["qa"], "timetable 400")
    assert any("'timetable' looks 1 to 120 days ahead, not '400'" in t for t in card_texts(too_far))
    bad = await say(connector, u["qa"], "report 2026-Q9")
    assert any("'2026-q9' is not a period" in t for t in card_texts(bad)), card_texts(bad)
    half = await say(connector, u["qa"], "assign DEMO-900100")
    assert any("Type: assign CASE to PERSON [with SECOND PERSON]" in t for t in card_texts(half)), card_texts(half)
    refused = await say(connector, u["worker"], "report")
    assert any("only the QA team, SLT, Heads of Service and Service Managers" in t for t in card_texts(refused))


async def test_assign_by_name_offers_a_choice_between_two_people_of_one_name(bot: Any, database_url: str) -> None:  # noqa: F811
    app, connector = bot
    u = users(app.url, connector)
    for role in ("qa", "worker", "lead"):
        await u[role].install()
    people = cast()
    worker, lead, stranger = people["worker"], people["lead"], people["stranger"]
    team = (await _query(database_url, "SELECT team_id FROM people WHERE email = :e", e=stranger.email))[0][0]
    await sql(
        database_url,
        "INSERT INTO people (aad_object_id, display_name, email, team_id) VALUES (:aad, :name, :email, :team)",
        aad="99999999-0000-4000-8000-000000000001",
        name=worker.display_name,
        email="namesake@demo-borough.invalid",
        team=team,
    )
    await sql(
        database_url,
        "INSERT INTO person_roles (person_id, role) SELECT id, 'practitioner' FROM people WHERE email = :e",
        e="namesake@demo-borough.invalid",
    )
    case = BOROUGH.cases[0].azeus_number
    which = await say(connector, u["qa"], f"assign {case} to {worker.display_name.upper()}")
    assert card_texts(which)[0] == f"Which {worker.display_name}?"
    choices = [n for n in walk(which) if n.get("type") == "Action.Execute" and n["title"].startswith("Choose")]
    assert len(choices) == 2
    details = [t for t in card_texts(which) if " · " in t]
    assert len(details) == 2
    assert all("Practitioner (social worker)" in d for d in details), details
    before = await _query(database_url, "SELECT count(*) FROM audits")
    done = await u["qa"].execute(choices[0]["verb"], choices[0]["data"])
    assert (await _query(database_url, "SELECT count(*) FROM audits"))[0][0] == before[0][0] + 1
    said = " ".join(card_texts(done))
    assert f"case {case} " in said, said
    assert f"assigned to {worker.display_name}, with {lead.display_name} as second person (their Practice Lead)" in said
    assert re.search(r"due \w{3} \d{2} \w{3} \d{4}", said), said
    assert f"The start card is on its way to {worker.display_name} and {lead.display_name}." in said
    namesake = find_action(which, "Choose", partial=True)
    assert namesake["data"]["command"].endswith(worker.email)  # the first is the case's own worker
