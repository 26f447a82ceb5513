"""The pacer keeps within Teams' limits and slows the whole instance after a 429."""

from __future__ import annotations

import itertools
import math

from plf_core.pacing import SLOW_FACTOR, SLOW_FOR_S, Pacer


def send_times(pacer: Pacer, conversations: list[str], now: float = 100.0) -> list[float]:
    return [now + pacer.reserve(c, now) for c in conversations]  # all asked for at the same instant


def test_at_most_50_a_second_for_the_app() -> None:
    times = send_times(Pacer(per_app=50), [f"c{n}" for n in range(200)])
    for start in times:
        assert sum(1 for t in times if start <= t < start + 1.0 - 1e-9) <= 50
    assert math.isclose(times[-1] - times[0], 199 / 50)
    assert Pacer().per_app < 50  # the default keeps a margin


def test_at_most_7_a_second_to_one_conversation() -> None:
    times = send_times(Pacer(), ["same"] * 30)
    for start in times:
        assert sum(1 for t in times if start <= t < start + 1.0 - 1e-9) <= 7
    mixed = send_times(Pacer(), ["a", "b"] * 20)
    a = [t for t, c in zip(mixed, ["a", "b"] * 20, strict=True) if c == "a"]
    assert all(later - earlier >= 1 / 7 - 1e-9 for earlier, later in itertools.pairwise(a))


def test_a_429_pauses_everyone_then_slows_the_rate_for_a_while() -> None:
    pacer = Pacer(per_app=50)
    pacer.throttled(retry_after_s=2.0, now=100.0)
    assert pacer.pause_left(101.0) == 1.0
    first = 100.0 + pacer.reserve("other", 100.0)
    assert first == 102.0  # another conversation waits too
    second = 100.0 + pacer.reserve("third", 100.0)
    assert math.isclose(second - first, 1 / (50 * SLOW_FACTOR))  # slower for a while
    later = 102.0 + SLOW_FOR_S + 1
    assert math.isclose(pacer.reserve("x", later), 0.0)
    assert math.isclose(pacer.reserve("y", later), 1 / 50)  # full rate again


def test_a_stall_cannot_bunch_sends_over_the_limit() -> None:
    pacer = Pacer(per_app=50)
    # a stalled event loop wakes 60 sends at the same instant: the 51st waits for the window to move
    waits = [pacer.departure_wait(f"c{n}", 10.0) for n in range(60)]
    assert waits[:49] == [0.0] * 49  # one spare under the limit
    assert all(math.isclose(w, 1.0) for w in waits[49:])
    assert pacer.departure_wait("c0", 11.0) == 0.0
    same = Pacer()
    assert [same.departure_wait("one", 20.0) for _ in range(8)][-1] > 0  # 7 a second to one conversation
