"""One typed settings object, read once from the environment (and an optional `.env`).

A bad value stops start-up with one line naming the setting and what is wrong with it.
"""

from __future__ import annotations

import ipaddress
import uuid
from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from plf_core.clock import LONDON, Clock, RunningClock, SystemClock, parse_instant
from plf_core.errors import ConfigurationError

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/plf.db"
LOOPBACK_NAMES = frozenset({"localhost"})


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False)

    database_url: str = DEFAULT_DATABASE_URL
    microsoft_app_id: str | None = None
    microsoft_app_password: str | None = None
    #: a certificate instead of the client secret: the PFX file holding the certificate and its key
    microsoft_app_cert_pfx_file: Path | None = None
    microsoft_app_tenant_id: str | None = None
    allowed_tenant_ids: Annotated[tuple[str, ...], NoDecode] = ()
    host: str = "127.0.0.1"
    port: int = Field(default=3978, ge=1, le=65535)
    timezone: str = "Europe/London"
    timetable_file: Path | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    dispatch_interval_seconds: float = Field(default=3.0, ge=0.5, le=300)
    delivery_max_attempts: int = Field(default=8, ge=1, le=50)
    #: How long an instance holds the outbox rows it claimed; if it dies, others take them after this.
    outbox_claim_seconds: float = Field(default=120.0, ge=2, le=3600)
    #: Moderation selection (lines 473, 765-767): shares of returns and AD QA cases a cycle.
    moderation_hos_share: float = Field(default=0.20, ge=0, le=1)
    moderation_plr_share: float = Field(default=0.20, ge=0, le=1)
    moderation_ad_qa_per_cycle: int = Field(default=12, ge=0, le=1000)
    #: How often each instance sweeps the timetable for notices that are due (seconds).
    sweep_interval_seconds: float = Field(default=300.0, ge=1, le=3600)
    #: Working hours for reminders (local time): a notice due outside them goes at the next opening.
    working_hours: str = Field(default="09:00-17:00", pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}$")
    #: The event loop `plf serve` runs on: asyncio's own; uvloop (a dev dependency) only to compare them in
    #: bench/event_loop.py, where it did not beat asyncio's (ratio to the yardstick 0.55 against 0.57).
    event_loop: Literal["asyncio", "uvloop"] = "asyncio"
    #: Activities handled at once by one instance; more are refused with 503 + Retry-After.
    max_in_flight: int = Field(default=100, ge=1, le=10_000)
    #: The council's retention schedule (YAML: record type -> period); unset: nothing is ever deleted.
    retention_file: Path | None = None
    #: Proactive messages a second (Teams allows 50 per app and tenant in all): on PostgreSQL the
    #: instances share this budget through the database, whatever their number; on SQLite, one instance's.
    dispatch_rate: float = Field(default=48.0, gt=0, le=49)
    #: Activities one person may send in any 10 seconds; beyond that a polite 429 with Retry-After.
    flood_limit: int = Field(default=30, ge=1, le=10_000)
    #: The bot's address as Teams users' browsers reach it, for links to charts and reports
    #: (required with MICROSOFT_APP_ID; local mode: http://HOST:PORT).
    public_url: str | None = Field(default=None, pattern=r"^https?://[^\s/]+(/[^\s]*)?$")
    #: The key that signs those links (at least 32 characters; shared by every instance). Required
    #: with MICROSOFT_APP_ID; in local mode a random one is made at start-up, so links end at a restart.
    link_secret: SecretStr | None = None
    #: How long a link to a chart or a report works.
    link_days: int = Field(default=7, ge=1, le=90)
    #: How long a family's feedback link works (it works once).
    feedback_link_days: int = Field(default=28, ge=1, le=365)
    #: The family feedback form (questions, scales, worrying phrases, themes, contacts); unset: the one shipped
    #: (plf_core/forms/family_feedback.yaml).
    feedback_form_file: Path | None = None
    #: A folder of extra languages for the family feedback page: one gettext catalogue each (`ar.po`, or
    #: `ar/LC_MESSAGES/messages.po`), translating the English of feedback_web/locales/messages.pot.
    feedback_locales_dir: Path | None = None
    #: The proxies in front of the bot that append the client's address to X-Forwarded-For (0: none, the
    #: connection's own address is the family's): the feedback page's limits count requests per address.
    feedback_proxy_hops: int = Field(default=0, ge=0, le=5)
    #: Local mode only: the clock starts at this instant (local time, e.g. 2026-12-24T09:05) and runs
    #: from there, for tests, the demo and training (the Playground on the day before a deadline).
    plf_now: str | None = None

    @field_validator(
        "microsoft_app_id",
        "microsoft_app_password",
        "microsoft_app_cert_pfx_file",
        "microsoft_app_tenant_id",
        "timetable_file",
        "retention_file",
        "feedback_form_file",
        "feedback_locales_dir",
        "public_url",
        "link_secret",
        "plf_now",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("working_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        opens, closes = (time.fromisoformat(part) for part in value.split("-"))
        if opens >= closes:
            raise ValueError(f"'{value}': the opening time must be before the closing time")
        return value

    @property
    def hours(self) -> tuple[time, time]:
        opens, closes = self.working_hours.split("-")
        return time.fromisoformat(opens), time.fromisoformat(closes)

    @field_validator("log_level", "log_format", "event_loop", mode="before")
    @classmethod
    def _case(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        return value.upper() if value.lower() in {"debug", "info", "warning", "error"} else value.lower()

    @field_validator("allowed_tenant_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("allowed_tenant_ids")
    @classmethod
    def _tenant_guids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for tenant in value:
            try:
                uuid.UUID(tenant)
            except ValueError:
                raise ValueError(f"'{tenant}' is not a tenant id (a GUID)") from None
        return value

    @field_validator("microsoft_app_id", "microsoft_app_tenant_id")
    @classmethod
    def _guid(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                uuid.UUID(value)
            except ValueError:
                raise ValueError(f"'{value}' is not a GUID") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not a time zone name such as Europe/London") from None
        return value

    @field_validator("plf_now")
    @classmethod
    def _instant(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            zone = info.data.get("timezone")
            parse_instant(value, ZoneInfo(zone) if isinstance(zone, str) else LONDON)  # names the shape wanted
        return value

    @field_validator("timetable_file", "retention_file", "microsoft_app_cert_pfx_file", "feedback_form_file")
    @classmethod
    def _file_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @field_validator("feedback_locales_dir")
    @classmethod
    def _folder_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"no such folder: {value}")
        return value

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        from store.database import normalise_url  # the store owns which URLs it can open

        try:
            normalise_url(value)
        except Exception as exc:
            raise ValueError(str(exc).splitlines()[0]) from None
        return value

    @model_validator(mode="after")
    def _local_mode_is_loopback(self) -> Settings:
        if self.local_mode and not is_loopback(self.host):
            raise ValueError(
                f"HOST={self.host} is not allowed in local mode (no MICROSOFT_APP_ID): "
                "without authentication the bot binds 127.0.0.1 only"
            )
        if not self.local_mode and not (self.microsoft_app_password or self.microsoft_app_cert_pfx_file):
            raise ValueError(
                "MICROSOFT_APP_PASSWORD (a client secret) or MICROSOFT_APP_CERT_PFX_FILE (a certificate) "
                "is required when MICROSOFT_APP_ID is set"
            )
        if not self.local_mode and self.plf_now is not None:
            raise ValueError(
                "PLF_NOW (a chosen start for the clock) is accepted only in local mode: unset it, "
                "or unset MICROSOFT_APP_ID"
            )
        if not self.local_mode and not self.microsoft_app_tenant_id:
            raise ValueError("MICROSOFT_APP_TENANT_ID is required when MICROSOFT_APP_ID is set")
        if not self.local_mode and not self.public_url:
            raise ValueError("PUBLIC_URL is required when MICROSOFT_APP_ID is set (the https address of the bot)")
        if not self.local_mode and self.link_secret is None:
            raise ValueError("LINK_SECRET is required when MICROSOFT_APP_ID is set (shared by every instance)")
        if self.link_secret is not None and len(self.link_secret.get_secret_value()) < 32:
            raise ValueError("LINK_SECRET must be at least 32 characters (for example: openssl rand -base64 32)")
        return self

    @property
    def local_mode(self) -> bool:
        """No app id: anonymous, loopback only (the Agents Playground and tests)."""
        return self.microsoft_app_id is None

    @property
    def base_url(self) -> str:
        """Where links to charts and reports point."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def clock(self) -> Clock:
        """The one clock of this process: the system's, or (local mode) one started at PLF_NOW."""
        if self.plf_now is None:
            return SystemClock(self.zone)
        return RunningClock(parse_instant(self.plf_now, self.zone), self.zone)


def load_settings(**overrides: object) -> Settings:
    """Read the settings, or raise ConfigurationError with one line naming the culprit."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = "_".join(str(part) for part in error["loc"]).upper() or "settings"
        message = error["msg"].removeprefix("Value error, ")
        if error["loc"]:
            given = error.get("input")
            shown = "" if name.endswith("PASSWORD") or isinstance(given, dict) else f" (got {given!r})"
            raise ConfigurationError(f"setting {name}: {message}{shown}") from None
        raise ConfigurationError(f"settings: {message}") from None
