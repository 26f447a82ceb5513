"""The family feedback page over real HTTP (SQLite and PostgreSQL), as a family and as whoever else holds
or guesses a link: a link works once and until it expires by the project's clock; a tampered or unknown
one answers a kind 404 that reveals nothing; a flood from one address is slowed with a polite 429; a post
without the page's form check, or past the size limit, stores nothing and uses nothing up; a family's
words come back escaped; a worrying phrase reaches the Practice Lead and Service Manager in Teams; the
link a worker asks for in Teams opens this page, and what the family sends shows on the case's next
audit."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from plf_core.clock import FixedClock
from plf_core.feedback import asking
from plf_core.feedback.form import Audience
from tests.e2e.running_app import serving
from tests.e2e.teams import card_texts
from tests.e2e.test_audit_workflow import BOROUGH, _query, cast, users, wait_for_card
from tests.fakes.connector import running_connector
from tests.instants import DEFAULT_NOW, LONDON, JumpingClock

CASE = BOROUGH.cases[0].azeus_number
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
}


async def a_link(database_url: str, audience: Audience, now: datetime = DEFAULT_NOW, days: int = 28) -> str:
    """A one-time link asked for by the case's worker (the use case the Teams command calls)."""
    from store.database import create_engine
    from store.unit_of_work import unit_of_work_factory

    engine = create_engine(database_url)
    try:
        uow = unit_of_work_factory(engine, FixedClock(now, LONDON))
        async with uow() as work:
            worker = await work.people.actor_by_aad(cast()["worker"].aad_object_id)
            assert worker is not None
            link = await asking.ask(work, worker, CASE, audience, now, days)
        return link.token
    finally:
        await engine.dispose()


async def answers_stored(database_url: str) -> list[tuple[Any, ...]]:
    return await _query(database_url, "SELECT answers, flagged FROM feedback_answers")


def own_log(app: Any) -> str:
    """What the bot logged itself: `plf serve` keeps no access log (aiohttp's test server does, with paths)."""
    return "\n".join(line for line in app.log().splitlines() if '"aiohttp.access"' not in line)


def form_check(page: str) -> str:
    found = re.search(r'name="form_check" value="([^"]+)"', page)
    assert found, "the page has no form check"
    return found[1]


async def get(http: aiohttp.ClientSession, url: str, **headers: str) -> tuple[int, str, Any]:
    async with http.get(url, headers=headers) as response:
        return response.status, await response.text(), response.headers


async def post(http: aiohttp.ClientSession, url: str, data: Any) -> tuple[int, str, Any]:
    async with http.post(url, data=data) as response:
        return response.status, await response.text(), response.headers


async def test_a_family_answers_once_and_is_thanked_then_the_link_is_used(database_url: str) -> None:
    token = await a_link(database_url, Audience.PARENT)
    async with serving(database_url) as app, aiohttp.ClientSession() as http:
        url = f"{app.url}/feedback/{token}"
        status, page, headers = await get(http, url)
        assert status == 200
        assert "Was our help useful to your family?" in page
        assert CASE not in page
        assert {k: headers.get(k) for k in HEADERS} == HEADERS
        assert "set-cookie" not in {k.lower() for k in headers}
        assert "<script" not in page
        assert 'style="' not in page  # the policy allows no inline style

        status, empty, _ = await post(http, url, {"form_check": form_check(page), "helped": " "})
        assert status == 422
        assert "You have not answered anything yet." in empty
        assert await answers_stored(database_url) == []  # and the link still works:
        sent = {"form_check": form_check(empty), "useful": "4", "helped": "Being listened to, at last."}
        status, thanks, headers = await post(http, url, sent)
        assert status == 200
        assert "Thank you" in thanks
        assert 'If you or a child is in danger now, call <a href="tel:999">999</a>.' in thanks
        assert "the managers who check the quality of our work" in thanks
        assert '<a href="tel:08001111">0800 1111</a>' in thanks  # one tap to call, on a phone
        assert {k: headers.get(k) for k in HEADERS} == HEADERS

        status, used, _ = await get(http, url)
        assert status == 410
        assert "This link has already been used" in used
        again = await post(http, url, {**sent, "useful": "1"})
        assert again[0] == 410
        css = await get(http, f"{app.url}/feedback/static/feedback.css")
        assert css[0] == 200
        assert css[2]["Content-Type"].startswith("text/css")
        assert CASE not in used + again[1] + thanks
        log = own_log(app)
    assert [row[1] for row in await answers_stored(database_url)] == [False]
    assert token not in log
    assert "Being listened to" not in log


