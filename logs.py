"""Logging: one line per event, as text or JSON, with ids and never personal data.

Call sites use %-style arguments and put ids in `extra=` so a JSON line carries them as fields.
"""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class QuietSdkNoise(logging.Filter):
    """The Agents SDK logs 'App ID is not provided' on every anonymous (local) request, and an ERROR
    quoting the body (user input) for every malformed activity, which the bot already refuses with
    a 400 naming the reason: both only at DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "App ID is not provided" in message or (
            record.name == "microsoft_agents.activity.activity" and message.startswith("Validation error for Activity")
        ):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger().isEnabledFor(logging.DEBUG)
        return True


def json_formatter() -> logging.Formatter:
    """One JSON object per line, for log shipping."""
    return JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    )


def configure_logging(level: str = "INFO", fmt: str = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(json_formatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(QuietSdkNoise())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("aiohttp.access", "sqlalchemy.engine", "alembic", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
