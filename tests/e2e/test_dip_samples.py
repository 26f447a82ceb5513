"""A dip sample over real HTTP: a default theme, the Terms of Reference filled in, approved by the
QA manager, sent to the Head of Service, agreed; every step dated (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from plf_core.concerns import INPUTS as CONCERN_BOX
from plf_core.forms.model import Contributor, DateRule, FieldKind
from plf_core.forms.registry import get_form
from plf_core.vocabulary import Role
from tests.e2e.teams import TeamsUser, card_facts, card_texts, input_ids
from tests.e2e.test_audit_workflow import BOROUGH, _query, bot, cast, users, wait_for_card  # noqa: F401

DIP = get_form("dip_sample_terms")


def terms_answers(page_id: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    page = DIP.page(page_id)
    for f in page.fields:
        if f.prefilled_from or page.editor_of(f) is not Contributor.QA:  # the moderator's comments are not QA's
            continue
        values[f.id] = {
            FieldKind.YES_NO: "no",
            FieldKind.RAG: "red" if f.id == "AP2_rag" else "amber",  # one to do at once: an immediate concern
            FieldKind.DATE: "2026-12-18" if f.dated is DateRule.DUE else "2026-11-18",
            FieldKind.TEXT: "Synthetic: team managers",
            FieldKind.LONG_TEXT: f"Synthetic {f.id}: voice of the child recorded in plans.",
        }[f.kind]
    return values


async def test_a_dip_sample_from_theme_to_agreed_actions(bot: Any, database_url: str) -> None:  # noqa: F811
    app, connector = bot
    u = users(app.url, connector)
    manager_row = next(p for p in BOROUGH.people if Role.QA_MANAGER in p.roles)
    qa_manager = TeamsUser(app.url, connector.url, manager_row.aad_object_id, manager_row.display_name)
    for user in [*u.values(), qa_manager]:
        assert await user.install() in (200, 202)
    head = cast()["head"]

    assert await u["qa"].say("dip themes") == 202
    themes = await wait_for_card(connector, u["qa"], "Start a dip sample")
    assert "Voice of the child" in card_texts(themes)
    start = next(n for n in _buttons(themes) if n["data"].get("command") == "dip new Voice of the child")
    card = await u["qa"].execute(start["verb"], start["data"])
    assert "TOR_title" in input_ids(card)
    for page in DIP.pages:
        title = "Review and submit" if page is DIP.pages[-1] else "Next"
        card = await u["qa"].press(card, title, terms_answers(page.id))
    assert not [t for t in card_texts(card) if "attention" in t], card_texts(card)
    card = await u["qa"].press(card, "Submit")
    assert any("submitted" in t.lower() for t in card_texts(card)), card_texts(card)

    assert await u["qa"].say("dip send 1 to " + head.email) == 202  # not approved yet
    await wait_for_card(connector, u["qa"], "only an approved dip sample can be sent")
    assert await u["qa"].say("dip approve 1") == 202  # a reviewer is not a QA manager
    await wait_for_card(connector, u["qa"], "only a QA manager can approve")
    assert await qa_manager.say("dip approve 1") == 202
    await wait_for_card(connector, qa_manager, "Dip sample 1 (Voice of the child) is approved")
    assert await u["qa"].say(f"dip send 1 to {cast()['worker'].email}") == 202
    await wait_for_card(connector, u["qa"], "is not a Head of Service")
    assert await u["qa"].say(f"dip send 1 to {head.display_name.lower()[:-2]}") == 202  # a name mistyped
    await wait_for_card(connector, u["qa"], f"Did you mean {head.display_name}")
    assert await u["qa"].say(f"dip send 1 to  {head.display_name.lower()}") == 202  # a name, as people type it
    await wait_for_card(connector, u["qa"], "to agree its 5 actions by")
    sent = await wait_for_card(connector, u["qa"], "to agree its 5 actions by")
    assert any("Its 1 action rated Red went to them at once as immediate concerns" in t for t in card_texts(sent))
    urgent = await wait_for_card(connector, u["manager"], "Immediate concern: dip sample 1")  # the Red action
    assert any(t.startswith("Action 2 of dip sample 1 (Voice of the child), rated Red") for t in card_texts(urgent))
    held = await u["manager"].press(urgent, "I'm dealing with this")
    assert any("You have this concern" in t for t in card_texts(held))
    await wait_for_card(connector, u["qa"], "is being dealt with")  # the QA officer who sent it is told
    told = await wait_for_card(connector, u["manager"], "Dip sample 1: Voice of the child")  # who will update them
    assert "Update the actions" in [a["title"] for a in _buttons(told)]
    assert "Synthetic TOR_recommendations: voice of the child recorded in plans." in card_texts(told)
    slt = await _query(database_url, "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'dip:1:findings:%'")
    assert slt == [(len([p for p in BOROUGH.people if Role.SLT in p.roles]),)]  # the findings go to SLT too

    notice = await wait_for_card(connector, u["head"], "Dip sample: Voice of the child")
    assert any("[AMBER]" in t for t in card_texts(notice))
    view = await u["head"].press(notice, "Open the dip sample")
    assert set(input_ids(view)) == set(CONCERN_BOX)  # read-only for the Head of Service, but for a concern
    stranger = await u["stranger"].execute("dip.agree", {"dip_sample": 1})
    assert any("was not sent to you" in t for t in card_texts(stranger))
    agreed = await u["head"].press(notice, "Agree the actions")
    assert any("are agreed" in t for t in card_texts(agreed))

    assert await u["qa"].say("dips") == 202
    listing = await wait_for_card(connector, u["qa"], "Dip samples")
    steps = next(t for t in card_texts(listing) if t.startswith("agreed"))
    for step in ("created", "approved", "sent", "agreed"):
        assert f"{step} 20" in steps  # each step with its date
    actions = await _query(database_url, "SELECT rag, status FROM actions WHERE dip_sample_id = 1")
    assert actions == [("amber", "open"), ("red", "open")] + [("amber", "open")] * 3

    # the Service Manager finds the dip sample in their own list, and follows its actions up to the end
    assert await u["manager"].say("dips") == 202
    mine = await wait_for_card(connector, u["manager"], "Dip samples")
    assert "Dip sample 1: Voice of the child" in card_texts(mine)
    assert await u["stranger"].say("dip actions 1") == 202
    await wait_for_card(connector, u["stranger"], "only the QA team")
    assert await u["manager"].say("dip actions 1") == 202
    follow = await wait_for_card(connector, u["manager"], "Actions: 0 of 5 done")
    ids = sorted(i for i in input_ids(follow) if i.startswith("progress_"))
    assert len(ids) == 5
    first = ids[0].removeprefix("progress_")
    follow = await u["manager"].press(follow, "Save", {ids[0]: "Shared at the team meeting", f"done_{first}": "true"})
    assert "Thank you: 1 update saved and 1 action marked done." in card_texts(follow)
    everything = {f"done_{i.removeprefix('progress_')}": "true" for i in ids}
    follow = await u["manager"].press(follow, "Save", everything)
    texts = card_texts(follow)
    assert any("Action 1 was already marked done by" in t for t in texts), texts
    assert any("the follow-ups and the escalation to the Director of Operations stop" in t for t in texts)
    done = await _query(database_url, "SELECT status, progress FROM actions WHERE dip_sample_id = 1 ORDER BY id")
    assert done == [("done", "Shared at the team meeting")] + [("done", None)] * 4

    # the dip's cohort drawn and linked to it: a quarter of it to Practice Learning Review (line 515)
    assert await u["qa"].say("sample 8 by cohort dip 1 seed 5") == 202
    preview = await wait_for_card(connector, u["qa"], "Sample preview")
    assert card_facts(preview)["For Practice Learning Review"] == "2 (an audit each; the rest are the dip's cohort)"
    created = await u["qa"].press(preview, "Create 2 audits")
    texts = card_texts(created)
    assert any("2 audits for Practice Learning Review" in t for t in texts), texts
    assert any("the other 6 cases are dip sample 1's (Voice of the child) cohort" in t for t in texts), texts
    assert await _query(database_url, "SELECT draw_id FROM dip_samples WHERE id = 1") == [(1,)]
    assert await _query(database_url, "SELECT count(*) FROM audits WHERE draw_id = 1") == [(2,)]
    # moderated by the AD QA (line 517): the moderator's comments go into the Terms of Reference
    assert await u["qa"].say("dip moderate 1") == 202
    await wait_for_card(connector, u["qa"], "you wrote dip sample 1's Terms of Reference")
    assert await qa_manager.say("dip moderate 1") == 202
    moderating = await wait_for_card(connector, qa_manager, "Moderating dip sample 1")
    saved = await qa_manager.press(moderating, "Save", {"TOR_moderators": "Synthetic: well evidenced."})
    assert "Thank you: your comments are saved in its Terms of Reference." in card_texts(saved)
    [(latest,)] = await _query(
        database_url, "SELECT \"values\" FROM answers WHERE page_id = 'learning' ORDER BY id DESC LIMIT 1"
    )
    assert "Synthetic: well evidenced." in str(latest)
    assert await u["qa"].say("sample quota dip 1") == 202
    await wait_for_card(connector, u["qa"], "a quota is the cycle's audits, not a dip sample's cohort")


def _buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    from tests.card_tree import walk

    return [n for n in walk(card) if n.get("type") == "Action.Execute"]
