"""Reading the directory CSVs (teams, people, cases): every row checked, all or nothing.

Pure functions: bytes in, typed rows and a list of problems out. Which rows are new,
changed or missing is decided by `plan_upsert` against what the store already holds.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Generic, TypeVar

from plf_core.directory_columns import (
    AZEUS_PATTERN,
    CASE_COLUMNS,
    CASE_REQUIRED,
    COHORT_ALIASES,
    EMAIL_PATTERN,
    FALSE_WORDS,
    GENDER_ALIASES,
    MAX_AGE,
    MAX_TEXT,
    NAME_LIKE_COLUMNS,
    PEOPLE_COLUMNS,
    PEOPLE_REQUIRED,
    ROLE_ALIASES,
    TEAM_CODE_PATTERN,
    TEAM_COLUMNS,
    TEAM_REQUIRED,
    TRUE_WORDS,
    closing_day,
)
from plf_core.errors import ImportRejected, Problem
from plf_core.vocabulary import Cohort, Gender, Role

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class TeamRow:
    code: str
    name: str
    service_area_code: str
    service_area_name: str
    practice_lead_email: str | None = None
    service_manager_email: str | None = None
    head_of_service_email: str | None = None


@dataclass(frozen=True)
class PersonRow:
    aad_object_id: str
    display_name: str
    email: str
    roles: frozenset[Role]
    team_code: str | None = None


@dataclass(frozen=True)
class CaseRow:
    azeus_number: str
    gender: Gender
    age: int
    cohort: Cohort
    team_code: str
    allocated_worker_email: str | None = None
    legal_status: str | None = None
    ehcp: bool = False
    closed_on: date | None = None  # the day the case closed; empty: open


@dataclass
class ParsedFile(Generic[T]):
    """The good rows (with their line numbers), the problems, and any notes."""

    rows: list[tuple[int, T]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    columns: frozenset[str] = frozenset()  # the header's columns: a column absent leaves its field as it is

    @property
    def bad_lines(self) -> int:
        return len({p.where for p in self.problems})

    def require_clean(self, what: str) -> None:
        if self.problems:
            raise ImportRejected(f"{what}: {len(self.problems)} problem(s); nothing was imported", self.problems)


@dataclass(frozen=True)
class UpsertPlan(Generic[K, T]):
    new: list[T]
    changed: list[T]
    unchanged: int
    missing: list[K]


def decode_csv(data: bytes) -> str:
    """UTF-8 text (a byte-order mark is allowed), or a rejection naming the byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRejected(
            "the file is not UTF-8 text; save it as 'CSV UTF-8' and try again",
            [Problem(f"line {line}", f"byte 0x{data[exc.start]:02x} is not valid UTF-8")],
        ) from None


