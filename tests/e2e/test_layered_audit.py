"""The layered audit over real HTTP: QA draws a sample by chat, practitioners complete their audits,
the moderation choice asks the right people, a moderator changes a grade with a reason, and the
agreement figures show that change (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from plf_core.forms.model import Contributor
from tests.card_tree import walk
from tests.e2e.teams import TeamsUser, card_facts, card_texts, find_action, input_ids
from tests.e2e.test_audit_workflow import (
    BOROUGH,
    PLC,
    _query,
    bot,  # noqa: F401 - the fixture
    fill_pages,
    users,
    wait_for_card,
)
from tests.instants import DEFAULT_NOW


async def person_user(database_url: str, app_url: str, connector_url: str, person_id: int) -> TeamsUser:
    rows = await _query(database_url, "SELECT aad_object_id, display_name FROM people WHERE id = :id", id=person_id)
    aad, name = rows[0]
    user = TeamsUser(app_url, connector_url, aad, name)
    assert await user.install() in (200, 202)
    return user


async def complete(worker: TeamsUser, lead: TeamsUser, audit_id: int) -> None:
    card = await worker.execute("audit.open", {"audit": audit_id})
    practitioner_pages = [p.id for p in PLC.pages if p.editor is Contributor.PRACTITIONER]
    await fill_pages(worker, card, practitioner_pages, {Contributor.PRACTITIONER}, "green")
    card = await lead.execute("audit.open", {"audit": audit_id, "page": "manager_judgement"})
    card = await fill_pages(
        lead, card, ["manager_judgement", "manager_overall", "action_plan"], {Contributor.MANAGER}, "amber"
    )
    # the Practice Lead's own last page leads to the review
    done = await lead.press(card, "Submit")
    assert any("submitted" in t.lower() for t in card_texts(done)), card_texts(done)


async def test_sample_submit_moderate_and_measure(bot: Any, database_url: str) -> None:  # noqa: F811
    app, connector = bot
    u = users(app.url, connector)
    for user in u.values():
        assert await user.install() in (200, 202)
    team = BOROUGH.cases[0].team_code

    # QA draws the quarter's sample for one team: a preview first, nothing created
    assert await u["qa"].say(f"sample quota team {team} seed 7") == 202
    preview = await wait_for_card(connector, u["qa"], "Sample preview")
    assert card_facts(preview)["Seed"] == "7"
    assert card_facts(preview)["Selected"] == "3 (3 per Practice Lead)"
    chosen = card_texts(preview)[card_texts(preview).index("The cases chosen (case, team, practitioner)") + 1]
    assert len(chosen.split("\n\n")) == 3  # each case with its team and practitioner, before anything is made
    assert all(f" · {team} · " in line for line in chosen.split("\n\n")), chosen
    assert await _query(database_url, "SELECT id FROM audits") == []
    created = await u["qa"].press(preview, "Create 3 audits")
    assert any("Sample created" in t for t in card_texts(created)), card_texts(created)
    again = await u["qa"].press(preview, "Create 3 audits")  # a double click creates nothing more
    assert any("already created" in t for t in card_texts(again))
    audits = await _query(database_url, "SELECT id, practitioner_id, second_person_id, draw_id FROM audits ORDER BY id")
    assert len(audits) == 3
    assert len({a[1] for a in audits}) == 3  # three different social workers
    assert all(a[3] is not None for a in audits)
    draw = await _query(database_url, "SELECT seed, population_size, method FROM sampling_draws")
    assert draw[0][0] == 7
    assert draw[0][2] == "quota"

    # each practitioner and their Practice Lead get the start card and complete the audit
    lead = await person_user(database_url, app.url, connector.url, audits[0][2])
    assert await lead.say("my audits") == 202
    listing = await wait_for_card(connector, lead, "Your open audits")
    assert any("You are the Practice Lead" in t for t in card_texts(listing)), card_texts(listing)
    for audit_id, worker_id, _, _ in audits:
        worker = await person_user(database_url, app.url, connector.url, worker_id)
        await wait_for_card(connector, worker, "New Practice Learning Conversation")
        await complete(worker, lead, audit_id)

    # QA chooses the month's moderations: preview, then the requests go to the right people
    assert await u["qa"].say("moderate") == 202  # with no month: the last whole month's, not this one's
    month = DEFAULT_NOW.replace(day=1)
    await wait_for_card(connector, u["qa"], f"No audits were returned in {(month - timedelta(days=1)):%B %Y}")
    assert await u["qa"].say(f"moderate {month:%Y-%m}") == 202
    choice = await wait_for_card(connector, u["qa"], f"Moderation for {month:%B %Y}")
    button = find_action(choice, "moderation requests", partial=True)
    count = int(re.search(r"Create (\d+)", button["title"])[1])  # type: ignore[index]
    assert count >= 3  # the Head of Service's share, the reviewers' share, the AD QA's cases
    await u["qa"].execute(button["verb"], button["data"])
    requests = await _query(database_url, "SELECT audit_id, moderator_id, stream FROM moderations ORDER BY id")
    assert {r[0] for r in requests} == {a[0] for a in audits}
    head_rows = [r for r in requests if r[2] == "head_of_service"]
    assert head_rows
    assert all(r[1] not in (a[1], a[2]) for r in requests for a in audits if a[0] == r[0])  # never their own
    audit_id, head_id, _ = head_rows[0]
    head = await person_user(database_url, app.url, connector.url, head_id)
    request = await wait_for_card(connector, head, "Please moderate the audit")
    assert await head.say("my audits") == 202  # the request can also be found again from the list
    listing = await wait_for_card(connector, head, "Audits you are asked to moderate")
    buttons = [n for n in walk(listing) if n.get("type") == "Action.Execute" and n.get("verb") == "moderation.open"]
    assert audit_id in {b["data"]["audit"] for b in buttons}

    # the practitioner cannot moderate their own audit
    practitioner_id = next(a[1] for a in audits if a[0] == audit_id)
    practitioner = await person_user(database_url, app.url, connector.url, practitioner_id)
    refused = await practitioner.execute("moderation.open", {"audit": audit_id})
    assert any("have not been asked to moderate" in t for t in card_texts(refused))

    # the Head of Service moderates: a changed grade without a reason is not accepted, nothing lost
    form = await head.press(request, "Start moderating")
    assert "M_overall_grade" in input_ids(form)
    grades = {"M_compliance_grade": "amber", "M_overall_grade": "green", "M_actions": "Update the plan\nSee the child"}
    refused_card = await head.press(form, "Submit moderation", grades)
    assert any("please give your reason" in t for t in card_texts(refused_card))
    kept = {n["id"]: n.get("value") for n in _inputs(refused_card)}
    assert kept["M_overall_grade"] == "green"
    assert kept["M_actions"] == "Update the plan\nSee the child"
    done = await head.press(
        refused_card, "Submit moderation", {**grades, "M_overall_reason": "Strong evidence of impact in the plan."}
    )
    assert any("Moderation recorded" in t for t in card_texts(done))
    outcome = await wait_for_card(connector, practitioner, "has been moderated")
    assert any("Strong evidence of impact" in t for t in card_texts(outcome))
    assert any("Update the plan" in t for t in card_texts(outcome))
    final = await _query(database_url, "SELECT final_grade FROM audits WHERE id = :id", id=audit_id)
    assert final == [("green",)]
    kept_grades = await _query(
        database_url,
        "SELECT original_grade, moderated_grade FROM moderations WHERE audit_id = :id AND moderator_id = :m",
        id=audit_id,
        m=head_id,
    )
    assert kept_grades == [("amber", "green")]  # both grades are kept
    sql = "SELECT text FROM actions WHERE audit_id = :id AND deadline IS NULL ORDER BY id"  # the plan's have one
    actions = await _query(database_url, sql, id=audit_id)
    assert actions == [("Update the plan",), ("See the child",)]  # the moderator's

    # the statistics show the change
    assert await u["qa"].say("agreement by team") == 202
    figures = await wait_for_card(connector, u["qa"], "Moderation agreement")
    facts = card_facts(figures)
    assert facts["Audits moderated"] == "1 (small number: fewer than 5)"
    assert facts["Moved up by the moderator"] == "100.0%"
    assert facts["Exact agreement"] == "0.0%"
    breakdown = [line for t in card_texts(figures) for line in t.split("\n\n")]
    assert any(line.startswith(f"{team}: 1 moderated · exact 0%") for line in breakdown), breakdown


def _inputs(card: dict[str, Any]) -> list[dict[str, Any]]:
    from tests.card_tree import inputs

    return list(inputs(card).values())