async def test_a_link_expires_after_28_days_by_the_projects_clock(database_url: str) -> None:
    token = await a_link(database_url, Audience.CHILD)
    clock = JumpingClock(DEFAULT_NOW, LONDON)
    async with serving(database_url, clock=clock) as app, aiohttp.ClientSession() as http:
        url = f"{app.url}/feedback/{token}"
        status, page, _ = await get(http, url)
        assert status == 200
        assert "Did we help you?" in page
        clock.jump_to(DEFAULT_NOW + timedelta(days=28, minutes=1))
        status, expired, headers = await get(http, url)
        assert status == 410
        assert "This link has expired" in expired
        assert headers["Cache-Control"] == "no-store"
        late = await post(http, url, {"form_check": form_check(page), "useful": "5"})
        assert late[0] == 410
        assert "This link has expired" in late[1]
    assert await answers_stored(database_url) == []


async def test_a_page_left_open_over_a_day_comes_back_with_its_words_to_be_sent_again(database_url: str) -> None:
    token = await a_link(database_url, Audience.PARENT)
    clock = JumpingClock(DEFAULT_NOW, LONDON)
    async with serving(database_url, clock=clock) as app, aiohttp.ClientSession() as http:
        url = f"{app.url}/feedback/{token}"
        check = form_check((await get(http, url))[1])
        clock.jump_to(DEFAULT_NOW + timedelta(hours=25))
        sent = {"form_check": check, "useful": "5", "helped": "Our worker never gave up."}
        status, page, _ = await post(http, url, sent)
        assert status == 200
        assert "This page was open for a long time, so your answers have not been sent yet." in page
        assert ">\nOur worker never gave up.</textarea>" in page
        assert await answers_stored(database_url) == []
        status, thanks, _ = await post(http, url, {**sent, "form_check": form_check(page)})
        assert status == 200
        assert "Thank you" in thanks
    assert len(await answers_stored(database_url)) == 1


async def test_a_tampered_or_unknown_link_answers_a_kind_404_that_reveals_nothing(database_url: str) -> None:
    token = await a_link(database_url, Audience.PARENT)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    async with serving(database_url) as app, aiohttp.ClientSession() as http:
        pages = [await get(http, f"{app.url}/feedback/{t}") for t in (tampered, "x" * 43, "%27%20OR%201%3D1%20--")]
        assert [p[0] for p in pages] == [404, 404, 404]
        assert len({p[1] for p in pages}) == 1  # the same page, whatever was guessed
        assert "We cannot find this page" in pages[0][1]
        assert "ask your worker for a new link" in pages[0][1]
        assert CASE not in pages[0][1]
        posted = await post(http, f"{app.url}/feedback/{tampered}", {"useful": "5"})
        assert posted[0] == 403  # no form check: refused before anything is looked up
        stray = await get(http, f"{app.url}/feedback/{token}/more")
        assert stray[0] == 404
        assert stray[2]["X-Frame-Options"] == "DENY"
        assert (await get(http, f"{app.url}/feedback/{token}"))[0] == 200  # the real link still works


async def test_a_flood_from_one_address_is_slowed_with_a_polite_429(database_url: str) -> None:
    clock = JumpingClock(DEFAULT_NOW, LONDON)
    async with serving(database_url, clock=clock) as app, aiohttp.ClientSession() as http:
        answers = [await get(http, f"{app.url}/feedback/{n:043d}") for n in range(70)]  # guessing links
        statuses = [a[0] for a in answers]
        assert statuses[:60] == [404] * 60
        assert set(statuses[60:]) == {429}
        _, page, headers = answers[-1]
        assert 1 <= int(headers["Retry-After"]) <= 60
        assert "Please wait a moment" in page
        assert headers["Content-Security-Policy"] == HEADERS["Content-Security-Policy"]
        clock.jump_to(clock.now() + timedelta(seconds=61))
        one_link = [(await get(http, f"{app.url}/feedback/{70:043d}"))[0] for _ in range(21)]
        assert one_link == [404] * 20 + [429]  # one link: 20 a minute
    assert f"{7:043d}" not in own_log(app)
    assert own_log(app).count("too many requests") == 2  # once for the address, once for the link


