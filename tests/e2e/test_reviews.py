"""Thematic and supervision reviews over real HTTP: assigned by QA, each person sees their part."""

from __future__ import annotations

from typing import Any

from plf_core.forms.model import Contributor
from plf_core.forms.registry import get_form
from plf_core.vocabulary import Role
from tests.card_tree import inputs
from tests.e2e.teams import TeamsUser, answer_ids, card_texts, input_ids
from tests.e2e.test_audit_workflow import BOROUGH, _query, bot, cast, users, wait_for_card  # noqa: F401


async def test_thematic_review_with_its_moderator_and_a_supervision_review(bot: Any, database_url: str) -> None:  # noqa: F811
    app, connector = bot
    u = users(app.url, connector)
    reviewers = [p for p in BOROUGH.people if Role.PRACTICE_LEARNING_REVIEWER in p.roles]
    manager = next(p for p in BOROUGH.people if Role.QA_MANAGER in p.roles)
    reviewer = TeamsUser(app.url, connector.url, reviewers[1].aad_object_id, reviewers[1].display_name)
    moderator = TeamsUser(app.url, connector.url, manager.aad_object_id, manager.display_name)
    for user in [*u.values(), reviewer, moderator]:
        assert await user.install() in (200, 202)
    case = next(c for c in BOROUGH.cases if c.cohort.value == "cp")

    command = (
        f"thematic {case.azeus_number} to {reviewers[1].email} due 2026-12-31 theme Voice of the child "
        f"focus Plans written with the child in the last six months moderator {manager.email}"
    )
    assert await u["qa"].say(command) == 202
    reply = await wait_for_card(connector, u["qa"], "Thematic review")
    assert any("(CiN & CP)" in t and "moderated by" in t for t in card_texts(reply)), card_texts(reply)
    start = await wait_for_card(connector, reviewer, "New Thematic")
    header = await reviewer.press(start, "Start")
    values = {n["id"]: n.get("value") for n in inputs(header).values()}
    assert values["T_theme"] == "Voice of the child"
    assert values["T_focus"] == "Plans written with the child in the last six months"
    assert values["T_deadline"] == "2026-12-31"

    form_id = (await _query(database_url, "SELECT form_id, id FROM audits WHERE form_id LIKE 'thematic%'"))[0]
    form = get_form(form_id[0])
    section = form.pages[1]
    moderated = await moderator.execute("audit.open", {"audit": form_id[1], "page": section.id})
    editable = set(answer_ids(moderated))
    moderator_fields = {f.id for f in section.fields if section.editor_of(f) is Contributor.MODERATOR}
    assert editable
    assert editable <= moderator_fields  # the moderator writes the moderator columns only
    by_reviewer = set(input_ids(await reviewer.execute("audit.open", {"audit": form_id[1], "page": section.id})))
    assert not by_reviewer & moderator_fields

    lead, worker = cast()["lead"], cast()["worker"]
    assert await u["qa"].say(f"supervision {lead.email} to {reviewers[1].email} supervisee {worker.email}") == 202
    done = await wait_for_card(connector, u["qa"], "Supervision review")
    assert any("linked to it" in t for t in card_texts(done))
    evaluation = await wait_for_card(connector, u["worker"], "New Supervisee Evaluation")
    opened = await u["worker"].press(evaluation, "Start")
    assert "SE_date" in input_ids(opened)
    links = await _query(
        database_url,
        "SELECT e.parent_audit_id, r.id FROM audits e JOIN audits r ON r.form_id = 'supervision_review' "
        "WHERE e.form_id = 'supervisee_evaluation'",
    )
    assert links[0][0] == links[0][1]
    refused = await u["worker"].say(f"supervision {lead.email} to {worker.email}")
    assert refused == 202
    await wait_for_card(connector, u["worker"], "only the QA team can use 'supervision'")
