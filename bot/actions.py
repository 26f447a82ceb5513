"""Reading what a card sent back: the verb, the audit and version it was for, and the inputs.

A client can send anything: ids must be whole numbers, verbs known, and the inputs a
modest number of short keys; anything else is refused with its reason before any work.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from plf_core.card_actions import ACTIONS, ActionRequest, Verb

__all__ = ["ActionRequest", "BadAction", "parse_action"]

RESERVED = frozenset({"verb", "audit", "version", "page", "command", "dip_sample"})
MAX_INPUTS = 120
MAX_KEY = 60


class BadAction(Exception):
    """A card action that cannot be used, with the reason."""


def _whole(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise BadAction(f"'{key}' is not a number")
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 12:  # "²".isdigit(), but int("²") fails
        raise BadAction(f"'{key}' is not a number")
    return int(text)


def parse_action(data: Mapping[str, Any]) -> ActionRequest:
    verb = data.get("verb")
    if not isinstance(verb, str) or verb not in ACTIONS:
        raise BadAction(f"the action '{str(verb)[:40]}' is not one this bot knows")
    needs = ACTIONS[Verb(verb)]
    audit_id = _whole(data, "audit")
    version = _whole(data, "version")
    page = data.get("page")
    if page is not None and (not isinstance(page, str) or len(page) > 40):
        raise BadAction("'page' is not a page name")
    if needs.needs_audit and audit_id is None:
        raise BadAction("it does not say which audit it is for")
    if needs.needs_version and version is None:
        raise BadAction("it does not carry the audit's version")
    if needs.needs_page and page is None:
        raise BadAction("it does not say which page it is for")
    dip_id = _whole(data, "dip_sample")
    if needs.needs_dip and dip_id is None:
        raise BadAction("it does not say which dip sample it is for")
    command = data.get("command")
    if command is not None and (not isinstance(command, str) or len(command) > 300):
        raise BadAction("'command' is not a command")
    inputs = {k: v for k, v in data.items() if k not in RESERVED}
    if len(inputs) > MAX_INPUTS or any(not isinstance(k, str) or len(k) > MAX_KEY for k in inputs):
        raise BadAction("it carries more, or longer, fields than any page has")
    if _has_nul([*inputs, *inputs.values(), command]):
        raise BadAction("an answer holds a NUL character (U+0000), which cannot be stored: please remove it")
    return ActionRequest(Verb(verb), audit_id, version, page, command, inputs, dip_id)


def _has_nul(values: object, depth: int = 0) -> bool:
    """A NUL anywhere in the strings (PostgreSQL stores none: JSONB and text refuse U+0000)."""
    if isinstance(values, str):
        return "\x00" in values
    if depth > 20:  # deeper than any card input; the rest is refused by the form's validation
        return False
    if isinstance(values, dict):
        return any(_has_nul(k, depth + 1) or _has_nul(v, depth + 1) for k, v in values.items())
    if isinstance(values, list | tuple):
        return any(_has_nul(v, depth + 1) for v in values)
    return False
