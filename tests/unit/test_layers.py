"""The rooms keep to themselves: each package imports only what its layer may (CONVENTIONS.md, "The rooms").

plf_core is pure (no I/O library, none of the rooms around it); cards are pure functions of
plf_core values; store/ persists and knows nothing of Teams or cards; bot/ is the Teams edge
and never touches SQL; scheduler/ only wires APScheduler to plf_core's use cases; feedback_web/ is the
open-web edge (the family feedback page): aiohttp, Jinja2, Babel and plf_core's use cases, never SQL or Teams.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IO = {
    "aiohttp",
    "sqlalchemy",
    "alembic",
    "microsoft_agents",
    "apscheduler",
    "asyncpg",
    "aiosqlite",
    "httpx",
    "requests",
}
ROOMS = {
    "store",
    "cards",
    "bot",
    "scheduler",
    "reports",
    "feedback_web",
    "plf_cli",
    "app",
    "composition",
    "settings",
    "logs",
}
FORBIDDEN: dict[str, set[str]] = {
    "plf_core": IO | ROOMS | {"yaml", "jinja2", "matplotlib", "PIL", "itsdangerous", "microsoft_teams"},
    "cards": IO | ROOMS - {"cards"},
    "store": {"aiohttp", "microsoft_agents", "apscheduler", "microsoft_teams"} | ROOMS - {"store"},
    "bot": {"sqlalchemy", "alembic", "asyncpg", "aiosqlite", "apscheduler", "store", "scheduler", "plf_cli", "app"},
    "scheduler": {"sqlalchemy", "aiohttp", "microsoft_agents", "store", "bot", "cards", "plf_cli", "app"},
    "reports": IO | ROOMS - {"reports"},
    "feedback_web": (IO - {"aiohttp"} | ROOMS | {"microsoft_teams", "matplotlib", "yaml"}) - {"feedback_web"},
}


def imported_roots(source: str) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_imported_roots_sees_nested_and_aliased_imports() -> None:
    source = "def f():\n    import sqlalchemy.orm as o\n    from aiohttp import web\n"
    assert imported_roots(source) == {"sqlalchemy", "aiohttp"}


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_each_room_imports_only_what_its_layer_may(room: str) -> None:
    files = sorted((ROOT / room).rglob("*.py"))
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path.read_text()) & FORBIDDEN[room]) for path in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert len(files) >= 2  # the scan really looked at the package


def test_the_rule_catches_a_card_that_reaches_for_the_database() -> None:
    assert imported_roots("from store.models import Audit\nimport aiohttp\n") & FORBIDDEN["cards"] == {
        "store",
        "aiohttp",
    }
