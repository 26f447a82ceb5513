"""Retry, give up or mark unreachable: what Teams' answers to a proactive message mean."""

from __future__ import annotations

import random

import pytest

from plf_core.delivery import Outcome, decide, parse_retry_after


@pytest.mark.parametrize("status", [412, 429, 500, 502, 503, 504])
def test_transient_answers_are_retried_with_growing_delays(status: int) -> None:
    rng = random.Random(1)
    delays = [decide(status, attempt, 8, rng=rng).delay_s for attempt in range(1, 6)]
    assert all(decide(status, 1, 8).outcome is Outcome.RETRY for _ in range(3))
    assert delays == sorted(delays)
    assert 1.0 <= delays[0] <= 2.0
    assert delays[-1] >= 16.0


def test_retry_after_is_honoured_when_longer_than_the_backoff() -> None:
    assert decide(429, 1, 8, retry_after="30").delay_s == 30.0
    assert decide(429, 1, 8, retry_after="0.1").delay_s >= 1.0


@pytest.mark.parametrize(("value", "seconds"), [("5", 5.0), (" 2.5 ", 2.5), ("soon", None), ("-1", None), ("", None)])
def test_retry_after_values(value: str, seconds: float | None) -> None:
    assert parse_retry_after(value) == seconds


def test_a_403_is_never_retried_and_means_unreachable() -> None:
    decision = decide(403, 1, 8, detail="BotNotInConversationRoster")
    assert decision.outcome is Outcome.UNREACHABLE
    assert "BotNotInConversationRoster" in decision.reason


def test_other_client_errors_are_dead_at_once() -> None:
    assert decide(400, 1, 8).outcome is Outcome.DEAD
    assert decide(404, 1, 8).outcome is Outcome.DEAD


def test_too_many_attempts_dead_letter_the_message() -> None:
    decision = decide(503, 8, 8)
    assert decision.outcome is Outcome.DEAD
    assert decision.reason.startswith("gave up after 8 attempts")


def test_an_unreachable_connector_is_retried() -> None:
    assert decide(None, 1, 8, detail="ConnectionRefused").outcome is Outcome.RETRY