def _reader(text: str, what: str, required: Iterable[str]) -> tuple[csv.DictReader[str], set[str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if not header:
        raise ImportRejected(f"{what}: the file is empty", [Problem("line 1", "no header row")])
    reader.fieldnames = header
    missing = [c for c in required if c not in header]
    dupes = sorted({h for h in header if header.count(h) > 1})
    problems = [Problem("line 1", f"missing column '{c}'") for c in missing]
    problems += [Problem("line 1", f"column '{c}' appears more than once") for c in dupes]
    if problems:
        raise ImportRejected(f"{what}: the header is not usable", problems)
    return reader, set(header)


def _cell(raw: Mapping[str, str | None], column: str) -> str:
    value = raw.get(column)
    return value.strip() if isinstance(value, str) else ""


def _parse_rows(
    text: str,
    what: str,
    required: tuple[str, ...],
    known: tuple[str, ...],
    key: Callable[[T], str],
    parse_row: Callable[[Mapping[str, str | None], list[str]], T | None],
) -> ParsedFile[T]:
    reader, header = _reader(text, what, required)
    parsed: ParsedFile[T] = ParsedFile(columns=frozenset(header))
    extra = sorted(header - set(known))
    if extra:
        parsed.notes.append(f"ignored column(s) not used by this import: {', '.join(extra)}")
    first_line: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        if None in raw:
            parsed.problems.append(Problem(f"line {line}", "more cells than header columns"))
            continue
        reasons: list[str] = []
        row = parse_row(raw, reasons)
        if row is not None and not reasons:
            k = key(row).lower()
            if k in first_line:
                reasons.append(f"duplicate key '{key(row)}' (first seen on line {first_line[k]})")
            else:
                first_line[k] = line
        if reasons or row is None:
            parsed.problems.extend(Problem(f"line {line}", r) for r in reasons)
        else:
            parsed.rows.append((line, row))
    return parsed


def _optional_email(value: str, column: str, reasons: list[str]) -> str | None:
    if not value:
        return None
    if not EMAIL_PATTERN.match(value):
        reasons.append(f"{column} '{value}' is not an email address")
        return None
    return value.lower()


def _known(value: str | None, known: Collection[str], what: str, reasons: list[str]) -> None:
    if value and value.lower() not in known:
        reasons.append(f"unknown {what} '{value}'")


def parse_teams(text: str, known_people_emails: Collection[str]) -> ParsedFile[TeamRow]:
    """Teams and the service areas they roll up to, with their three leaders (by email)."""
    known_emails = {e.lower() for e in known_people_emails}

    def row(raw: Mapping[str, str | None], reasons: list[str]) -> TeamRow | None:
        code, area = _cell(raw, "team_code"), _cell(raw, "service_area_code")
        for column, value in (("team_code", code), ("service_area_code", area)):
            if not TEAM_CODE_PATTERN.match(value):
                reasons.append(f"{column} '{value}' must be 1-32 letters, digits, '-' or '_'")
        names = {c: _cell(raw, c) for c in ("team_name", "service_area_name")}
        for column, value in names.items():
            if not value or len(value) > MAX_TEXT:
                reasons.append(f"{column} must be 1-{MAX_TEXT} characters")
        leaders = {
            c: _optional_email(_cell(raw, c), c, reasons)
            for c in ("practice_lead_email", "service_manager_email", "head_of_service_email")
        }
        for column, email in leaders.items():
            _known(email, known_emails, f"person in {column}", reasons)
        if reasons:
            return None
        return TeamRow(code, names["team_name"], area, names["service_area_name"], **leaders)

    return _parse_rows(text, "teams", TEAM_REQUIRED, TEAM_COLUMNS, lambda t: t.code, row)


def parse_roles(value: str) -> tuple[frozenset[Role], list[str]]:
    roles: set[Role] = set()
    unknown: list[str] = []
    for part in re.split(r"[;|,]", value):
        word = part.strip().lower().replace(" ", "_")
        if not word:
            continue
        role = ROLE_ALIASES.get(word)
        if role is None:
            unknown.append(part.strip())
        else:
            roles.add(role)
    return frozenset(roles), unknown


def parse_people(text: str, known_team_codes: Collection[str]) -> ParsedFile[PersonRow]:
    """Staff: Entra object id, display name, email, roles (separated by ';'), team."""
    known_teams = {t.lower() for t in known_team_codes}

    def row(raw: Mapping[str, str | None], reasons: list[str]) -> PersonRow | None:
        aad = _cell(raw, "aad_object_id")
        try:
            aad = str(uuid.UUID(aad))
        except ValueError:
            reasons.append(f"aad_object_id '{aad}' is not an Entra object id (a GUID)")
        name = _cell(raw, "display_name")
        if not name or len(name) > MAX_TEXT:
            reasons.append(f"display_name must be 1-{MAX_TEXT} characters")
        email = _optional_email(_cell(raw, "email"), "email", reasons)
        if email is None and not _cell(raw, "email"):
            reasons.append("email is required")
        roles, unknown = parse_roles(_cell(raw, "roles"))
        if unknown:
            choices = ", ".join(r.value for r in Role)
            reasons.append(f"unknown role(s) {', '.join(unknown)}; use: {choices}")
        elif not roles:
            reasons.append("roles is empty; a person needs at least one role")
        team = _cell(raw, "team_code") or None
        _known(team, known_teams, "team", reasons)
        if reasons or email is None:
            return None
        return PersonRow(aad, name, email, roles, team)

    return _parse_rows(text, "people", PEOPLE_REQUIRED, PEOPLE_COLUMNS, lambda p: p.aad_object_id, row)


def refuse_unexpected_case_columns(text: str) -> None:
    """Case files carry no names and nothing we did not ask for: refuse such a file whole."""
    first = text.split("\n", 1)[0]
    header = [h.strip() for h in next(csv.reader([first]), [])]
    normal = {h: h.lower().replace(" ", "_") for h in header}
    named = [h for h in header if normal[h] in NAME_LIKE_COLUMNS]
    if named:
        raise ImportRejected(
            "case files must not carry names or other identifying details of a child: "
            "the product identifies children only by their Azeus number",
            [
                Problem(
                    "line 1",
                    f"column '{c}' looks like personal identifying data; remove the column and import again",
                )
                for c in named
            ],
        )
    unknown = [h for h in header if h and normal[h] not in CASE_COLUMNS]
    if unknown:
        raise ImportRejected(
            f"case files may carry only the columns the framework uses ({', '.join(CASE_COLUMNS)})",
            [Problem("line 1", f"column '{c}' is not one we import; remove it") for c in unknown],
        )


def parse_cases(
    text: str, known_team_codes: Collection[str], known_worker_emails: Collection[str]
) -> ParsedFile[CaseRow]:
    """Cases from the Data & Impact team: Azeus number and the attributes sampling uses."""
    refuse_unexpected_case_columns(text)
    known_teams = {t.lower() for t in known_team_codes}
    known_workers = {e.lower() for e in known_worker_emails}

    def row(raw: Mapping[str, str | None], reasons: list[str]) -> CaseRow | None:
        azeus = _cell(raw, "azeus_number")
        if not AZEUS_PATTERN.match(azeus):
            reasons.append(f"azeus_number '{azeus}' must be 1-20 letters, digits or '-'")
        gender = GENDER_ALIASES.get(_cell(raw, "gender").lower())
        if gender is None:
            reasons.append(f"gender '{_cell(raw, 'gender')}' must be female, male, other or unknown")
        age_text = _cell(raw, "age")
        age = int(age_text) if age_text.isascii() and age_text.isdigit() else -1
        if not 0 <= age <= MAX_AGE:
            reasons.append(f"age '{age_text}' must be a whole number from 0 to {MAX_AGE}")
        cohort = COHORT_ALIASES.get(_cell(raw, "cohort").lower())
        if cohort is None:
            choices = ", ".join(c.value for c in Cohort)
            reasons.append(f"cohort '{_cell(raw, 'cohort')}' is not one of: {choices}")
        team = _cell(raw, "team_code")
        _known(team, known_teams, "team", reasons)
        worker = _optional_email(_cell(raw, "allocated_worker_email"), "allocated_worker_email", reasons)
        _known(worker, known_workers, "allocated worker", reasons)
        legal = _cell(raw, "legal_status")
        if len(legal) > MAX_TEXT:
            reasons.append(f"legal_status is longer than {MAX_TEXT} characters")
        ehcp_text = _cell(raw, "ehcp").lower()
        if ehcp_text not in TRUE_WORDS | FALSE_WORDS:
            reasons.append(f"ehcp '{_cell(raw, 'ehcp')}' must be yes or no")
        closed = closing_day(_cell(raw, "closed_on"), reasons)
        if reasons or gender is None or cohort is None:
            return None
        return CaseRow(azeus, gender, age, cohort, team, worker, legal or None, ehcp_text in TRUE_WORDS, closed)

    return _parse_rows(text, "cases", CASE_REQUIRED, CASE_COLUMNS, lambda c: c.azeus_number, row)


def plan_upsert(incoming: Mapping[K, T], existing: Mapping[K, T]) -> UpsertPlan[K, T]:
    """What an import changes: new rows, changed rows, how many are already as given,
    and which existing keys the file does not mention (reported, never deleted)."""
    new = [row for key, row in incoming.items() if key not in existing]
    changed = [row for key, row in incoming.items() if key in existing and existing[key] != row]
    unchanged = len(incoming) - len(new) - len(changed)
    missing = [key for key in existing if key not in incoming]
    return UpsertPlan(new, changed, unchanged, missing)


#: the fields a file may leave out (each named as its column): left out, the stored value stays
OPTIONAL: dict[type, tuple[str, ...]] = {
    TeamRow: ("practice_lead_email", "service_manager_email", "head_of_service_email"),
    PersonRow: ("team_code",),
    CaseRow: ("gender", "allocated_worker_email", "legal_status", "ehcp", "closed_on"),
}
#: the field that names a row to people (its key, as the file spells it)
FIRST_FIELD: dict[type, str] = {TeamRow: "code", PersonRow: "email", CaseRow: "azeus_number"}
#: of those, the ones an empty cell clears (an import says so and asks first)
CLEARABLE: dict[type, tuple[str, ...]] = {
    TeamRow: OPTIONAL[TeamRow],
    PersonRow: ("team_code",),
    CaseRow: ("allocated_worker_email", "legal_status"),
}


@dataclass(frozen=True)
class Cleared:
    line: int
    key: str
    column: str
    was: str

    def problem(self, what: str) -> Problem:
        return Problem(f"line {self.line}", f"{what} {self.key}: the empty {self.column} would clear '{self.was}'")


def keep_absent_columns(
    rows: list[tuple[int, T]], existing: Mapping[str, T], columns: frozenset[str], key: Callable[[T], str]
) -> list[tuple[int, T]]:
    """Each row as the file gives it, except that a column the file does not have keeps the stored value
    (re-importing teams without the leader columns leaves every team's leaders as they are)."""
    kept: list[tuple[int, T]] = []
    for line, row in rows:
        stored = existing.get(key(row))
        absent = [f for f in OPTIONAL[type(row)] if f not in columns]
        if stored is not None and absent:
            row = replace(row, **{f: getattr(stored, f) for f in absent})  # type: ignore[type-var]
        kept.append((line, row))
    return kept


def cleared_fields(
    rows: list[tuple[int, T]], existing: Mapping[str, T], columns: frozenset[str], key: Callable[[T], str]
) -> list[Cleared]:
    """The stored values an empty cell would clear, each with its line: an import names them and asks."""
    found: list[Cleared] = []
    for line, row in rows:
        stored = existing.get(key(row))
        if stored is None:
            continue
        for column in CLEARABLE[type(row)]:
            was = getattr(stored, column)
            if column in columns and was and getattr(row, column) is None:
                found.append(Cleared(line, str(getattr(row, FIRST_FIELD[type(row)])), column, str(was)))
    return found
