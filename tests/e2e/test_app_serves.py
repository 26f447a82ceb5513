"""The real app, started as `make run` starts it, over real HTTP with a fake Bot Connector."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from store.migrate import head_revision
from tests.databases import SKIP_POSTGRES, drop_postgres_database, fresh_database, migrated, template
from tests.e2e.running_app import plf, plf_env, plf_process, running_app, serving
from tests.fakes.connector import running_connector

MESSAGE = {
    "type": "message",
    "id": "activity-1",
    "channelId": "msteams",
    "text": "hello",
    "from": {"id": "29:user", "aadObjectId": "0b7e1a2c-3d4e-4f50-8a9b-0c1d2e3f4a51"},
    "recipient": {"id": "28:bot"},
    "conversation": {"id": "a:personal-chat", "conversationType": "personal"},
}


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"


async def test_make_run_steps_migrate_load_the_demo_and_serve(sqlite_url: str, tmp_path: Path) -> None:
    env = plf_env(sqlite_url)
    migrated = plf_process(["migrate"], env)  # the commands of `make run`, as processes
    assert migrated.returncode == 0, migrated.stderr
    assert f"schema empty -> {head_revision()}" in migrated.stdout
    demo = plf_process(["demo", "--if-empty"], env)
    assert "200 people, 16 teams in 4 service areas, 3000 cases" in demo.stdout
    again = plf_process(["demo", "--if-empty"], env)
    assert "kept as it is: not empty" in again.stdout

    async with running_connector() as connector, running_app(sqlite_url, tmp_path) as app:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{app.url}/healthz") as response:
                assert response.status == 200
                assert await response.json() == {"status": "ok", "database": "ok"}
            activity = {**MESSAGE, "serviceUrl": connector.url}
            async with http.post(f"{app.url}/api/messages", json=activity) as response:
                assert response.status == 202
        [reply] = await connector.wait_for(1)
        assert reply.conversation_id == "a:personal-chat"
        assert reply.reply_to == "activity-1"
        assert reply.activity["type"] == "message"
        card = reply.activity["attachments"][0]["content"]
        assert "I have told the QA team" in str(card)  # the sender is not in the directory
        assert "local mode" in app.log()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "the body is not JSON"),
        (b"[1, 2]", "the body is not a JSON object"),
        (b'{"type": "message"}', "an activity needs a type and conversation.id"),
        (b'{"type": 7, "conversation": {"id": "c"}}', "not an activity: type"),
    ],
)
async def test_bad_bodies_get_400_naming_the_reason(migrated_url: str, body: bytes, reason: str) -> None:
    async with serving(migrated_url) as app, aiohttp.ClientSession() as http:
        async with http.post(
            f"{app.url}/api/messages", data=body, headers={"Content-Type": "application/json"}
        ) as response:
            assert response.status == 400
            assert (await response.json())["error"].startswith(reason)
        async with http.post(f"{app.url}/api/messages", data=b"x" * 300_000) as response:
            assert response.status == 413


async def test_serve_refuses_an_unmigrated_database(sqlite_url: str) -> None:
    result = plf(["serve"], plf_env(sqlite_url))
    assert result.returncode == 2
    assert "run `plf migrate` first" in result.stderr


async def test_an_unreachable_database_stops_start_up_with_the_url_masked() -> None:
    result = plf(["serve"], plf_env("postgresql://qa:hunter2@127.0.0.1:1/plf"))
    assert result.returncode == 2
    assert "postgresql+asyncpg://qa:***@127.0.0.1:1/plf is unreachable" in result.stderr
    assert "hunter2" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


async def test_a_bad_setting_stops_start_up_in_one_line(sqlite_url: str) -> None:
    result = plf(["serve"], plf_env(sqlite_url, HOST="0.0.0.0"))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "plf serve: settings: HOST=0.0.0.0 is not allowed in local mode (no MICROSOFT_APP_ID): "
        "without authentication the bot binds 127.0.0.1 only"
    )


@pytest.mark.skipif(SKIP_POSTGRES, reason="PLF_SKIP_POSTGRES=1")
async def test_healthz_answers_503_naming_the_cause_when_the_database_goes_away(
    tmp_path: Path,
) -> None:
    migrated_template = await template("postgres", "migrated", migrated)
    async with (
        fresh_database("postgres", tmp_path, migrated_template) as url,
        serving(url) as app,
        aiohttp.ClientSession() as http,
    ):
        async with http.get(f"{app.url}/healthz") as response:
            assert response.status == 200
        await drop_postgres_database(url.rsplit("/", 1)[1])
        async with http.get(f"{app.url}/healthz") as response:
            assert response.status == 503
            body = await response.json()
        assert body["status"] == "unavailable"
        assert "is unreachable" in body["cause"]
        async with http.get(f"{app.url}/healthz") as response:
            assert response.status == 503  # still serving, and still saying why


async def test_with_an_app_id_every_request_needs_a_token(sqlite_url: str, tmp_path: Path) -> None:
    assert plf(["migrate"], plf_env(sqlite_url)).returncode == 0
    app_id = "11111111-2222-4333-8444-555555555555"
    settings = {
        "MICROSOFT_APP_ID": app_id,
        "MICROSOFT_APP_PASSWORD": "not-a-real-secret",
        "MICROSOFT_APP_TENANT_ID": "66666666-2222-4333-8444-555555555555",
        "PUBLIC_URL": "https://plf.example.org",
        "LINK_SECRET": "synthetic-test-key-" + "k" * 20,
    }
    async with running_app(sqlite_url, tmp_path, None, **settings) as app, aiohttp.ClientSession() as http:
        assert "authenticated mode" in app.log()
        body = {**MESSAGE, "serviceUrl": "http://127.0.0.1:9/"}
        async with http.post(f"{app.url}/api/messages", json=body) as response:
            assert response.status == 401
        async with http.post(
            f"{app.url}/api/messages", json=body, headers={"Authorization": "Bearer not.a.token"}
        ) as response:
            assert response.status == 401
        async with http.get(f"{app.url}/healthz") as response:
            assert response.status == 200  # the load balancer's check needs no token


async def test_a_tenant_outside_the_allowed_list_is_refused(migrated_url: str) -> None:
    allowed = "77777777-2222-4333-8444-555555555555"
    async with running_connector() as connector, serving(migrated_url, ALLOWED_TENANT_IDS=allowed) as app:
        async with aiohttp.ClientSession() as http:
            outsider = {
                **MESSAGE,
                "serviceUrl": connector.url,
                "conversation": {**MESSAGE["conversation"], "tenantId": "88888888-2222-4333-8444-555555555555"},
            }
            async with http.post(f"{app.url}/api/messages", json=outsider) as response:
                assert response.status == 401
            insider = {**outsider, "conversation": {**MESSAGE["conversation"], "tenantId": allowed}}
            async with http.post(f"{app.url}/api/messages", json=insider) as response:
                assert response.status == 202
        await connector.wait_for(1)
        assert len(connector.received) == 1
