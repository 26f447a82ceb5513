"""Pacing proactive messages within Teams' limits (STACK-NOTES): at most 50 messages a second for
the app in a tenant and 7 a second to one conversation. `reserve` spaces sends at a steady pace
just under the limit; `departure_wait` makes the limit a hard bound on arrivals whatever stalls
the sends. After a 429 the whole instance pauses for the Retry-After and then runs at three
quarters of its pace for half a minute, not just the one message that was refused.

Pure: the caller passes the clock (monotonic seconds) and sleeps for the delays returned.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

SLOW_FOR_S = 30.0
SLOW_FACTOR = 0.75


@dataclass
class Pacer:
    per_app: float = 48.0  # the steady pace; Teams allows 50 (the departure check makes it a hard bound)
    per_conversation: float = 7.0
    paused_until: float = 0.0
    slow_until: float = 0.0
    _next_app: float = 0.0
    _next_conversation: dict[str, float] = field(default_factory=dict)
    per_app_window: float = 49.0  # the hard bound on any one second of arrivals (Teams: 50)
    _in_flight: int = 0
    _in_flight_to: dict[str, int] = field(default_factory=dict)
    _landed: deque[float] = field(default_factory=deque)
    _landed_to: dict[str, deque[float]] = field(default_factory=dict)

    def reserve(self, conversation: str, now: float) -> float:
        """Seconds to wait before sending one message to `conversation`; the slot is then taken."""
        rate = self.per_app * SLOW_FACTOR if now < self.slow_until else self.per_app
        start = max(now, self._next_app, self.paused_until, self._next_conversation.get(conversation, 0.0))
        self._next_app = start + 1.0 / rate
        self._next_conversation[conversation] = start + 1.0 / self.per_conversation
        if len(self._next_conversation) > 10_000:
            self._next_conversation = {k: v for k, v in self._next_conversation.items() if v > now}
        return start - now

    def throttled(self, retry_after_s: float, now: float) -> None:
        """A 429: everyone waits `retry_after_s`, then goes at SLOW_FACTOR of the rate for SLOW_FOR_S."""
        self.paused_until = max(self.paused_until, now + retry_after_s)
        self.slow_until = max(self.slow_until, self.paused_until + SLOW_FOR_S)
        self._next_app = max(self._next_app, self.paused_until)

    def pause_left(self, now: float) -> float:
        return max(0.0, self.paused_until - now)

    def departure_wait(self, conversation: str, now: float) -> float:
        """The last check as a message leaves; 0 means go now (it is then in flight until `landed`).

        A message reaches Teams some time between leaving and its answer, so a stall anywhere in
        between (the event loop, the SDK, the network) can bunch arrivals. Counting every message
        still in flight, or answered within the last second, bounds any one second of arrivals
        at the limit whatever the stalls: a message that arrives in a given second was, when the
        last of that second's messages left, either still in flight or answered less than a
        second before. Otherwise it returns how long to wait."""
        app = self._landed
        mine = self._landed_to.setdefault(conversation, deque())
        for window in (app, mine):
            while window and window[0] <= now - 1.0:
                window.popleft()
        if self._in_flight + len(app) >= int(self.per_app_window):
            return app[0] + 1.0 - now if app else 0.005
        if self._in_flight_to.get(conversation, 0) + len(mine) >= int(self.per_conversation):
            return mine[0] + 1.0 - now if mine else 0.005
        self._in_flight += 1
        self._in_flight_to[conversation] = self._in_flight_to.get(conversation, 0) + 1
        return 0.0

    def release(self, conversation: str) -> None:
        """The message that was let go by `departure_wait` did not leave after all (the instances'
        shared budget had no room): it is no longer in flight, and nothing landed."""
        self._in_flight = max(0, self._in_flight - 1)
        left = self._in_flight_to.get(conversation, 0) - 1
        if left > 0:
            self._in_flight_to[conversation] = left
        else:
            self._in_flight_to.pop(conversation, None)

    def landed(self, conversation: str, now: float) -> None:
        """The message that left for `conversation` has its answer (whatever it was)."""
        self.release(conversation)
        self._landed.append(now)
        self._landed_to.setdefault(conversation, deque()).append(now)
        if len(self._landed_to) > 10_000:
            self._landed_to = {k: v for k, v in self._landed_to.items() if v and v[-1] > now - 1.0}
