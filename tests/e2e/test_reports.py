"""The highlight report from Teams over real HTTP (SQLite and PostgreSQL): QA's summary card and
its link to the full report, a Head of Service limited to their own service area, 403 with a
friendly page once the reader may no longer see the scope, 404 for a tampered link."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from plf_core.vocabulary import Role
from tests.card_tree import walk
from tests.databases import fresh_database, template, with_history
from tests.e2e.running_app import serving
from tests.e2e.teams import card_facts, card_texts
from tests.e2e.test_audit_workflow import BOROUGH, _query, cards_to, cast, users, wait_for_card
from tests.fakes.connector import running_connector


@pytest.fixture
async def database_url(backend: str, tmp_path: Path, now: datetime) -> AsyncIterator[str]:
    """The demo borough with a synthetic year of returned audits (as `plf demo --history`)."""
    history = await template(backend, f"history-{now.date().isoformat()}", with_history(now))
    async with fresh_database(backend, tmp_path, history) as url:
        yield url


@pytest.fixture
async def bot(database_url: str, now: datetime) -> Any:
    async with running_connector() as connector, serving(database_url, now) as app:
        yield app, connector


def link(card: dict[str, Any], title: str) -> str:
    return next(str(n["url"]) for n in walk(card) if n.get("type") == "Action.OpenUrl" and n.get("title") == title)


async def fetch(url: str) -> tuple[int, str, dict[str, str]]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text(), dict(response.headers)


async def test_qa_gets_a_summary_card_linking_to_the_full_report(bot: Any) -> None:
    app, connector = bot
    u = users(app.url, connector)
    for role in ("qa", "worker"):
        assert await u[role].install() in (200, 202)

    assert await u["qa"].say("report quarter") == 202
    card = await wait_for_card(connector, u["qa"], "Highlight report:")
    title = next(t for t in card_texts(card) if t.startswith("Highlight report:"))
    assert title.endswith(", the whole service")
    figures = card_facts(card)
    assert int(figures["Audits returned"].rstrip("*")) > 50  # the synthetic year: about 120 a quarter
    url = link(card, "Open the full report")
    assert url.startswith(f"{app.url}/links/reports/")

    status, html, headers = await fetch(url)
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "Practice Learning highlight report" in html
    assert html.count("data:image/png;base64,") == 3
    for section in ("How much did we do?", "How well did we do it?", "Is anyone better off?", "Top themes", "Trends"):
        assert f"<h2>{section}</h2>" in html
    assert "Overdue actions" not in html  # service-wide: aggregate, no case ids

    token = url.rsplit("/", 1)[1].removesuffix(".html")
    status, _, _ = await fetch(url.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB")))
    assert status == 404

    assert await u["qa"].say("report quarter Narnia") == 202
    await wait_for_card(connector, u["qa"], "there is no service area 'Narnia'; the service areas are: ")
    assert await u["worker"].say("report") == 202
    said = "only the QA team, SLT, Heads of Service and Service Managers (for their own areas) can use 'report'"
    await wait_for_card(connector, u["worker"], said)


async def test_a_head_of_service_sees_their_own_area_until_they_no_longer_lead_it(bot: Any, database_url: str) -> None:
    app, connector = bot
    u = users(app.url, connector)
    assert await u["head"].install() in (200, 202)

    assert await u["head"].say("report quarter") == 202
    card = await wait_for_card(connector, u["head"], "Highlight report:")
    title = next(t for t in card_texts(card) if t.startswith("Highlight report:"))
    assert "the whole service" not in title  # their own service area, by default
    url = link(card, "Open the full report")
    status, html, _ = await fetch(url)
    assert status == 200
    assert "Overdue actions in this service area" in html

    assert await u["head"].say("report quarter all") == 202
    await wait_for_card(connector, u["head"], "you can see the report of your own service area")

    email = cast()["head"].email
    head_id = (await _query(database_url, "SELECT id FROM people WHERE email = :e", e=email))[0][0]
    from tests.e2e.test_timetable_commands import execute

    await execute(database_url, "UPDATE teams SET head_of_service_id = NULL WHERE head_of_service_id = :p", p=head_id)
    await execute(database_url, "DELETE FROM person_roles WHERE person_id = :p", p=head_id)
    status, html, _ = await fetch(url)
    assert status == 403
    assert "This report is not available to you" in html
    logged = await _query(
        database_url, "SELECT outcome FROM access_log WHERE action LIKE 'report % (link)' ORDER BY id"
    )
    assert [r[0] for r in logged] == ["ok", "denied"]


async def test_status_and_report_give_the_same_figures_for_a_quarter(bot: Any, database_url: str) -> None:
    from plf_core.periods import quarter
    from tests.e2e.test_authorisation_matrix import say
    from tests.instants import DEFAULT_NOW

    app, connector = bot
    u = users(app.url, connector)
    last = quarter(DEFAULT_NOW.date()).previous().code  # the demo history's last whole quarter
    status = card_facts(await say(connector, u["qa"], f"status {last}"))
    report = card_facts(await say(connector, u["qa"], f"report {last}"))
    for name in ("Returned", "Outstanding", "Moderated", "Actions open"):
        shown = report["Audits returned" if name == "Returned" else name].rstrip("*")
        assert status[name] == shown, (name, status, report)
    assert status["Actions past their deadline"] == report["Actions past their deadline"].rstrip("*")
    assert int(status["Returned"]) > 0
    assert int(status["Moderated"]) > 0
    assert int(status["Actions open"]) > 0
    assert int(status["Outstanding"]) > 0  # the demo history returns some late: outstanding at the quarter's end
    held = await _query(database_url, "SELECT count(*) FROM actions WHERE status IN ('open', 'not_yet')")
    assert int(status["Actions open"]) <= held[0][0]


async def test_a_practitioner_and_their_practice_lead_open_their_own_teams_report(bot: Any) -> None:
    """Line 318: Practice Leads and practitioners can open their own team's report."""
    app, connector = bot
    u = users(app.url, connector)
    for role in ("worker", "lead", "stranger"):
        assert await u[role].install() in (200, 202)
    team = next(t for t in BOROUGH.teams if t.code == BOROUGH.cases[0].team_code)

    assert await u["worker"].say("team report 2026-q3") == 202
    card = await wait_for_card(connector, u["worker"], "Highlight report:")
    assert f"Highlight report: 2026 Q3, team {team.name}" in card_texts(card)
    returned = int(card_facts(card)["Audits returned"].rstrip("*"))
    assert returned > 0  # the team's own, fewer than the service's
    status, html, _ = await fetch(link(card, "Open the full report"))
    assert status == 200
    assert f"2026 Q3 · team {team.name}" in html

    assert await u["lead"].say("team report quarter") == 202
    lead_card = await wait_for_card(connector, u["lead"], "Highlight report:")
    assert int(card_facts(lead_card)["Audits returned"].rstrip("*")) == returned  # the team they lead
    assert await u["stranger"].say("report quarter") == 202  # the service's report stays QA's, SLT's, managers'
    await wait_for_card(connector, u["stranger"], "only the QA team")


