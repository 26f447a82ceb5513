"""Pacing proactive messages within Teams' limits (STACK-NOTES): at most `per_app` messages a
second for the app in a tenant and `per_conversation` a second to one conversation. After a
429 the whole instance pauses for the Retry-After and then runs at half rate for a while, not
just the one message that was refused.

Pure: the caller passes the clock (monotonic seconds) and sleeps for the delays returned.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SLOW_FOR_S = 60.0


@dataclass
class Pacer:
    per_app: float = 50.0
    per_conversation: float = 7.0
    paused_until: float = 0.0
    slow_until: float = 0.0
    _next_app: float = 0.0
    _next_conversation: dict[str, float] = field(default_factory=dict)

    def reserve(self, conversation: str, now: float) -> float:
        """Seconds to wait before sending one message to `conversation`; the slot is then taken."""
        rate = self.per_app / 2 if now < self.slow_until else self.per_app
        start = max(now, self._next_app, self.paused_until, self._next_conversation.get(conversation, 0.0))
        self._next_app = start + 1.0 / rate
        self._next_conversation[conversation] = start + 1.0 / self.per_conversation
        if len(self._next_conversation) > 10_000:
            self._next_conversation = {k: v for k, v in self._next_conversation.items() if v > now}
        return start - now

    def throttled(self, retry_after_s: float, now: float) -> None:
        """A 429: everyone waits `retry_after_s`, then goes at half rate for a minute."""
        self.paused_until = max(self.paused_until, now + retry_after_s)
        self.slow_until = max(self.slow_until, self.paused_until + SLOW_FOR_S)
        self._next_app = max(self._next_app, self.paused_until)

    def pause_left(self, now: float) -> float:
        return max(0.0, self.paused_until - now)
