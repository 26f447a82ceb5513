"""plf_core must stay pure: no I/O library may be imported anywhere in it."""

from __future__ import annotations

import ast
from pathlib import Path

import plf_core

FORBIDDEN = {"aiohttp", "sqlalchemy", "microsoft_agents", "apscheduler", "asyncpg", "aiosqlite"}
CORE = Path(plf_core.__file__).parent


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


def test_plf_core_imports_no_io_library() -> None:
    offenders = {
        str(path.relative_to(CORE)): sorted(imported_roots(path.read_text()) & FORBIDDEN) for path in CORE.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert len(offenders) >= 5  # the scan really looked at the package
