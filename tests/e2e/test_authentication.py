"""Authentication, offline: a fake token issuer on loopback (OpenID metadata and a JWKS, its RSA
key made here) stands in for Microsoft's key endpoint, and the app runs in authenticated mode over
real HTTP. Each bad token, and a tenant outside ALLOWED_TENANT_IDS, is refused with 401 and
changes nothing in the database; a valid token passes.

The SDK picks its key URL from the token's issuer and fetches keys through a PyJWKClient it keeps
per URL; the test gives that cache a PyJWKClient pointed at the fake issuer (microsoft-agents
1.9.0, pinned)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from jwt import PyJWKClient
from microsoft_agents.authentication.msal import MsalAuth
from microsoft_agents.hosting.core.authorization import AuthenticationConstants
from microsoft_agents.hosting.core.authorization.jwt.jwt_token_validator import (
    JwtTokenValidator,
    _JwkClientCacheEntry,
)
from sqlalchemy import text

from app import create_app
from settings import load_settings
from store.database import create_engine
from tests.e2e.test_audit_workflow import cast
from tests.fakes.connector import FakeConnector, running_connector

APP_ID = "11111111-2222-4333-8444-555555555555"
TENANT = "66666666-2222-4333-8444-555555555555"
OTHER_TENANT = "77777777-2222-4333-8444-555555555555"
BOT_FRAMEWORK = "https://api.botframework.com"
KID = "plf-test-key"


class FakeIssuer:
    """OpenID metadata and a JWKS served on loopback; signs tokens with its own RSA key."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.url = ""
        self.fetched = 0

    async def metadata(self, request: web.Request) -> web.Response:
        return web.json_response({"issuer": BOT_FRAMEWORK, "jwks_uri": f"{self.url}/keys"})

    async def keys(self, request: web.Request) -> web.Response:
        self.fetched += 1
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return web.json_response({"keys": [{**public, "kid": KID, "use": "sig", "alg": "RS256"}]})

    def token(self, key: Any = None, **claims: Any) -> str:
        now = int(time.time())
        body = {"iss": BOT_FRAMEWORK, "aud": APP_ID, "nbf": now - 60, "iat": now - 60, "exp": now + 3600, **claims}
        return jwt.encode(body, key or self.key, algorithm="RS256", headers={"kid": KID})


@pytest.fixture
async def issuer() -> AsyncIterator[FakeIssuer]:
    fake = FakeIssuer()
    app = web.Application()
    app.router.add_get("/.well-known/openid-configuration", fake.metadata)
    app.router.add_get("/keys", fake.keys)
    cache = JwtTokenValidator._jwk_client_manager._cache
    replaced = [
        AuthenticationConstants.PUBLIC_ABS_JWKS_URL,
        f"https://login.microsoftonline.com/{TENANT}/discovery/v2.0/keys",
    ]
    saved = {uri: cache.get(uri) for uri in replaced}
    async with TestServer(app, host="127.0.0.1") as server:
        fake.url = str(server.make_url("")).rstrip("/")
        async with aiohttp.ClientSession() as http, http.get(f"{fake.url}/.well-known/openid-configuration") as got:
            jwks_uri = (await got.json())["jwks_uri"]
        for uri in replaced:
            cache[uri] = _JwkClientCacheEntry(PyJWKClient(jwks_uri, cache_keys=False), threading.Lock())
        try:
            yield fake
        finally:
            for uri, entry in saved.items():
                if entry is None:
                    cache.pop(uri, None)
                else:
                    cache[uri] = entry


@pytest.fixture
async def connector(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeConnector]:
    """The Bot Connector on loopback, and Entra's token endpoint faked at the MSAL call the SDK makes
    for its outgoing requests (MSAL insists on an https authority, so it cannot be a loopback server)."""

    async def outbound_token(self: MsalAuth, resource_url: str, scopes: list[str], force_refresh: bool = False) -> str:
        return "synthetic-outbound-token"

    monkeypatch.setattr(MsalAuth, "get_access_token", outbound_token)
    async with running_connector() as fake:
        yield fake