async def test_a_post_without_the_form_check_is_refused_and_uses_nothing_up(database_url: str) -> None:
    token, other = await a_link(database_url, Audience.PARENT), await a_link(database_url, Audience.CHILD)
    async with serving(database_url) as app, aiohttp.ClientSession() as http:
        url = f"{app.url}/feedback/{token}"
        page = (await get(http, url))[1]
        other_check = form_check((await get(http, f"{app.url}/feedback/{other}"))[1])
        for sent in ({"useful": "5"}, {"form_check": "forged.value.here", "useful": "5"}, {"form_check": other_check}):
            status, refused, headers = await post(http, url, sent)
            assert status == 403
            assert "We could not send your answers" in refused
            assert "Nothing has been saved, and your link still works." in refused
            assert headers["Cache-Control"] == "no-store"
        assert await answers_stored(database_url) == []
        status, thanks, _ = await post(http, url, {"form_check": form_check(page), "useful": "5"})
        assert status == 200
        assert "Thank you" in thanks
    assert len(await answers_stored(database_url)) == 1


async def test_a_100_kb_answer_is_refused_kindly_keeping_what_fits_and_storing_nothing(database_url: str) -> None:
    token = await a_link(database_url, Audience.PARENT)
    async with serving(database_url) as app, aiohttp.ClientSession() as http:
        url = f"{app.url}/feedback/{token}"
        check = form_check((await get(http, url))[1])
        sent = {"form_check": check, "useful": "3", "helped": "The family group meeting.", "changed": "a" * 100_000}
        status, page, _ = await post(http, url, sent)
        assert status == 413
        assert "This answer is too long to send" in page
        assert 'aria-describedby="changed-problem"' in page
        assert ">\nThe family group meeting.</textarea>" in page  # what fits comes back in its box
        assert 'value="3" checked' in page
        assert await answers_stored(database_url) == []

        long = {**sent, "form_check": form_check(page), "changed": "b" * 2_500}  # under the limit, over 2,000
        status, page, _ = await post(http, url, long)
        assert status == 422
        assert "This answer is 2,500 characters long." in page
        assert "b" * 2_500 in page
        assert page.index('class="summary"') < page.index("<h1>")  # the reasons first, where focus lands
        assert await answers_stored(database_url) == []

        longer = {**long, "form_check": form_check(page), "changed": "c" * 9_000}  # more than comes back
        status, page, _ = await post(http, url, longer)
        assert status == 422
        assert "This answer is too long to send. Please make it shorter than 2,000 characters" in page
        assert "c" * 4_000 + "</textarea>" in page

        fine = {**long, "form_check": form_check(page), "changed": "b" * 1_900}
        assert (await post(http, url, fine))[0] == 200
    [(answers, _flagged)] = await answers_stored(database_url)
    assert "b" * 1_900 in str(answers)


async def test_html_in_an_answer_comes_back_escaped(database_url: str) -> None:
    token = await a_link(database_url, Audience.CHILD)
    script = "<script>alert(1)</script>"
    async with serving(database_url) as app, aiohttp.ClientSession() as http:
        url = f"{app.url}/feedback/{token}"
        check = form_check((await get(http, url))[1])
        sent = {"form_check": check, "helped": script, "in_the_way": "x" * 2_001, "useful": '6"><b>'}
        status, page, _ = await post(http, url, sent)
        assert status == 422
        assert script not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<b>" not in page
        assert "Please choose one of the answers." in page
        assert "<script" not in page


