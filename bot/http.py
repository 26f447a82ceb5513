"""The `POST /api/messages` endpoint: checks the body before the SDK sees it, then hands over.

The SDK answers 500 for a body that is JSON but not an Activity; we answer 400 naming why.
"""

from __future__ import annotations

import json
import logging
import math
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Collection

import jwt
from aiohttp import web
from microsoft_agents.activity import Activity, DeliveryModes
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_decorator
from microsoft_agents.hosting.core import Agent
from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from pydantic import ValidationError

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _bad_request(reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=400)


def activity_tenant(body: dict[str, object]) -> str | None:
    conversation = body.get("conversation")
    if isinstance(conversation, dict) and isinstance(conversation.get("tenantId"), str):
        return str(conversation["tenantId"])
    channel_data = body.get("channelData")
    if isinstance(channel_data, dict):
        tenant = channel_data.get("tenant")
        if isinstance(tenant, dict) and isinstance(tenant.get("id"), str):
            return str(tenant["id"])
    return None


def in_flight_limit(limit: int, retry_after_s: int = 1) -> Callable[[Handler], Handler]:
    """At most `limit` activities in progress at once; beyond that a 503 with Retry-After at once.

    Under overload a bot that queues everything answers every card late (Teams gives up on an
    invoke after a few seconds) and grows its memory with the queue; shedding keeps both bounded."""
    busy = 0
    refused = 0
    reported_at = 0.0

    def wrap(handler: Handler) -> Handler:
        async def limited(request: web.Request) -> web.StreamResponse:
            nonlocal busy, refused, reported_at
            if busy >= limit:
                refused += 1
                if time.monotonic() - reported_at >= 10.0:  # one line per 10 s, not one per refusal
                    log.warning("busy: %d in progress; %d refused with 503 since the last report", busy, refused)
                    refused, reported_at = 0, time.monotonic()
                return web.json_response(
                    {"error": "busy, please retry"}, status=503, headers={"Retry-After": str(retry_after_s)}
                )
            busy += 1
            try:
                return await handler(request)
            finally:
                busy -= 1

        return limited

    return wrap


