"""The e2e tests' database: the demo borough, migrated and loaded once per run and copied for each
test (as `plf migrate` and `plf demo` would leave it, with the cycles around the test's instant)."""

from __future__ import annotations

import pytest


@pytest.fixture
def database_url(demo_url: str) -> str:
    return demo_url
