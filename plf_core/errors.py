"""Every error the framework raises on purpose, in one tree.

    PlfError                    base: a message fit to show the user
    ├── ValidationFailed        input broke a rule; `.problems` lists each one
    │   └── ImportRejected      a CSV import refused as a whole (all or nothing)
    ├── Refused                 refusals the access log records (action and audit attached)
    │   ├── NotFound            a case, audit, person or team that does not exist
    │   └── NotAllowed          the person may not do this (authorisation)
    ├── AskFirst                the command needs a choice first (which Hazel? another team's case?)
    ├── Conflict                the thing changed underneath (stale version, duplicate)
    │   └── Contended           a write lost a race with another: run the use case again, afresh
    └── ConfigurationError      a setting or configuration file is wrong

The edges (`bot/`, `plf_cli/`) map these to a friendly reply in one place each;
anything else is a bug and is reported with an incident id.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (a line, a field) and why, in the user's words."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}" if self.where else self.reason


class PlfError(Exception):
    """Base of the tree. `str(error)` is fit to show the user."""


class ValidationFailed(PlfError):
    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems: list[Problem] = list(problems or [])


class ImportRejected(ValidationFailed):
    """A whole import file refused; nothing from it was stored."""


class Refused(PlfError):
    """A refusal the access log must record even though the unit of work is rolled back."""

    def __init__(self, message: str, *, action: str | None = None, audit_id: int | None = None) -> None:
        super().__init__(message)
        self.action = action
        self.audit_id = audit_id


class NotFound(Refused):
    pass


class NotAllowed(Refused):
    pass


@dataclass(frozen=True)
class Answer:
    """One way to answer an AskFirst: the command as typed, with `ref` replaced by `by` and `add` appended."""

    label: str
    detail: str = ""
    ref: str = ""
    by: str = ""
    add: str = ""


class AskFirst(PlfError):
    """Nothing was done: the command needs a choice first. The chat offers each answer as a button that
    runs the command again, amended (a terminal shows the question)."""

    def __init__(self, title: str, message: str, answers: tuple[Answer, ...]) -> None:
        super().__init__(message)
        self.title = title
        self.answers = answers


class Conflict(PlfError):
    pass


class Contended(Conflict):
    """Another write got in between this one's read and its write (SQLite has no row locks): the
    edge runs the whole use case again in a new transaction, which reads what the other wrote."""


class ConfigurationError(PlfError):
    pass
