"""Pacing proactive messages within Teams' limits (STACK-NOTES): at most `per_app` messages a
second for the app in a tenant and `per_conversation` a second to one conversation. After a
429 the whole instance pauses for the Retry-After and then runs at three quarters of its rate for half a minute, not
just the one message that was refused.

Pure: the caller passes the clock (monotonic seconds) and sleeps for the delays returned.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

SLOW_FOR_S = 30.0
SLOW_FACTOR = 0.75


@dataclass
class Pacer:
    per_app: float = 47.0  # Teams allows 50; a margin, so network jitter never crosses it
    per_conversation: float = 7.0
    paused_until: float = 0.0
    slow_until: float = 0.0
    _next_app: float = 0.0
    _next_conversation: dict[str, float] = field(default_factory=dict)
    _departed: deque[float] = field(default_factory=deque)
    _departed_to: dict[str, deque[float]] = field(default_factory=dict)

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
        """A last check as the message leaves: if a stall let sends bunch up, wait until no second
        (sliding) has more than the limits; 0 means go now, and the departure is recorded."""
        app = self._departed
        mine = self._departed_to.setdefault(conversation, deque())
        for window in (app, mine):
            while window and window[0] <= now - 1.0:
                window.popleft()
        if len(app) >= int(self.per_app) - 1:  # one spare: a send can still be held up after it leaves
            return app[0] + 1.0 - now
        if len(mine) >= int(self.per_conversation):
            return mine[0] + 1.0 - now
        app.append(now)
        mine.append(now)
        if len(self._departed_to) > 10_000:
            self._departed_to = {k: v for k, v in self._departed_to.items() if v and v[-1] > now - 1.0}
        return 0.0
