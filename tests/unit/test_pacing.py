"""The pacer keeps within Teams' limits and slows the whole instance after a 429."""

from __future__ import annotations

import bisect
import itertools
import math
import random

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


def test_sends_in_flight_count_until_they_land() -> None:
    pacer = Pacer()
    # a stalled event loop wakes 60 sends at once: 49 leave, the rest wait while those are in flight
    waits = [pacer.departure_wait(f"c{n}", 10.0) for n in range(60)]
    assert waits[:49] == [0.0] * 49
    assert all(w > 0 for w in waits[49:])
    for n in range(49):
        pacer.landed(f"c{n}", 10.2)
    assert math.isclose(pacer.departure_wait("late", 10.5), 0.7)  # answered less than a second ago
    assert pacer.departure_wait("late", 11.2) == 0.0
    same = Pacer()
    assert [same.departure_wait("one", 20.0) for _ in range(8)][-1] > 0  # 7 a second to one conversation


def test_stalls_between_leaving_and_arriving_never_bunch_arrivals_over_the_limit() -> None:
    """A simulated dispatcher whose sends are held up at random (up to 0.8 s, as a stalled event loop
    or a slow network would): in no second do more than 50 arrive, to the app or to one conversation."""
    rng = random.Random(7)
    pacer = Pacer()
    arrivals: list[tuple[float, str]] = []
    landings: list[tuple[float, str]] = []
    conversations = [f"c{n}" for n in range(200)]
    queue = [rng.choice(conversations) for _ in range(3000)]
    now, slot = 0.0, None  # as the dispatcher: reserve a slot, sleep until it, then the departure check
    while queue or landings:
        for when, conversation in sorted(landings):
            if when <= now:
                pacer.landed(conversation, when)
        landings = [x for x in landings if x[0] > now]
        while queue:
            conversation = queue[0]
            if slot is None:
                slot = now + pacer.reserve(conversation, now)
            if now < slot or pacer.departure_wait(conversation, now) > 0:
                break
            queue.pop(0)
            slot = None
            stall = rng.uniform(0, 0.8) if rng.random() < 0.1 else 0.002
            arrivals.append((now + stall, conversation))
            landings.append((now + stall + 0.003, conversation))
        now = round(now + 0.001, 6)
    times = sorted(t for t, _ in arrivals)
    busiest = max(bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times))
    assert busiest <= 50
    for conversation in conversations:
        mine = sorted(t for t, c in arrivals if c == conversation)
        assert max(bisect.bisect_left(mine, t + 1.0) - i for i, t in enumerate(mine)) <= 7
    assert len(arrivals) / times[-1] > 40  # and still close to the limit
