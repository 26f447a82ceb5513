"""The Agents SDK CloudAdapter, anonymous in local mode and MSAL-authenticated otherwise."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from microsoft_agents.activity import Activity
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_middleware
from microsoft_agents.hosting.core import (
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    MessageFactory,
    TurnContext,
)
from microsoft_agents.hosting.core.authorization import AuthTypes, ClaimsIdentity

from bot.clients import SharedClients

SERVICE_CONNECTION = "SERVICE_CONNECTION"
log = logging.getLogger(__name__)


async def on_turn_error(context: TurnContext, error: Exception) -> None:
    """Tell the user what happened with an id they can quote; the log has the rest."""
    incident = uuid.uuid4().hex[:10]
    log.error(
        "turn failed, incident %s",
        incident,
        exc_info=error,
        extra={"incident": incident, "activity_id": context.activity.id},
    )
    try:
        await context.send_activity(
            MessageFactory.text(
                f"Sorry, something went wrong on our side (incident {incident}). Nothing you sent "
                "was lost; please try again in a minute, and if it happens again tell the QA team "
                f"the incident number {incident}."
            )
        )
    except Exception:
        log.warning("could not tell the user about incident %s", incident)


class AnonymousConnections:
    """Local mode (no app id): every connection is anonymous, as the Playground expects."""

    def __init__(self) -> None:
        self._provider = AnonymousTokenProvider()

    def get_connection(self, connection_name: str) -> AnonymousTokenProvider:
        return self._provider

    def get_default_connection(self) -> AnonymousTokenProvider:
        return self._provider

    def get_default_connection_configuration(self) -> AgentAuthConfiguration:
        return AgentAuthConfiguration(anonymous_allowed=True)

    def get_token_provider(self, claims_identity: ClaimsIdentity, service_url: str) -> AnonymousTokenProvider:
        return self._provider

    def get_token_provider_from_activity(
        self, claims_identity: ClaimsIdentity, activity: Activity
    ) -> AnonymousTokenProvider:
        return self._provider


@dataclass
class TeamsEdge:
    """What `app.py` needs from the SDK: the adapter, and the middleware and config to install."""

    adapter: CloudAdapter
    auth_configuration: AgentAuthConfiguration | None
    clients: SharedClients  # the connector's HTTP sessions, kept across turns: closed when the app stops
    middlewares: list[Any] = field(default_factory=list)


def _cache_product_info() -> None:
    """The SDK rebuilds its User-Agent string on every turn, looking up a package that is not
    installed ('microsoft-agents-connector') by scanning every distribution: about 5% of a card
    action here. The answer cannot change while the process runs, so it is computed once."""
    from functools import cache

    from microsoft_agents.hosting.core.connector.client import connector_client, user_token_client
    from microsoft_agents.hosting.core.connector.get_product_info import get_product_info

    once = cache(get_product_info)
    connector_client.get_product_info = once  # type: ignore[attr-defined]
    user_token_client.get_product_info = once  # type: ignore[attr-defined]


def build_edge(
    app_id: str | None, app_password: str | None, tenant_id: str | None, *, cert_pfx_file: Path | None = None
) -> TeamsEdge:
    """Local mode without an app id; otherwise MSAL with the client secret, or the certificate if given."""
    _cache_product_info()
    if app_id is None:
        clients = SharedClients(AnonymousConnections())
        adapter = CloudAdapter(channel_service_client_factory=clients)
        adapter.on_turn_error = on_turn_error
        return TeamsEdge(adapter=adapter, auth_configuration=None, clients=clients)
    config = AgentAuthConfiguration(
        auth_type=AuthTypes.certificate if cert_pfx_file else AuthTypes.client_secret,
        client_id=app_id,
        tenant_id=tenant_id,
        client_secret=None if cert_pfx_file else app_password,
        cert_pfx_file=str(cert_pfx_file) if cert_pfx_file else None,
        connection_name=SERVICE_CONNECTION,
        anonymous_allowed=False,
        validate_issuer=True,  # only Bot Framework's issuer and the council tenant's Entra issuers
    )
    connections = MsalConnectionManager(connections_configurations={SERVICE_CONNECTION: config})
    clients = SharedClients(connections)
    adapter = CloudAdapter(connection_manager=connections, channel_service_client_factory=clients)
    adapter.on_turn_error = on_turn_error
    return TeamsEdge(
        adapter=adapter,
        auth_configuration=config,
        clients=clients,
        middlewares=[jwt_authorization_middleware],
    )
