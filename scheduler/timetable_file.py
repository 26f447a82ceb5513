"""Reading the timetable file: YAML in, checked rules and the framework's numbers out, or start-up
stops naming the line and the problem."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from plf_core.dip_plan import PlannedDip, parse_dip_plan
from plf_core.dips import DEFAULT_THEMES
from plf_core.errors import ValidationFailed
from plf_core.framework_config import Framework, check_against_rules, parse_framework
from plf_core.timetable import Rule, parse_rules

DEFAULT = Path(__file__).with_name("timetable.yaml")


@dataclass(frozen=True)
class Configuration:
    rules: tuple[Rule, ...] = ()
    framework: Framework = field(default_factory=Framework)
    dip_plan: tuple[PlannedDip, ...] = ()


def load_timetable(path: Path | None = None) -> tuple[Rule, ...]:
    return load_configuration(path).rules


def load_configuration(path: Path | None = None) -> Configuration:
    source = path or DEFAULT
    try:
        text = source.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except OSError as exc:
        raise ValidationFailed(f"timetable {source}: cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ValidationFailed(f"timetable {source}: not valid YAML{where}") from None
    try:
        framework = parse_framework(data.get("framework") if isinstance(data, dict) else None)
        rules = parse_rules(data)
        check_against_rules(framework, rules)
        plan = parse_dip_plan(data.get("dip_plan") if isinstance(data, dict) else None, DEFAULT_THEMES)
    except ValidationFailed as exc:
        line = _line(text, str(exc))
        where = f" line {line}:" if line else ""
        raise ValidationFailed(f"timetable {source}:{where} {exc}") from None
    return Configuration(rules, framework, plan)


def _line(text: str, message: str) -> int | None:
    """Where the rule ('rule 3 ...') or the framework number ("framework 'quota'") named in
    `message` is in the file."""
    root = yaml.compose(text)
    if not isinstance(root, yaml.MappingNode):
        return None
    sections = {key.value: value for key, value in root.value}
    if (match := re.match(r"rule (\d+)", message)) and isinstance(sections.get("rules"), yaml.SequenceNode):
        index = int(match[1]) - 1
        items = sections["rules"].value
        return int(items[index].start_mark.line) + 1 if 0 <= index < len(items) else None
    if (match := re.match(r"dip_plan (\d+)", message)) and isinstance(sections.get("dip_plan"), yaml.SequenceNode):
        index = int(match[1]) - 1
        items = sections["dip_plan"].value
        return int(items[index].start_mark.line) + 1 if 0 <= index < len(items) else None
    if (match := re.match(r"framework(?: '(\w+)')?", message)) and "framework" in sections:
        node = sections["framework"]
        if match[1] and isinstance(node, yaml.MappingNode):
            for key, _ in node.value:
                if key.value == match[1]:
                    return int(key.start_mark.line) + 1
        return int(node.start_mark.line)
    return None
