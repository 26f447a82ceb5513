"""What a card sends back is checked before any work: ids, verbs and the size of the inputs."""

from __future__ import annotations

import pytest

from bot.actions import BadAction, parse_action


def test_a_save_carries_audit_version_page_and_inputs() -> None:
    request = parse_action({"verb": "page.save", "audit": "12", "version": 3, "page": "header", "H_date": "2026-01-01"})
    assert (request.verb, request.audit_id, request.version, request.page) == ("page.save", 12, 3, "header")
    assert request.inputs == {"H_date": "2026-01-01"}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"verb": "audit.delete", "audit": 1}, "is not one this bot knows"),
        ({"verb": 7}, "is not one this bot knows"),
        ({"verb": "audit.open"}, "does not say which audit"),
        ({"verb": "audit.open", "audit": True}, "'audit' is not a number"),
        ({"verb": "audit.open", "audit": "1; drop table"}, "'audit' is not a number"),
        ({"verb": "audit.open", "audit": -1}, "'audit' is not a number"),
        ({"verb": "page.save", "audit": 1, "page": "header"}, "does not carry the audit's version"),
        ({"verb": "page.save", "audit": 1, "version": 1}, "does not say which page"),
        ({"verb": "page.save", "audit": 1, "version": 1, "page": "x" * 41}, "'page' is not a page name"),
        ({"verb": "command.run", "command": "x" * 301}, "'command' is not a command"),
        (
            {"verb": "page.save", "audit": 1, "version": 1, "page": "p", **{f"k{i}": 1 for i in range(121)}},
            "more, or longer, fields",
        ),
    ],
)
def test_a_damaged_or_forged_action_is_refused_with_its_reason(data: dict[str, object], reason: str) -> None:
    with pytest.raises(BadAction, match=reason):
        parse_action(data)
