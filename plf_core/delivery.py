"""What to do when Teams answers a proactive message: retry, give up, or mark unreachable.

Teams' guidance: retry 412, 429, 502, 503 and 504 with exponential backoff, honouring
Retry-After; never retry a 403 (bot not in the roster, message writes blocked, bot disabled
by an admin). A 500 is retried too: it is transient far more often than not.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum

RETRYABLE = frozenset({412, 429, 500, 502, 503, 504})
BASE_DELAY_S = 2.0
MAX_DELAY_S = 600.0


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    DEAD = "dead"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    delay_s: float = 0.0
    reason: str = ""
    #: the connector said "too many requests": the whole instance should slow down, not this message only
    throttled: bool = False


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if 0 <= seconds <= 3600 else None


def decide(
    status: int | None,
    attempts: int,
    max_attempts: int,
    retry_after: str | None = None,
    detail: str = "",
    rng: random.Random | None = None,
) -> Decision:
    """`attempts` counts this one. `status` None means the connector could not be reached."""
    reason = f"{status} {detail}".strip() if status is not None else f"connection failed: {detail}".strip()
    if status == 403:
        return Decision(Outcome.UNREACHABLE, reason=reason)
    if status is not None and status not in RETRYABLE:
        return Decision(Outcome.DEAD, reason=reason)
    if attempts >= max_attempts:
        return Decision(Outcome.DEAD, reason=f"gave up after {attempts} attempts: {reason}")
    jitter = (rng or random.Random()).uniform(0, 1)
    backoff = min(MAX_DELAY_S, BASE_DELAY_S * 2 ** (attempts - 1)) * (0.5 + jitter / 2)
    told = parse_retry_after(retry_after)
    return Decision(Outcome.RETRY, delay_s=max(backoff, told or 0.0), reason=reason, throttled=status == 429)
