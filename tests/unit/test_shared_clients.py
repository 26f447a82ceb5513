"""The connector's HTTP sessions are kept across turns (issue 19): one per service URL and token, left
open when a turn closes its client, closed when the app stops; one pushed out of the cache is closed
after a grace period, not under a turn still using it."""

from __future__ import annotations

from microsoft_agents.hosting.core.authorization import ClaimsIdentity

from bot import clients
from bot.adapter import AnonymousConnections
from bot.clients import SharedClients

EMEA, AMER = "https://smba.trafficmanager.net/emea/", "https://smba.trafficmanager.net/amer"
ANONYMOUS = ClaimsIdentity({}, False)


async def connector(shared: SharedClients, url: str):  # type: ignore[no-untyped-def]
    return await shared.create_connector_client(None, ANONYMOUS, url, "https://api.botframework.com")


async def test_one_session_per_service_url_kept_across_turns_and_closed_with_the_app() -> None:
    shared = SharedClients(AnonymousConnections())
    first = await connector(shared, EMEA)
    await first.close()  # the turn is over
    second = await connector(shared, EMEA)
    other = await connector(shared, AMER)
    assert second.client is first.client
    assert not first.client.closed
    assert other.client is not first.client
    assert str(other.client._base_url) == AMER + "/"
    tokens = await shared.create_user_token_client(None, ANONYMOUS)  # type: ignore[arg-type]
    assert tokens is await shared.create_user_token_client(None, ANONYMOUS)  # type: ignore[arg-type]
    await shared.close()
    assert first.client.closed
    assert other.client.closed
    assert tokens.client.closed


async def test_a_session_pushed_out_of_the_cache_is_closed_later(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(clients, "KEPT_SESSIONS", 2)
    shared = SharedClients(AnonymousConnections())
    oldest = await connector(shared, "https://one.invalid/")
    for url in ("https://two.invalid/", "https://three.invalid/"):
        await connector(shared, url)
    assert not oldest.client.closed  # a turn may still be sending with it
    assert len(shared._retiring) == 1
    await shared.close()
    assert oldest.client.closed
