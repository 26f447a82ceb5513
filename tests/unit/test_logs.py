from __future__ import annotations

import json
import logging

import pytest

from logs import configure_logging


@pytest.fixture(autouse=True)
def restore_logging() -> object:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_logs_are_one_object_per_line_with_ids_as_fields(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", "json")
    logging.getLogger("plf.test").info("audit %s saved", 42, extra={"audit_id": 42})
    [line] = capsys.readouterr().err.strip().splitlines()
    record = json.loads(line)
    assert record["message"] == "audit 42 saved"
    assert record["audit_id"] == 42
    assert record["level"] == "INFO"
    assert record["logger"] == "plf.test"


def test_the_sdks_anonymous_mode_notice_is_hidden_below_debug(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", "text")
    logging.getLogger("microsoft_agents.x").warning("App ID is not provided; anonymous")
    logging.getLogger("plf.test").warning("kept")
    err = capsys.readouterr().err
    assert "App ID is not provided" not in err
    assert "kept" in err
