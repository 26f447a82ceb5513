"""Signed links: valid until they expire, refused once altered, and only for their own kind."""

from __future__ import annotations

from bot.links import SignedLinks

NOW = 1_800_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_link_works_until_it_expires() -> None:
    clock = Clock()
    links = SignedLinks("s" * 40, "https://plf.example.org/", lifetime_s=7 * 86_400, clock=clock)
    url = links.chart_url(42)
    assert url.startswith("https://plf.example.org/links/charts/")
    token = url.rsplit("/", 1)[1].removesuffix(".png")
    assert links.read("chart", token) == {"a": 42}
    clock.now += 7 * 86_400 - 1
    assert links.read("chart", token) == {"a": 42}
    clock.now += 2
    assert links.read("chart", token) is None


def test_a_tampered_or_foreign_link_is_refused() -> None:
    links = SignedLinks("s" * 40, "https://plf.example.org", clock=lambda: NOW)
    token = links.token("chart", {"a": 42})
    for position in (0, len(token) // 2, len(token) - 2):  # not the last: base64's padding bits may not count
        changed = token[:position] + ("A" if token[position] != "A" else "B") + token[position + 1 :]
        assert links.read("chart", changed) is None
    assert links.read("report", token) is None  # a chart's link opens no report
    other = SignedLinks("t" * 40, "https://plf.example.org", clock=lambda: NOW)
    assert other.read("chart", token) is None  # another key
    assert links.read("chart", "not-a-token") is None
    assert SignedLinks(None, "http://127.0.0.1:3978", clock=lambda: NOW).ephemeral
