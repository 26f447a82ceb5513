"""What guards the open page: the form check (signed, bound to its link, a day fresh), the allowance of
requests per address or link, and a post cut at the size limit keeping the fields that arrived whole."""

from __future__ import annotations

from feedback_web.csrf import FRESH_FOR_S, FormChecks, Seal
from feedback_web.limits import Allowance, _without_broken_escape, client_address
from plf_core.feedback.links import token_hash


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_form_check_is_good_for_its_own_link_for_a_day_then_stale() -> None:
    clock = Clock()
    checks = FormChecks("k" * 40, clock)
    mine, other = token_hash("a" * 43), token_hash("b" * 43)
    value = checks.make(mine)
    assert checks.check(value, mine) is Seal.GOOD
    assert checks.check(value, other) is Seal.BAD
    assert checks.check(value[:-1] + ("A" if value[-1] != "A" else "B"), mine) is Seal.BAD
    assert checks.check(None, mine) is Seal.BAD
    assert FormChecks("j" * 40, clock).check(value, mine) is Seal.BAD  # another key
    clock.now += FRESH_FOR_S + 1
    assert checks.check(value, mine) is Seal.STALE
    assert checks.check(value, other) is Seal.BAD


def test_an_allowance_refuses_past_its_limit_until_the_window_ends() -> None:
    clock = Clock()
    allowance = Allowance(3, 60, clock)
    assert [allowance.take("a") for _ in range(4)] == [0, 0, 0, 60]
    assert allowance.first_refusal("a")  # logged once
    assert allowance.take("a") == 60
    assert not allowance.first_refusal("a")
    assert allowance.take("b") == 0  # each key its own
    clock.now += 45
    assert allowance.take("a") == 15
    clock.now += 15
    assert allowance.take("a") == 0


def test_an_allowance_remembers_a_bounded_number_of_keys() -> None:
    clock = Clock()
    allowance = Allowance(1, 60, clock, max_keys=100)
    for n in range(1_000):
        allowance.take(f"address {n}")
    assert len(allowance._windows) <= 100
    assert allowance.take("address 999") == 60  # the newest are kept


def test_a_body_cut_at_the_limit_keeps_whole_fields_and_names_the_one_cut() -> None:
    assert _without_broken_escape("form_check=x&useful=3&changed=abc%E2%8") == (
        "form_check=x&useful=3&changed=abc%E2",
        "changed",
    )
    assert _without_broken_escape("form_check=x&helped=ab%") == ("form_check=x&helped=ab", "helped")
    assert _without_broken_escape("form_check=x&hel") == ("form_check=x", None)


def test_the_address_counted_is_the_one_the_nearest_trusted_proxy_saw() -> None:
    from aiohttp.test_utils import make_mocked_request

    forwarded = {"X-Forwarded-For": "6.6.6.6, 203.0.113.9, 10.0.0.2"}  # the first was written by the client
    request = make_mocked_request("GET", "/feedback/x", headers=forwarded)
    assert client_address(request, 0) != "203.0.113.9"  # no proxy trusted: the header is not read
    assert client_address(request, 1) == "10.0.0.2"
    assert client_address(request, 2) == "203.0.113.9"
    assert client_address(make_mocked_request("GET", "/feedback/x"), 2) == client_address(request, 0)
