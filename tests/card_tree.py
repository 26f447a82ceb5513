"""Reading a card dict in tests: every node, the inputs, the text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def inputs(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in walk(card) if str(n.get("type", "")).startswith("Input.")}


def texts(card: dict[str, Any]) -> list[str]:
    return [n["text"] for n in walk(card) if n.get("type") == "TextBlock"]
