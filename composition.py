"""What the bot (app.py) and `plf` are both built from, without the Teams edge: the settings, the
one clock, the framework's configuration, and the database's units of work."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml
from sqlalchemy.ext.asyncio import AsyncEngine

from plf_core import workflow
from plf_core.chat import ChatSettings
from plf_core.clock import Clock
from plf_core.errors import ConfigurationError
from plf_core.feedback.form import FeedbackForm, parse_feedback_form
from plf_core.forms.registry import load_forms
from plf_core.moderation import Rules
from plf_core.ports import UnitOfWorkFactory
from plf_core.timetable import Hours
from scheduler.timetable_file import load_configuration
from settings import Settings
from store.database import create_engine, normalise_url, ping
from store.unit_of_work import unit_of_work_factory

log = logging.getLogger("plf.composition")
FEEDBACK_FORM = Path(__file__).parent / "plf_core" / "forms" / "family_feedback.yaml"


def load_feedback_form(path: Path | None = None) -> FeedbackForm:
    """The family feedback form from its YAML file, or a ConfigurationError naming the file and the problem."""
    source = path or FEEDBACK_FORM
    try:
        document = yaml.safe_load(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigurationError(f"feedback form {source}: cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigurationError(f"feedback form {source}: not valid YAML{where}") from None
    try:
        return parse_feedback_form(document)
    except ConfigurationError as exc:
        raise ConfigurationError(f"{source}: {exc}") from None


@dataclass(frozen=True)
class Core:
    """What the bot and `plf` are both built from: the settings, the one clock, and the framework's
    configuration, checked when first used (a broken timetable stops the bot's start-up, naming the
    rule, and `plf serve` or a timetable command, but not `plf migrate`)."""

    settings: Settings
    clock: Clock

    @cached_property
    def chat(self) -> ChatSettings:
        settings = self.settings
        opens, closes = settings.hours
        configuration = load_configuration(settings.timetable_file)
        return ChatSettings(
            workflow.Settings(pim_working_days=configuration.framework.pim_working_days),
            settings.zone,
            Rules(
                settings.moderation_hos_share,
                settings.moderation_plr_share,
                settings.moderation_ad_qa_per_cycle,
                configuration.framework.moderate_within_days,
            ),
            configuration.rules,
            Hours(opens, closes, settings.zone),
            configuration.framework,
            configuration.dip_plan,
            settings.feedback_link_days,
        )

    @cached_property
    def feedback_form(self) -> FeedbackForm:
        return load_feedback_form(self.settings.feedback_form_file)

    @property
    def hours(self) -> Hours:
        return self.chat.hours


def build_core(settings: Settings, clock: Clock | None = None) -> Core:
    """`clock`: the tests' own; otherwise the settings' (the system's, or PLF_NOW's). Every form
    definition is checked now: a broken one stops whatever was starting."""
    forms = load_forms()
    log.debug("loaded %d form definitions", len(forms))
    return Core(settings, clock or settings.clock())


@asynccontextmanager
async def open_database(core: Core) -> AsyncIterator[tuple[AsyncEngine, UnitOfWorkFactory]]:
    """The configured database, reachable (or DatabaseUnavailable naming the masked URL), and its units of work."""
    engine = create_engine(normalise_url(core.settings.database_url))
    try:
        await ping(engine)
        yield engine, unit_of_work_factory(engine, core.clock, feedback_form=lambda: core.feedback_form)
    finally:
        await engine.dispose()
