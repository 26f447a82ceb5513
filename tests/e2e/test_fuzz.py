"""Fuzzing the running bot over real HTTP with hypothesis (SQLite and PostgreSQL): generated
activities and card submissions with wrong types, missing fields, huge strings, unicode, nested
junk, forged ids and versions. Whatever arrives: no 5xx, every refusal names its reason, and the
framework's data is unchanged by what was refused. Also: a body over the size limit gets 413, a
flood from one person gets a polite 429, and the bot stays up throughout.

`make test` tries FUZZ_EXAMPLES (default 300) cases per database; `make fuzz` tries 10,000.
The figures (cases tried, 5xx, state changes) are printed at the end of each run.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from plf_core.card_actions import Verb
from store.database import create_engine
from tests.e2e.running_app import running_app, serving
from tests.e2e.test_audit_workflow import cast
from tests.fakes.connector import running_connector

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
VERBS = [*sorted(Verb), "audit.save", "nonsense", ""]  # every verb the bot knows, and some it does not
#: what the framework holds; a refused input must leave every figure as it was
STATE = {
    "audits": "SELECT count(*), coalesce(sum(version), 0) FROM audits",
    "answers": "SELECT count(*) FROM answers",
    "moderations": "SELECT count(*), count(completed_at) FROM moderations",
    "actions": "SELECT count(*), count(confirmed_at) FROM actions",
    "grades": "SELECT count(*) FROM grades",
    "outcome_scores": "SELECT count(*) FROM outcome_scores",
    "sampling_draws": "SELECT count(*) FROM sampling_draws",
    "dip_samples": "SELECT count(*) FROM dip_samples",
    "cycles": "SELECT count(*), count(data_sent_at) FROM cycles",
    "snoozes": "SELECT count(*) FROM snoozes",
    "people": "SELECT count(*) FROM people",
    "person_roles": "SELECT count(*) FROM person_roles",
    "cases": "SELECT count(*) FROM cases",
    # an unknown sender is told politely and QA hears of it once a day (and of that notice's failed
    # delivery, QA having no conversation here): those notices are by design
    "outbox": "SELECT count(*) FROM outbox WHERE kind NOT IN ('unknown_sender', 'delivery_failures')",
}


class Database:
    """The framework's figures, read through a loop of its own (hypothesis runs synchronously)."""

    def __init__(self, url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.engine = create_engine(url)

    def _run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=30)

    def state(self) -> dict[str, tuple[Any, ...]]:
        async def read() -> dict[str, tuple[Any, ...]]:
            async with self.engine.connect() as connection:
                return {k: tuple((await connection.execute(text(q))).one()) for k, q in STATE.items()}

        return self._run(read())  # type: ignore[no-any-return]

    def close(self) -> None:
        self._run(self.engine.dispose())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()


def post(url: str, body: bytes) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read()


# --- what is generated ---------------------------------------------------------------------------

junk_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
    st.sampled_from(["", " ", "\x00", "null", "'; DROP TABLE audits; --", "<script>x</script>", "ÿ" * 5000]),
    st.integers(min_value=1, max_value=3).map(lambda n: "x" * (20_000 * n)),  # huge, still under the body limit
)
json_junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | junk_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
ids = st.one_of(
    st.integers(), st.integers(min_value=-3, max_value=50), junk_text, st.none(), st.floats(allow_nan=False)
)


#: what people paste into a chat: markdown, HTML, mentions, emoji, right-to-left text, a long paragraph
chat_junk = st.one_of(
    st.sampled_from(
        [
            "**help**",
            "# status",
            "[report](http://example.invalid)",
            "<at>PLF</at> my audits",
            "<b>assign</b> DEMO-900100 to <i>Juniper</i>",
            "open DEMO-900100 🙂",
            "مساعدة",
            "hi!!! 👋",
            "assign DEMO-900100 to ",
            "\u200bhelp",
            "ok " * 700,
        ]
    ),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=2_000),
)
#: QA's commands that only read or preview, mistyped or with junk after them: never a change
QA_WORDS = ("smaple", "asign", "stauts", "status", "report", "timetable", "outbox", "agreement", "open", "sample")
QA_MANGLED = (
    "timetable 400",
    "report 2026-Q9",
    "status 2026-Q9",
    "outbox page 99999",
    "moderate 2026-13",
    "assign DEMO-900100",
    "asign DEMO-900100 to Nobody Atall",
    "assign DEMO-000000 to Juniper Samplewell",
    "sample 0",
    "dip nwe",
    "escalate --dry-run",
    "remind --dry-run",
)