@pytest.fixture
async def bot(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str]:
    for name, value in {
        "DATABASE_URL": database_url,
        "MICROSOFT_APP_ID": APP_ID,
        "MICROSOFT_APP_PASSWORD": "not-a-real-secret",
        "MICROSOFT_APP_TENANT_ID": TENANT,
        "ALLOWED_TENANT_IDS": TENANT,
        "PUBLIC_URL": "https://plf.example.gov.uk",
        "LINK_SECRET": "synthetic-test-key-" + "k" * 20,
        "SWEEP_INTERVAL_SECONDS": "3600",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    async with TestServer(create_app(load_settings()), host="127.0.0.1") as server:
        yield str(server.make_url("/api/messages"))


def activity(
    tenant: str = TENANT, service_url: str = "http://127.0.0.1:9/", kind: str = "installationUpdate"
) -> dict[str, Any]:
    worker = cast()["worker"]
    what: dict[str, Any] = {"type": "installationUpdate", "action": "add"}
    if kind == "invoke":
        execute = {"type": "Action.Execute", "verb": "command.run", "data": {"command": "my audits"}}
        what = {"type": "invoke", "name": "adaptiveCard/action", "value": {"action": execute, "trigger": "manual"}}
    return {
        **what,
        "id": str(uuid.uuid4()),
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": f"29:{worker.aad_object_id}", "name": worker.display_name, "aadObjectId": worker.aad_object_id},
        "recipient": {"id": f"28:{APP_ID}", "name": "PLF"},
        "conversation": {"id": f"a:{uuid.uuid4().hex}", "conversationType": "personal", "tenantId": tenant},
        "channelData": {"tenant": {"id": tenant}},
    }


def unsigned(claims: dict[str, Any], header: dict[str, Any], secret: bytes = b"") -> str:
    """A token made by hand, as an attacker would: any header, signed with HMAC-SHA256 over `secret`
    (PyJWT itself refuses to use a public key as an HMAC secret), or not at all."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    signing_input = f"{part(header)}.{part(claims)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest() if secret else b""
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


async def state(database_url: str) -> tuple[int, ...]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            counts = []
            for table in ("conversation_references", "unknown_senders", "outbox", "audits", "access_log"):
                counts.append(int((await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()))
            return tuple(counts)
    finally:
        await engine.dispose()


async def post(url: str, body: dict[str, Any], token: str | None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as http, http.post(url, json=body, headers=headers) as response:
        return response.status


@pytest.mark.parametrize("kind", ["installationUpdate", "invoke"])
async def test_every_bad_token_is_refused_with_401_and_changes_nothing(
    bot: str, issuer: FakeIssuer, connector: FakeConnector, database_url: str, kind: str
) -> None:
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    long_ago = now - 7200
    here = connector.url  # every activity below names the real connector: a token let in would show there
    claims = {
        "iss": BOT_FRAMEWORK,
        "aud": APP_ID,
        "nbf": now - 60,
        "iat": now - 60,
        "exp": now + 3600,
        "serviceurl": here,
    }
    public_pem = issuer.key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    cases = {
        "missing token": None,
        "forged signature": issuer.token(key=forger, serviceurl=here),
        "expired": issuer.token(iat=long_ago - 3600, nbf=long_ago - 3600, exp=long_ago, serviceurl=here),
        "not yet valid (nbf in an hour)": issuer.token(nbf=now + 3600, iat=now, serviceurl=here),
        "wrong audience": issuer.token(aud="99999999-2222-4333-8444-555555555555", serviceurl=here),
        "wrong issuer": issuer.token(iss="https://issuer.example.invalid", serviceurl=here),
        "no key id": jwt.encode(claims, issuer.key, algorithm="RS256"),
        "alg none": unsigned(claims, {"alg": "none", "typ": "JWT", "kid": KID}),
        "alg none without kid": unsigned(claims, {"alg": "none", "typ": "JWT"}),
        "HS256 signed with the public key": unsigned(claims, {"alg": "HS256", "typ": "JWT", "kid": KID}, public_pem),
        "serviceurl of another host": issuer.token(serviceurl="https://smba.attacker.example.invalid/"),
        "no serviceurl": issuer.token(),
        "the token's tenant is another": issuer.token(serviceurl=here, tid=OTHER_TENANT),
        "not a JWT": "not.a.jwt",
    }
    before = await state(database_url)
    for name, token in cases.items():
        assert await post(bot, activity(service_url=here, kind=kind), token) == 401, name
    outside = activity(OTHER_TENANT, service_url=here, kind=kind)
    assert await post(bot, outside, issuer.token(serviceurl=here)) == 401, "tenant outside ALLOWED_TENANT_IDS"
    assert await state(database_url) == before
    assert issuer.fetched >= 1  # the keys really came from the fake issuer

    assert connector.received == []

    valid = activity(service_url=here, kind=kind)
    token = issuer.token(serviceurl=f"{here}/", tid=TENANT)  # the same URL, with a trailing slash
    assert await post(bot, valid, token) in (200, 202)
    after = await state(database_url)
    assert after[0] == before[0] + 1  # the valid one is let in: its sender is remembered
    if kind == "installationUpdate":
        welcome = connector.received[0]
        assert welcome.conversation_id == valid["conversation"]["id"]
        assert welcome.authorization == "Bearer synthetic-outbound-token"
