"""Reading the timetable file: YAML in, checked rules out, or start-up stops naming the problem."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from plf_core.errors import ValidationFailed
from plf_core.timetable import Rule, parse_rules

DEFAULT = Path(__file__).with_name("timetable.yaml")


def load_timetable(path: Path | None = None) -> tuple[Rule, ...]:
    source = path or DEFAULT
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValidationFailed(f"timetable {source}: cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ValidationFailed(f"timetable {source}: not valid YAML{where}") from None
    try:
        return parse_rules(data)
    except ValidationFailed as exc:
        line = _rule_line(source.read_text(encoding="utf-8"), str(exc))
        where = f" line {line}:" if line else ""
        raise ValidationFailed(f"timetable {source}:{where} {exc}") from None


def _rule_line(text: str, message: str) -> int | None:
    """The line where the rule named in `message` ('rule 3 ...') starts in the file."""
    match = re.match(r"rule (\d+)", message)
    if not match:
        return None
    root = yaml.compose(text)
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if key.value == "rules" and isinstance(value, yaml.SequenceNode):
            index = int(match[1]) - 1
            if 0 <= index < len(value.value):
                return int(value.value[index].start_mark.line) + 1
    return None