def people() -> list[Any]:
    c = cast()
    return [c["worker"], c["stranger"], c["lead"]]


@st.composite
def senders(draw: st.DrawFn) -> dict[str, Any]:
    choice = draw(st.sampled_from(["known", "known", "known", "forged", "junk"]))
    if choice == "known":
        person = draw(st.sampled_from(people()))
        return {"id": f"29:{person.aad_object_id}", "name": person.display_name, "aadObjectId": person.aad_object_id}
    if choice == "forged":
        return {"id": f"29:{uuid.uuid4()}", "name": draw(junk_text), "aadObjectId": str(uuid.uuid4())}
    return draw(json_junk)  # type: ignore[no-any-return]


@st.composite
def activities(draw: st.DrawFn, service_url: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["message", "invoke", "installationUpdate", "conversationUpdate", "typing", "junk"]))
    body: dict[str, Any] = {
        "type": kind if kind != "junk" else draw(json_junk),
        "id": draw(st.uuids().map(str)) if draw(st.booleans()) else draw(st.one_of(st.uuids().map(str), json_junk)),
        "channelId": draw(st.sampled_from(["msteams", "msteams", "msteams", "webchat", ""])),
        "serviceUrl": service_url,
        "from": draw(senders()),
        "recipient": {"id": "28:plf-bot"},
        "conversation": (
            draw(json_junk)
            if draw(st.integers(0, 9)) == 0
            else {"id": f"a:{draw(st.uuids()).hex}", "conversationType": "personal"}
        ),
    }
    if kind == "message" and draw(st.integers(0, 4)) == 0:  # QA typing badly: read-only commands and typos
        qa = cast()["qa"]
        body["from"] = {"id": f"29:{qa.aad_object_id}", "name": qa.display_name, "aadObjectId": qa.aad_object_id}
        body["text"] = draw(
            st.one_of(st.sampled_from(QA_MANGLED), st.tuples(st.sampled_from(QA_WORDS), chat_junk).map(" ".join))
        )
    elif kind == "message":
        body["text"] = draw(
            st.one_of(
                junk_text,
                chat_junk,
                st.sampled_from(["help", "my audits", "report 9999-Q9", "open 999999", "done -1", "status", "assign"]),
                st.tuples(st.sampled_from(["open", "done", "uploaded", "report", "smaple", "asign"]), junk_text).map(
                    " ".join
                ),
            )
        )
    if kind == "invoke":
        data = draw(
            st.dictionaries(st.sampled_from(["audit", "version", "page", "dip", "days", "cycle", "outbox"]), ids)
        )
        data.update(draw(st.dictionaries(st.text(max_size=12), json_junk, max_size=5)))
        action = {"type": draw(st.sampled_from(["Action.Execute", "Action.Submit", ""])), "verb": draw(
            st.one_of(st.sampled_from(VERBS), junk_text)), "data": data}  # fmt: skip
        body["name"] = draw(st.sampled_from(["adaptiveCard/action", "adaptiveCard/action", "task/fetch", ""]))
        body["value"] = draw(st.one_of(st.just({"action": action, "trigger": "manual"}), json_junk))
    if draw(st.integers(0, 3)) == 0:  # missing fields, now and then
        for key in draw(st.sets(st.sampled_from(sorted(body)), max_size=2)):
            del body[key]
    if draw(st.booleans()):
        body[draw(st.text(max_size=10))] = draw(json_junk)  # nested junk
    return body


raw_bodies = st.one_of(
    st.binary(max_size=300),
    json_junk.map(lambda v: json.dumps(v).encode()),
    st.just(b"{"),
    st.just(b"\xff\xfe{}"),
)


# --- the run ---------------------------------------------------------------------------------------


