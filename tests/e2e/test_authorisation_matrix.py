"""The authorisation matrix over real HTTP (SQLite and PostgreSQL): every role of the framework
against every action on one audit (open, edit a practitioner page, edit the manager's section,
submit, moderate, read-only view, mark uploaded) and every chat command. Export is not a Teams
action: `plf export` is for operators with database access, and logs each export. Each refusal says so and changes
nothing; nobody reads outside their scope; SLT and the Director are read-only; nobody moderates an
audit they took part in (unit-tested in test_moderation and by the moderation e2e tests).

Expected outcomes are the framework's rules (README "How the audit workflow works"), written out
here as a table, not computed from the code under test."""

from __future__ import annotations

import re
from typing import Any

from plf_core.forms.model import Contributor
from plf_core.vocabulary import Role
from tests.card_tree import inputs, walk
from tests.e2e.teams import TeamsUser, answer_ids, card_texts
from tests.e2e.test_audit_workflow import BOROUGH, PLC, _query, answers_for, assigned, bot, cast, users  # noqa: F401

ROLES = ("worker", "lead", "manager", "head", "other_head", "stranger", "qa", "qa_manager", "slt", "director", "data")
PRACTITIONER_PAGE = next(p.id for p in PLC.pages if p.editor is Contributor.PRACTITIONER and p.fields)
MANAGER_PAGE = "manager_judgement"

# what each role may do with an open audit of the worker's case (the worker practitioner, the team's
# Practice Lead second person): Y allowed, R read-only, N refused. The Head of Service writes their
# own section of the form, so may reach the review (submit shows what is still missing).
MATRIX: dict[str, dict[str, str]] = {
    #             open  edit  manager  submit uploaded
    "worker":     {"open": "Y", "edit": "Y", "manager": "N", "submit": "Y", "uploaded": "N"},
    "lead":       {"open": "Y", "edit": "Y", "manager": "Y", "submit": "Y", "uploaded": "N"},
    "manager":    {"open": "Y", "edit": "N", "manager": "Y", "submit": "Y", "uploaded": "N"},
    "head":       {"open": "Y", "edit": "N", "manager": "N", "submit": "Y", "uploaded": "N"},  # opens on their page
    "other_head": {"open": "N", "edit": "N", "manager": "N", "submit": "N", "uploaded": "N"},
    "stranger":   {"open": "N", "edit": "N", "manager": "N", "submit": "N", "uploaded": "N"},
    "qa":         {"open": "R", "edit": "N", "manager": "N", "submit": "N", "uploaded": "Y"},
    "qa_manager": {"open": "R", "edit": "N", "manager": "N", "submit": "N", "uploaded": "Y"},
    "slt":        {"open": "R", "edit": "N", "manager": "N", "submit": "N", "uploaded": "N"},
    "director":   {"open": "R", "edit": "N", "manager": "N", "submit": "N", "uploaded": "N"},
    "data":       {"open": "N", "edit": "N", "manager": "N", "submit": "N", "uploaded": "N"},
}  # fmt: skip

# chat commands: who may use each (QA: reviewers and QA managers)
QA_ONLY = ("assign DEMO-900001 to nobody", "uploaded 999", "sample 1", "moderate", "timetable", "remind",
           "escalate", "outbox", "dip themes", "dip new Voice of the child", "dip approve 999",
           "dip send 999 to nobody", "thematic DEMO-900001 to nobody due 2027-01-31 theme Voice",
           "supervision nobody to nobody", "unknown people")  # fmt: skip
QA_AND_SLT = ("agreement", "status")
QA_SLT_AND_AREA_MANAGERS = ("report quarter", "dips")  # Heads of Service and Service Managers: their own
EVERYONE = ("help", "my audits", "open 999", "done 999")


def people_of_the_matrix() -> dict[str, Any]:
    c = cast()
    case_area = next(t for t in BOROUGH.teams if t.code == BOROUGH.cases[0].team_code).service_area_code
    other_head = next(
        t.head_of_service_email for t in BOROUGH.teams if t.service_area_code != case_area and t.head_of_service_email
    )
    by_email = {p.email: p for p in BOROUGH.people}

    def first(role: Role) -> Any:
        return next(p for p in BOROUGH.people if role in p.roles and len(p.roles) == 1)

    return {
        **{k: c[k] for k in ("worker", "lead", "manager", "head", "stranger", "qa")},
        "other_head": by_email[other_head],
        "qa_manager": first(Role.QA_MANAGER),
        "slt": first(Role.SLT),
        "director": first(Role.DIRECTOR_OF_OPERATIONS),
        "data": first(Role.DATA_AND_IMPACT),
    }


def editable(page_id: str) -> set[str]:
    return {f.id for f in PLC.page(page_id).fields if not f.prefilled_from}


def refused(card: dict[str, Any]) -> bool:
    text = " ".join(card_texts(card)).lower()
    return any(
        words in text
        for words in ("not one you can open", "but not change it", "only the qa team", "not yours", "you cannot")
    )


async def audit_state(database_url: str, audit_id: int) -> tuple[Any, ...]:
    rows = await _query(database_url, "SELECT version, status, uploaded_at FROM audits WHERE id = :a", a=audit_id)
    answers = await _query(database_url, "SELECT count(*) FROM answers WHERE audit_id = :a", a=audit_id)
    return (*rows[0], answers[0][0])


