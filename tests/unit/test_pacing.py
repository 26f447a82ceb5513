"""The pacer keeps within Teams' limits and slows the whole instance after a 429."""

from __future__ import annotations

import itertools
import math

from plf_core.pacing import SLOW_FOR_S, Pacer


def send_times(pacer: Pacer, conversations: list[str], now: float = 100.0) -> list[float]:
    return [now + pacer.reserve(c, now) for c in conversations]  # all asked for at the same instant


def test_at_most_50_a_second_for_the_app() -> None:
    times = send_times(Pacer(), [f"c{n}" for n in range(200)])
    for start in times:
        assert sum(1 for t in times if start <= t < start + 1.0 - 1e-9) <= 50
    assert math.isclose(times[-1] - times[0], 199 / 50)


def test_at_most_7_a_second_to_one_conversation() -> None:
    times = send_times(Pacer(), ["same"] * 30)
    for start in times:
        assert sum(1 for t in times if start <= t < start + 1.0 - 1e-9) <= 7
    mixed = send_times(Pacer(), ["a", "b"] * 20)
    a = [t for t, c in zip(mixed, ["a", "b"] * 20, strict=True) if c == "a"]
    assert all(later - earlier >= 1 / 7 - 1e-9 for earlier, later in itertools.pairwise(a))


def test_a_429_pauses_everyone_then_halves_the_rate_for_a_while() -> None:
    pacer = Pacer()
    pacer.throttled(retry_after_s=2.0, now=100.0)
    assert pacer.pause_left(101.0) == 1.0
    first = 100.0 + pacer.reserve("other", 100.0)
    assert first == 102.0  # another conversation waits too
    second = 100.0 + pacer.reserve("third", 100.0)
    assert math.isclose(second - first, 1 / 25)  # half of 50 a second
    later = 102.0 + SLOW_FOR_S + 1
    assert math.isclose(pacer.reserve("x", later), 0.0)
    assert math.isclose(pacer.reserve("y", later), 1 / 50)  # full rate again