class FloodGuard:
    """At most `limit` activities from one person in any `window_s` seconds; beyond that a polite 429.

    One person's runaway client (or a stuck key) must not take the bot from everyone else."""

    def __init__(self, limit: int = 30, window_s: float = 10.0) -> None:
        self.limit = limit
        self.window_s = window_s
        #: instances sharing the limit (kept up to date from the database): each allows its share
        self.instances = 1
        self._seen: dict[str, deque[float]] = {}

    def wait(self, sender: str, now: float) -> float:
        """0 to go ahead (and it is counted); otherwise the seconds until this sender may send again."""
        times = self._seen.setdefault(sender, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if len(times) >= max(1, math.ceil(self.limit / max(1, self.instances))):
            return times[0] + self.window_s - now
        times.append(now)
        if len(self._seen) > 50_000:
            self._seen = {k: v for k, v in self._seen.items() if v and v[-1] > now - self.window_s}
        return 0.0


def read_activity(raw: bytes) -> tuple[dict[str, object], Activity] | web.Response:
    """The body as JSON and as an Activity with what the bot needs to answer; or a 400 naming what is wrong."""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _bad_request("the body is not JSON")
    except RecursionError:
        return _bad_request("the body is nested too deeply to be an activity")
    if not isinstance(body, dict):
        return _bad_request("the body is not a JSON object")
    try:
        activity = Activity.model_validate(body)
    except ValidationError as exc:
        where = ".".join(str(p) for p in exc.errors()[0]["loc"]) or "body"
        return _bad_request(f"not an activity: {where}: {exc.errors()[0]['msg']}")
    except (TypeError, ValueError) as exc:  # the SDK's own checks (an empty channelId, ...) raise these
        return _bad_request(f"not an activity: {str(exc).splitlines()[0][:200]}")
    except RecursionError:
        return _bad_request("the body is nested too deeply to be an activity")
    if not activity.type or not activity.conversation or not activity.conversation.id:
        return _bad_request("an activity needs a type and conversation.id")
    if not activity.from_property or not activity.recipient:
        return _bad_request("an activity needs from and recipient: who sent it, to whom")
    if not activity.service_url or not activity.service_url.startswith(("https://", "http://")):
        return _bad_request("an activity needs a serviceUrl (http or https): the bot answers there")
    return body, activity


def _refusal(
    body: dict[str, object], activity: Activity, allowed: Collection[str], guard: FloodGuard
) -> web.Response | None:
    """401 for a tenant that is not allowed, 429 for one sender's flood; None to go ahead."""
    if allowed:
        tenant = activity_tenant(body)
        if tenant is None or tenant.lower() not in allowed:
            log.warning(
                "activity from a tenant that is not allowed refused",
                extra={"tenant_id": tenant, "activity_id": activity.id},
            )
            return web.json_response({"error": "tenant not allowed"}, status=401)
    sender = activity.from_property.aad_object_id or activity.from_property.id if activity.from_property else None
    wait = guard.wait(str(sender or "anonymous"), time.monotonic())
    if wait > 0:
        log.warning("flood from one sender: refused with 429", extra={"activity_id": activity.id})
        return web.json_response(
            {"error": "you are sending faster than the bot can answer: please wait a few seconds and try again"},
            status=429,
            headers={"Retry-After": str(max(1, round(wait)))},
        )
    return None


async def _process(
    adapter: CloudAdapter, agent: Agent, claims: ClaimsIdentity, activity: Activity
) -> web.StreamResponse:
    """The SDK's turn processing (what CloudAdapter.process does after parsing the body a second time)."""
    activity.request_id = str(uuid.uuid4())
    try:
        invoke_response = await adapter.process_activity(claims, activity, agent.on_turn)
    except PermissionError:
        return web.json_response({"error": "not authorised"}, status=401)
    except Exception:  # the SDK failed outside our turn (e.g. Entra unreachable for its token): retry later
        incident = uuid.uuid4().hex[:10]
        log.exception("activity not processed, incident %s", incident, extra={"activity_id": activity.id})
        return web.json_response(
            {"error": f"temporarily unable to process this activity (incident {incident}); please retry"},
            status=503,
            headers={"Retry-After": "5"},
        )
    if activity.type == "invoke" or activity.delivery_mode == DeliveryModes.expect_replies:
        if invoke_response is None:  # e.g. an invoke without an id or name: nothing the bot can answer
            return _bad_request("the invoke was not answered: it needs an id, a name and a value")
        status = invoke_response.status or 200
        retry = {"Retry-After": "5"} if status == 503 else None  # the agent could not complete it: try again
        return web.json_response(invoke_response.body, status=status, headers=retry)
    return web.Response(status=202)


def messages_handler(
    adapter: CloudAdapter,
    agent: Agent,
    *,
    authenticated: bool,
    allowed_tenants: Collection[str],
    flood: FloodGuard | None = None,
) -> Handler:
    allowed = {t.lower() for t in allowed_tenants}
    guard = flood or FloodGuard()

    async def handle(request: web.Request) -> web.StreamResponse:
        read = read_activity(await request.read())
        if isinstance(read, web.Response):
            return read
        body, activity = read
        claims = request.get("claims_identity")
        wrong = _claims_problem(claims, body, activity) if authenticated else None
        if wrong is not None:
            log.warning("activity refused: %s", wrong, extra={"activity_id": activity.id})
            return web.json_response({"error": "Invalid token or authentication failed."}, status=401)
        refused = _refusal(body, activity, allowed, guard)
        if refused is not None:
            return refused
        return await _process(adapter, agent, claims or ClaimsIdentity(), activity)

    if not authenticated:
        return handle
    checked: Handler = jwt_authorization_decorator(handle)  # type: ignore[no-untyped-call]

    async def with_token(request: web.Request) -> web.StreamResponse:
        problem = _token_header_problem(request.headers.get("Authorization", ""))
        if problem is not None:  # the SDK would raise (KeyError: 'kid'), a 500, on these
            log.warning("token refused before validation: %s", problem)
            return web.json_response({"error": "Invalid token or authentication failed."}, status=401)
        return await checked(request)

    return with_token


def _token_header_problem(authorization: str) -> str | None:
    """What is wrong with a bearer token's header, before its signature is checked: Bot Framework
    tokens are RS256 with a key id (alg none, HS256 and a missing kid are refused here)."""
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None  # no token: the SDK answers 401 naming it
    try:
        header = jwt.get_unverified_header(token.strip())
    except jwt.PyJWTError:
        return "not a JWT"
    if header.get("alg") != "RS256":
        return f"algorithm {str(header.get('alg'))[:10]!r} is not RS256"
    if not isinstance(header.get("kid"), str) or not header["kid"]:
        return "no key id (kid)"
    return None


def _claims_problem(claims: ClaimsIdentity | None, body: dict[str, object], activity: Activity) -> str | None:
    """A valid token must also be for this activity: its serviceurl claim is the activity's serviceUrl
    (else the bot would send its own token to a URL the sender chose), and its tenant, where it names one,
    is the activity's."""
    if claims is None or not claims.claims:
        return None
    claimed_url = claims.claims.get("serviceurl")
    if not isinstance(claimed_url, str) or _url(claimed_url) != _url(activity.service_url or ""):
        return "the token's serviceurl is not the activity's serviceUrl"
    tid = claims.claims.get("tid")
    tenant = activity_tenant(body)
    if isinstance(tid, str) and tid and (tenant is None or tenant.lower() != tid.lower()):
        return "the token's tenant is not the activity's"
    return None


def _url(text: str) -> str:
    """A URL compared as Bot Framework does: scheme and host without case, and no trailing slash."""
    scheme, _, rest = text.strip().partition("://")
    host, _, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}/{path.rstrip('/')}"
