"""What keeps the feedback page safe to leave on the open web: how often one address or one link may ask,
and how much one answer may send.

The counts are kept in this process's memory: each instance of the bot counts on its own, so with N
instances behind a load balancer an address may make up to N times the limit. That is acceptable here:
the limits are there to blunt a flood, not to meter anyone, and a link is 256 random bits, so guessing
one is hopeless at any rate. A restart forgets the counts.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote_plus

from aiohttp import web

MAX_BODY_BYTES = 64 * 1024  # four answers of 2,000 characters fit, even in a script of two-byte letters
MAX_FIELDS = 40  # the form has fewer than 10
MAX_KEYS = 20_000  # addresses and links remembered at once: a flood of new ones evicts the oldest


@dataclass
class _Window:
    started: float
    count: int
    refused: int = 0


class Allowance:
    """At most `limit` requests per `window_s` seconds for each key (an address, a link), in fixed windows."""

    def __init__(self, limit: int, window_s: float, clock: Callable[[], float], max_keys: int = MAX_KEYS) -> None:
        self.limit, self.window_s, self.clock, self.max_keys = limit, window_s, clock, max_keys
        self._windows: dict[str, _Window] = {}

    def take(self, key: str) -> int:
        """0 if the key may go on (and counts this request); otherwise the seconds until it may."""
        now = self.clock()
        window = self._windows.get(key)
        if window is None or now - window.started >= self.window_s or now < window.started:
            self._forget_some(now)
            window = self._windows[key] = _Window(now, 0)
        if window.count >= self.limit:
            window.refused += 1
            return max(1, math.ceil(window.started + self.window_s - now))
        window.count += 1
        return 0

    def first_refusal(self, key: str) -> bool:
        """Whether the key's last request was the first this window refused (a flood is logged once)."""
        window = self._windows.get(key)
        return window is not None and window.refused == 1

    def _forget_some(self, now: float) -> None:
        if len(self._windows) < self.max_keys:
            return
        for key in [k for k, w in self._windows.items() if now - w.started >= self.window_s]:
            del self._windows[key]
        while len(self._windows) >= self.max_keys:
            del self._windows[next(iter(self._windows))]  # the oldest window


def client_address(request: web.Request, proxy_hops: int) -> str:
    """The address a request came from. Behind `proxy_hops` trusted proxies (FEEDBACK_PROXY_HOPS), each of
    which appends the address it saw to X-Forwarded-For, it is the one the nearest of them saw; an entry
    further left could have been written by anyone."""
    if proxy_hops > 0:
        seen = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if len(seen) >= proxy_hops:
            return seen[-proxy_hops][:64]
    return request.remote or "unknown"


@dataclass(frozen=True)
class Sent:
    """A form as it arrived: its fields, and whether the body went past the limit (then `cut` names the field
    whose end did not arrive, and only what came before the limit is here)."""

    fields: dict[str, str]
    over_limit: bool = False
    cut: str | None = None


async def read_form(request: web.Request, limit: int = MAX_BODY_BYTES) -> Sent:
    """The urlencoded form, reading at most `limit` bytes of it. A longer body is not read further: the
    fields that arrived whole are kept, and so is the start of the one cut off, so that the page can come
    back with everything that fits."""
    body = bytearray()
    over = False
    async for chunk in request.content.iter_chunked(16 * 1024):
        body += chunk
        if len(body) > limit:
            over = True
            del body[limit:]
            break
    text = bytes(body).decode("ascii", "replace")
    cut: str | None = None
    if over:
        text, cut = _without_broken_escape(text)
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="replace")
    except ValueError:  # more fields than any form of ours has: nothing of it is read
        return Sent({}, over, cut)
    fields: dict[str, str] = {}
    for name, value in pairs:
        fields.setdefault(name, value)  # the first of a repeated name
    return Sent(fields, over, cut)


def _without_broken_escape(text: str) -> tuple[str, str | None]:
    """A body cut at the limit: its last field's name, and the body without a %-escape cut in half."""
    last = text.rpartition("&")[2]
    name, equals, value = last.partition("=")
    if not equals:
        return text.rpartition("&")[0], None  # cut within a field's name: that field did not arrive at all
    broken = value.rfind("%", max(0, len(value) - 2))
    if broken >= 0:
        text = text[: len(text) - len(value) + broken]
    return text, unquote_plus(name) or None