@pytest.fixture
def bot(database_url: str, tmp_path: Path) -> Iterator[tuple[str, str, Database]]:
    """The bot (its own process), and a fake Bot Connector it answers to, served by the same
    background loop that reads the database."""
    loop = asyncio.new_event_loop()
    context = running_app(database_url, tmp_path, FLOOD_LIMIT="10000", LOG_LEVEL="WARNING")
    app = loop.run_until_complete(context.__aenter__())
    database = Database(database_url)
    connecting = running_connector()
    connector = database._run(connecting.__aenter__())
    try:
        yield f"{app.url}/api/messages", connector.url, database
    finally:
        database._run(connecting.__aexit__(None, None, None))
        database.close()
        loop.run_until_complete(context.__aexit__(None, None, None))
        loop.close()


def card_refusal(body: bytes) -> str | None:
    """The reason a card action was refused: an invoke error's message, or the text of a card that
    says "That did not work"; None when it was not refused."""
    try:
        answer = json.loads(body)
    except ValueError:
        return None
    if isinstance(answer, dict) and answer.get("type") == "application/vnd.microsoft.error":
        return str((answer.get("value") or {}).get("message") or "")  # an invoke refused outright
    card = answer.get("value") if isinstance(answer, dict) else None
    texts = (
        [n.get("text", "") for n in (card or {}).get("body", []) if isinstance(n, dict)]
        if isinstance(card, dict)
        else []
    )
    if texts and texts[0] == "That did not work":
        return str(texts[1]) if len(texts) > 1 else ""
    return None


def reason_of(status: int, body: bytes) -> str:
    if status < 400:
        return "ok"
    try:
        return str(json.loads(body).get("error") or "")
    except (ValueError, AttributeError):
        return body.decode("utf-8", "replace")


def test_generated_activities_and_card_submissions_cause_no_5xx_and_change_nothing(
    bot: tuple[str, str, Database], database_url: str
) -> None:
    url, connector_url, database = bot
    tally: Counter[str] = Counter()
    before = database.state()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )
    @given(st.one_of(activities(connector_url), raw_bodies))
    def case(generated: dict[str, Any] | bytes) -> None:
        body = generated if isinstance(generated, bytes) else json.dumps(generated).encode()
        status, answer = post(url, body)
        tally["tried"] += 1
        tally[f"{status // 100}xx"] += 1
        assert status < 500, (status, answer[:300], body[:300])
        if status >= 400:
            assert reason_of(status, answer).strip(), (status, answer[:300])  # every refusal says why
        refusal = card_refusal(answer) if status == 200 else None
        if refusal is not None:
            tally["refused in a card"] += 1
            assert refusal.strip(), answer[:300]  # a card action refused says why, too
        after = database.state()
        if after != before:
            tally["state changes"] += 1
        assert after == before, {k: (before[k], after[k]) for k in before if before[k] != after[k]}

    try:
        case()
    finally:
        print(f"\nfuzz on {database_url.split(':')[0]}: {dict(tally)}")
    assert tally["tried"] >= EXAMPLES
    assert tally["5xx"] == 0
    assert tally["state changes"] == 0


async def test_an_oversized_body_gets_413_and_a_flood_a_polite_429_and_the_bot_stays_up(
    database_url: str,
) -> None:
    async with serving(database_url, FLOOD_LIMIT="5") as app:
        url = f"{app.url}/api/messages"
        huge = json.dumps({"type": "message", "text": "x" * 300_000}).encode()
        assert (await asyncio.to_thread(post, url, huge))[0] == 413
        worker = cast()["worker"]
        message = {
            "type": "message",
            "text": "help",
            "channelId": "msteams",
            "serviceUrl": "http://127.0.0.1:9/",
            "from": {"id": "29:w", "aadObjectId": worker.aad_object_id},
            "recipient": {"id": "28:plf-bot"},
            "conversation": {"id": "a:flood", "conversationType": "personal"},
        }
        answers = [await asyncio.to_thread(post, url, json.dumps(message).encode()) for _ in range(8)]
        assert [s for s, _ in answers[:5]] == [202] * 5
        assert [s for s, _ in answers[5:]] == [429] * 3
        assert "please wait a few seconds" in reason_of(*answers[5])
        other = {**message, "from": {"id": "29:s", "aadObjectId": cast()["stranger"].aad_object_id}}
        assert (await asyncio.to_thread(post, url, json.dumps(other).encode()))[0] == 202  # others unaffected
        health = await asyncio.to_thread(lambda: urllib.request.urlopen(f"{app.url}/healthz").status)
        assert health == 200
