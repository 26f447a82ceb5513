"""One chat turn as the use cases see it: the transaction, who is asking, when, and the settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from plf_core import workflow
from plf_core.dip_plan import PlannedDip
from plf_core.framework_config import Framework
from plf_core.moderation import Rules
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork
from plf_core.timetable import Hours, Rule


@dataclass(frozen=True)
class ChatSettings:
    workflow: workflow.Settings
    zone: ZoneInfo
    moderation: Rules = field(default_factory=Rules)
    rules: tuple[Rule, ...] = ()
    hours: Hours = field(default_factory=Hours)
    framework: Framework = field(default_factory=Framework)
    dip_plan: tuple[PlannedDip, ...] = ()
    feedback_link_days: int = 28  # how long a family's feedback link works (FEEDBACK_LINK_DAYS)


@dataclass(frozen=True)
class Turn:
    uow: AbstractUnitOfWork
    actor: Actor
    now: datetime
    settings: ChatSettings
    activity_id: str | None

    @property
    def today(self) -> date:
        return self.now.astimezone(self.settings.zone).date()