async def test_every_role_against_every_action_on_an_audit(bot: Any, database_url: str) -> None:  # noqa: F811
    app, connector = bot
    people = people_of_the_matrix()
    u = {role: TeamsUser(app.url, connector.url, p.aad_object_id, p.display_name) for role, p in people.items()}
    for user in u.values():
        assert await user.install() in (200, 202)
    audit_id = await assigned(users(app.url, connector), connector)
    version = (await audit_state(database_url, audit_id))[0]
    failures = []

    for role in ROLES:
        expected = MATRIX[role]
        user = u[role]
        before = await audit_state(database_url, audit_id)

        card = await user.execute("audit.open", {"audit": audit_id})
        if expected["open"] == "N":
            ok = refused(card)
        elif expected["open"] == "R":
            ok = not refused(card) and not answer_ids(card)
        else:
            ok = not refused(card)
        failures += [] if ok else [(role, "open", expected["open"], card_texts(card)[:3])]

        for action, page, editors in (
            ("edit", PRACTITIONER_PAGE, {Contributor.PRACTITIONER}),
            ("manager", MANAGER_PAGE, {Contributor.MANAGER}),
        ):
            data = {"audit": audit_id, "version": version, "page": page}
            card = await user.execute("page.save", data, answers_for(page, editors))
            if expected[action] == "Y":
                ok = not refused(card)
                version = (await audit_state(database_url, audit_id))[0]
            else:  # refused, or shown the page without what they may not write: either way nothing written
                ok = await audit_state(database_url, audit_id) == before and not (set(inputs(card)) & editable(page))
            failures += [] if ok else [(role, action, expected[action], card_texts(card)[:3])]
            before = await audit_state(database_url, audit_id)

        # moderate: only a moderator asked to (none is, for this open audit); never a participant
        card = await user.execute("moderation.open", {"audit": audit_id})
        if not any("have not been asked to moderate" in t for t in card_texts(card)):
            failures.append((role, "moderate", "N", card_texts(card)[:3]))

        card = await user.execute("audit.submit", {"audit": audit_id, "version": version})
        after = await audit_state(database_url, audit_id)
        if expected["submit"] == "Y":  # allowed: shown what still needs attention, nothing submitted yet
            ok = not refused(card) and after[1] != "submitted"
        else:
            ok = refused(card) and after == before
        failures += [] if ok else [(role, "submit", expected["submit"], card_texts(card)[:3])]

        reply = await say(connector, user, f"uploaded {audit_id}")
        after = await audit_state(database_url, audit_id)
        if expected["uploaded"] == "Y":  # allowed, but the audit is not submitted yet
            ok = "has not been submitted yet" in " ".join(card_texts(reply))
        else:
            ok = refused(reply) and after == before
        failures += [] if ok else [(role, "uploaded", expected["uploaded"], card_texts(reply)[:3])]

    assert failures == [], "\n".join(map(str, failures))


async def say(connector: Any, user: TeamsUser, text: str) -> dict[str, Any]:
    """Say something and wait for the bot's answer."""
    import asyncio

    from tests.e2e.test_audit_workflow import cards_to

    seen = len(cards_to(connector, user))
    assert await user.say(text) == 202
    async with asyncio.timeout(15):
        while len(cards_to(connector, user)) <= seen:
            await asyncio.sleep(0.05)
    return cards_to(connector, user)[-1]


async def test_every_role_against_every_chat_command(bot: Any, database_url: str) -> None:  # noqa: F811
    app, connector = bot
    people = people_of_the_matrix()
    u = {role: TeamsUser(app.url, connector.url, p.aad_object_id, p.display_name) for role, p in people.items()}
    for user in u.values():
        assert await user.install() in (200, 202)
    count = "SELECT form_id, count(*) FROM audits GROUP BY form_id"
    before = await _query(database_url, count)

    async def check(role: str, user: TeamsUser) -> list[tuple[object, ...]]:
        failures: list[tuple[object, ...]] = []
        qa = role in ("qa", "qa_manager")
        slt = role in ("slt", "director")
        area_manager = role in ("manager", "head", "other_head")
        for command in (*QA_ONLY, *QA_AND_SLT, *QA_SLT_AND_AREA_MANAGERS, *EVERYONE):
            reply = await say(connector, user, command)
            may = (
                command in EVERYONE
                or qa
                or (slt and command in (*QA_AND_SLT, *QA_SLT_AND_AREA_MANAGERS))
                or (area_manager and command in QA_SLT_AND_AREA_MANAGERS)
            )
            said_no = re.search(r"only the qa team\b.* can use", " ".join(card_texts(reply)).lower()) is not None
            if said_no == may:
                failures.append((role, command, may, card_texts(reply)[:2]))
        menu = await say(connector, user, "help")
        listed = " ".join(card_texts(menu))
        examples = {n["text"] for n in walk(menu) if n.get("fontType") == "Monospace"}
        if ("outbox" in examples) != qa:  # help lists only the commands the person may use
            failures.append((role, "help lists outbox", qa, listed[:200]))
        return failures

    # each role in its own conversation at once: one conversation's replies are paced at Teams' 7 a second
    import asyncio

    failures = [f for found in await asyncio.gather(*(check(r, user) for r, user in u.items())) for f in found]
    assert failures == [], "\n".join(map(str, failures))
    # refusals created nothing: the only new audits are the two QA officers' dip sample terms of reference
    assert before == []
    assert await _query(database_url, count) == [("dip_sample_terms", 2)]