async def test_a_worrying_phrase_reaches_the_practice_lead_and_service_manager(database_url: str) -> None:
    token = await a_link(database_url, Audience.CHILD)
    async with (
        running_connector() as connector,
        serving(database_url, DISPATCH_INTERVAL_SECONDS="1") as app,
        aiohttp.ClientSession() as http,
    ):
        u = users(app.url, connector)
        for who in ("lead", "manager"):
            await u[who].install()
        url = f"{app.url}/feedback/{token}"
        check = form_check((await get(http, url))[1])
        words = "I am scared to go home <b>tonight</b>."
        status, thanks, _ = await post(http, url, {"form_check": check, "anything_else": words, "useful": "2"})
        assert status == 200
        assert 'If you or a child is in danger now, call <a href="tel:999">999</a>.' in thanks
        for who in ("lead", "manager"):
            card = await wait_for_card(connector, u[who], "Immediate concern: case", timeout=30)
            assert "I am scared to go home ‹b›tonight‹/b›." in str(card)  # as written, defused for Teams
            assert "<b>" not in str(card)
        assert words not in own_log(app)
    assert [row[1] for row in await answers_stored(database_url)] == [True]


def arabic_catalogue(folder: Path) -> Path:
    """A council's own language, as a council would add it: one file."""
    (folder / "ar.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: ar\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Tell us about the help your family had"\nmsgstr "أخبرنا عن المساعدة التي حصلت عليها عائلتك"\n\n'
        'msgid "Send my answers"\nmsgstr "أرسل إجاباتي"\n\n'
        'msgid "Tell us what you think"\nmsgstr "أخبرنا برأيك"\n\n'
        'msgid "Did we help you?"\nmsgstr "هل ساعدناك؟"\n\n'
        'msgid "Thank you"\nmsgstr "شكرًا لك"\n',
        encoding="utf-8",
    )
    return folder


async def test_the_page_speaks_a_language_a_council_adds_right_to_left(database_url: str, tmp_path: Path) -> None:
    token = await a_link(database_url, Audience.PARENT)
    extra = arabic_catalogue(tmp_path)
    async with serving(database_url, FEEDBACK_LOCALES_DIR=str(extra)) as app, aiohttp.ClientSession() as http:
        url = f"{app.url}/feedback/{token}"
        status, page, _ = await get(http, url, **{"Accept-Language": "ar-EG,ar;q=0.9,en;q=0.5"})
        assert status == 200
        assert '<html lang="ar" dir="rtl">' in page
        assert "أخبرنا عن المساعدة التي حصلت عليها عائلتك" in page
        assert "أرسل إجاباتي" in page
        assert '<span lang="en" dir="ltr">Was our help useful to your family?</span>' in page  # not translated yet
        assert 'href="?lang=en"' in page
        assert 'href="?lang=ar"' in page
        english = (await get(http, f"{url}?lang=en", **{"Accept-Language": "ar"}))[1]
        assert '<html lang="en" dir="ltr">' in english
        assert '<span lang="en"' not in english
        polish = (await get(http, url, **{"Accept-Language": "pl"}))[1]
        assert '<html lang="en" dir="ltr">' in polish


async def test_the_link_on_the_teams_card_opens_the_page_and_the_answers_reach_the_next_audit(
    database_url: str,
) -> None:
    from tests.e2e.test_audit_workflow import assigned
    from tests.e2e.test_feedback_requests import LINK, reply_to

    async with (
        running_connector() as connector,
        serving(database_url, DISPATCH_INTERVAL_SECONDS="1") as app,
        aiohttp.ClientSession() as http,
    ):
        u = users(app.url, connector)
        for role in ("worker", "qa", "lead"):
            await u[role].install()
        card = await reply_to(connector, u["worker"], f"feedback {CASE} child")
        [url] = [m[0] for t in card_texts(card) if (m := LINK.search(t.strip()))]
        assert url.startswith(f"{app.url}/feedback/")  # the card's link is this page's address
        status, page, _ = await get(http, url)
        assert status == 200
        assert "Did we help you?" in page
        sent = {"form_check": form_check(page), "useful": "5", "helped": "Playing football with my worker."}
        assert (await post(http, url, sent))[0] == 200

        audit_id = await assigned(u, connector)
        shown = await u["worker"].execute("audit.open", {"audit": audit_id})
        assert any(
            t.startswith("A child or young person, ") and "Did we help you? 5 of 5" in t for t in card_texts(shown)
        )
        words = await reply_to(connector, u["worker"], f"feedback answers {CASE}")  # 'Read what the family said'
        assert "Playing football with my worker." in card_texts(words)