async def test_the_months_highlight_report_reaches_every_manager_for_their_scope(database_url: str) -> None:
    """Lines 406, 431, 479: by itself, on the configured working day (the bot's own clock moved on)."""
    from tests.e2e.test_year_e2e import JOBS, SLOW, at, holding, user_of
    from tests.instants import LONDON, JumpingClock

    clock = JumpingClock(at("2026-12-02", "16:00"), LONDON)
    whole = {*holding(Role.SLT), *holding(Role.DIRECTOR_OF_OPERATIONS), *holding(Role.QA_MANAGER)}
    areas: dict[str, set[str]] = {}
    for team in BOROUGH.teams:
        for email in (team.head_of_service_email, team.service_manager_email):
            if email:
                areas.setdefault(email, set()).add(team.service_area_name)
    async with running_connector() as connector, serving(database_url, clock=clock, **JOBS) as app:
        managers = {email: user_of(app.url, connector, email) for email in whole | set(areas)}
        for user in managers.values():
            assert await user.install() in (200, 202)
        clock.jump_to(at("2026-12-03"))  # the third working day of December: November's report
        for email, user in managers.items():
            card = await wait_for_card(connector, user, "Highlight report: November 2026", SLOW)
            titles = {t for c in cards_to(connector, user) for t in card_texts(c) if t.startswith("Highlight report")}
            scopes = ({"the whole service"} if email in whole else set()) | areas.get(email, set())
            assert titles == {f"Highlight report: November 2026, {scope}" for scope in scopes}, (email, titles)
            assert link(card, "Open the full report").startswith(f"{app.url}/links/reports/")
    assert len(managers) == 20  # SLT, the Director of Operations, the QA managers; each area's HoS and SMs
