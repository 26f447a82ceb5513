"""The SDK's clients for the Bot Connector with their HTTP sessions kept across turns (issue 19).

For every turn the Agents SDK's RestChannelServiceClientFactory makes two aiohttp ClientSessions (a
user-token client and a connector client), each inside a telemetry span, and closes both when the
turn ends: together about 8% of the CPU of a card save. Here the connector client of a turn, or of a
proactive message, reuses one session per service URL and access token (the session carries both as
its base URL and Authorization header, so a session is never shared between two of either), and the
user-token client is one for the process: the bot offers no sign-in, so it never asks the token
service anything. Agentic and Copilot Studio requests keep the SDK's own path. `close()` ends every
session when the app stops.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import Any

from aiohttp import ClientSession
from microsoft_agents.activity import RoleTypes
from microsoft_agents.hosting.core import RestChannelServiceClientFactory, TurnContext
from microsoft_agents.hosting.core.authorization import ClaimsIdentity, Connections
from microsoft_agents.hosting.core.connector import ConnectorClientBase
from microsoft_agents.hosting.core.connector.client import UserTokenClient
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

KEPT_SESSIONS = 32  # service URLs x live tokens: a council's tenant has a handful
RETIRE_AFTER_S = 120.0  # a session pushed out of the cache may still be in use by a turn: closed later


class _KeptConnector(TeamsConnectorClient):
    async def close(self) -> None:
        """The turn is over, the session is not: SharedClients.close ends it."""


class _KeptUserTokens(UserTokenClient):
    async def close(self) -> None:
        """One for the process: SharedClients.close ends it."""


class SharedClients(RestChannelServiceClientFactory):
    def __init__(self, connection_manager: Connections) -> None:
        super().__init__(connection_manager)
        self._sessions: OrderedDict[tuple[str, str], ClientSession] = OrderedDict()
        self._user_tokens: dict[str | None, _KeptUserTokens] = {}
        self._retiring: dict[asyncio.Task[None], ClientSession] = {}

    async def create_connector_client(
        self,
        context: TurnContext | None,
        claims_identity: ClaimsIdentity,
        service_url: str,
        audience: str,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> ConnectorClientBase:
        activity = context.activity if context is not None else None
        if (
            not service_url
            or not audience
            or (activity is not None and activity.is_agentic_request())
            or (activity is not None and activity.recipient and activity.recipient.role == RoleTypes.connector_user)
        ):  # the SDK's own path, and its own refusals
            return await super().create_connector_client(
                context, claims_identity, service_url, audience, scopes, use_anonymous
            )
        provider = (
            self._ANONYMOUS_TOKEN_PROVIDER
            if use_anonymous
            else self._connection_manager.get_token_provider(claims_identity, service_url)
        )
        token = await provider.get_access_token(audience, scopes or claims_identity.get_token_scope())
        return _KeptConnector(service_url, token, session=self._session(service_url, token))

    async def create_user_token_client(
        self, context: TurnContext, claims_identity: ClaimsIdentity, use_anonymous: bool = False
    ) -> UserTokenClient:
        app_id = claims_identity.get_app_id()
        kept = self._user_tokens.get(app_id)
        if kept is None:
            kept = self._user_tokens[app_id] = _KeptUserTokens(
                self._token_service_endpoint, "", app_id=app_id or "local"
            )
        return kept

    def _session(self, service_url: str, token: str) -> ClientSession:
        key = (service_url, token)
        session = self._sessions.get(key)
        if session is not None:
            self._sessions.move_to_end(key)
            return session
        base = service_url if service_url.endswith("/") else service_url + "/"
        session = self._sessions[key] = ClientSession(base_url=base)
        while len(self._sessions) > KEPT_SESSIONS:
            _, old = self._sessions.popitem(last=False)
            task = asyncio.get_running_loop().create_task(_close_later(old))
            self._retiring[task] = old
            task.add_done_callback(lambda done: self._retiring.pop(done, None))
        return session

    async def close(self) -> None:
        for task in self._retiring:
            task.cancel()
        sessions: list[Any] = [
            *self._retiring.values(),
            *self._sessions.values(),
            *(c.client for c in self._user_tokens.values()),
        ]
        self._retiring.clear()
        self._sessions.clear()
        self._user_tokens.clear()
        for session in sessions:
            await session.close()


async def _close_later(session: ClientSession) -> None:
    try:
        await asyncio.sleep(RETIRE_AFTER_S)
    finally:
        await session.close()
