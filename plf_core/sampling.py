"""Who gets audited: seeded, reproducible draws of cases (sections 11, 15 and 16 of the framework).

Pure: the caller hands in the population (every case, with what sampling needs to know) and
gets back a `Draw`. The same population, criteria, method, size and seed always give the same
selection, so a draw can be shown to an inspector and re-run. Methods: simple random,
systematic (every k-th from a random start) and stratified by team or cohort (a cross-section
of children and teams, line 471). A Practice Lead's quota (3 a quarter, line 483) picks a case
at random from each chosen social worker's own caseload (line 445).
"""

from __future__ import annotations

import difflib
import hashlib
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property

from plf_core import periods
from plf_core.errors import ValidationFailed
from plf_core.vocabulary import Cohort


class Method(StrEnum):
    RANDOM = "random"
    SYSTEMATIC = "systematic"
    BY_TEAM = "by_team"
    BY_COHORT = "by_cohort"
    QUOTA = "quota"  # framework 'audits_per_practice_lead' per Practice Lead, one case per chosen worker


@dataclass(frozen=True)
class CaseFacts:
    """What sampling knows about a case: never a name."""

    case_id: int
    azeus_number: str
    team_code: str
    service_area: str
    cohort: str
    age: int
    legal_status: str | None
    ehcp: bool
    allocated_worker_id: int | None
    practice_lead_id: int | None
    last_audited_on: date | None = None


@dataclass(frozen=True)
class Criteria:
    """Filters from a dip sample's Terms of Reference; an empty filter lets everything through."""

    cohorts: frozenset[str] = frozenset()
    teams: frozenset[str] = frozenset()
    service_areas: frozenset[str] = frozenset()
    legal_statuses: frozenset[str] = frozenset()
    min_age: int | None = None
    max_age: int | None = None
    ehcp: bool | None = None
    not_audited_months: int | None = None

    @cached_property
    def _lowered(self) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        return (
            frozenset(t.lower() for t in self.teams),
            frozenset(a.lower() for a in self.service_areas),
            frozenset(s.lower() for s in self.legal_statuses),
        )

    def matches(self, case: CaseFacts, today: date) -> bool:
        teams, areas, statuses = self._lowered
        if self.cohorts and case.cohort not in self.cohorts:
            return False
        if teams and case.team_code.lower() not in teams:
            return False
        if areas and case.service_area.lower() not in areas:
            return False
        if statuses and (case.legal_status or "").lower() not in statuses:
            return False
        if self.min_age is not None and case.age < self.min_age:
            return False
        if self.max_age is not None and case.age > self.max_age:
            return False
        if self.ehcp is not None and case.ehcp is not self.ehcp:
            return False
        if self.not_audited_months is not None and case.last_audited_on is not None:
            return case.last_audited_on < periods.months_before(today, self.not_audited_months)
        return True

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for name in ("cohorts", "teams", "service_areas", "legal_statuses"):
            values = getattr(self, name)
            if values:
                out[name] = sorted(values)
        for name in ("min_age", "max_age", "ehcp", "not_audited_months"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Criteria:
        def strings(name: str) -> frozenset[str]:
            value = data.get(name) or []
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValidationFailed(f"criteria '{name}' must be a list of names")
            return frozenset(value)

        def number(name: str) -> int | None:
            value = data.get(name)
            if value is None:
                return None
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValidationFailed(f"criteria '{name}' must be a whole number")
            return value

        ehcp = data.get("ehcp")
        if ehcp is not None and not isinstance(ehcp, bool):
            raise ValidationFailed("criteria 'ehcp' must be yes or no")
        return cls(
            cohorts=strings("cohorts"),
            teams=strings("teams"),
            service_areas=strings("service_areas"),
            legal_statuses=strings("legal_statuses"),
            min_age=number("min_age"),
            max_age=number("max_age"),
            ehcp=ehcp,
            not_audited_months=number("not_audited_months"),
        )

    def describe(self) -> str:
        parts = []
        if self.cohorts:
            parts.append("cohort " + ", ".join(sorted(self.cohorts)))
        if self.teams:
            parts.append("team " + ", ".join(sorted(self.teams)))
        if self.service_areas:
            parts.append("service area " + ", ".join(sorted(self.service_areas)))
        if self.legal_statuses:
            parts.append("legal status " + ", ".join(sorted(self.legal_statuses)))
        if self.min_age is not None or self.max_age is not None:
            parts.append(f"aged {self.min_age or 0}-{self.max_age if self.max_age is not None else 25}")
        if self.ehcp is not None:
            parts.append("with an EHCP" if self.ehcp else "without an EHCP")
        if self.not_audited_months is not None:
            parts.append(f"not audited in the last {self.not_audited_months} months")
        return "; ".join(parts) or "all open cases"


@dataclass(frozen=True)
class Pick:
    """One selected case and, for a quota draw, the worker it goes to."""

    case_id: int
    worker_id: int | None = None
    practice_lead_id: int | None = None
    for_review: bool = False  # also selected for Practice Learning Review (line 515)


@dataclass(frozen=True)
class Draw:
    method: Method
    criteria: Criteria
    seed: int
    size: int
    population_size: int
    picks: tuple[Pick, ...]
    #: per team or cohort (stratified) or per Practice Lead (quota): how many each gave
    strata: Mapping[str, int] = field(default_factory=dict)
    shortfalls: tuple[str, ...] = ()

    @property
    def case_ids(self) -> tuple[int, ...]:
        return tuple(p.case_id for p in self.picks)

    def as_json(self) -> list[dict[str, object]]:
        return [
            {"case": p.case_id, "worker": p.worker_id, "lead": p.practice_lead_id, "review": p.for_review}
            for p in self.picks
        ]


class SampleTooSmall(ValidationFailed):
    """The criteria match fewer cases than asked for: nothing is created."""


def check_names(criteria: Criteria, known_teams: Iterable[str], known_areas: Iterable[str]) -> None:
    """Unknown teams, service areas or cohorts are named, with the closest known names."""
    cohorts = [c.value for c in Cohort]
    for wanted, known, what in (
        (criteria.teams, list(known_teams), "team"),
        (criteria.service_areas, list(known_areas), "service area"),
        (criteria.cohorts, cohorts, "cohort"),
    ):
        lowered = {k.lower(): k for k in known}
        for name in sorted(wanted):
            if name.lower() not in lowered:
                close = difflib.get_close_matches(name.lower(), list(lowered), n=3, cutoff=0.5)
                hint = f"; did you mean {' or '.join(lowered[c] for c in close)}?" if close else ""
                raise ValidationFailed(f"there is no {what} '{name}'{hint}")


def draw(
    population: Sequence[CaseFacts],
    criteria: Criteria,
    method: Method,
    size: int,
    seed: int,
    today: date,
    *,
    review_share: float = 0.0,
) -> Draw:
    """Draw `size` cases (for QUOTA: `size` per Practice Lead) matching the criteria.

    Raises SampleTooSmall, naming the numbers, when fewer cases match than a draw needs."""
    if size < 1:
        raise ValidationFailed("a sample needs at least 1 case")
    eligible = sorted((c for c in population if criteria.matches(c, today)), key=lambda c: c.case_id)
    if not eligible:
        raise SampleTooSmall(f"no case matches {criteria.describe()} (out of {len(population):,} cases)")
    rng = random.Random(seed)
    strata: dict[str, int] = {}
    shortfalls: list[str] = []
    if method is Method.QUOTA:
        picks, strata, shortfalls = _quota(eligible, size, rng)
    else:
        if len(eligible) < size:
            raise SampleTooSmall(
                f"only {len(eligible):,} cases match {criteria.describe()}, fewer than the {size:,} asked for"
            )
        if method is Method.RANDOM:
            chosen = rng.sample(eligible, size)
        elif method is Method.SYSTEMATIC:
            step = len(eligible) / size
            start = rng.random() * step
            chosen = [eligible[int(start + i * step)] for i in range(size)]
        else:
            chosen, strata = _stratified(eligible, size, _team if method is Method.BY_TEAM else _cohort, rng)
        picks = [Pick(c.case_id, c.allocated_worker_id, c.practice_lead_id) for c in chosen]
    if review_share > 0 and picks:
        review = set(rng.sample(range(len(picks)), math.ceil(len(picks) * review_share)))
        picks = [Pick(p.case_id, p.worker_id, p.practice_lead_id, i in review) for i, p in enumerate(picks)]
    return Draw(method, criteria, seed, size, len(eligible), tuple(picks), strata, tuple(shortfalls))


def _team(case: CaseFacts) -> str:
    return case.team_code


def _cohort(case: CaseFacts) -> str:
    return case.cohort


def _stratified(
    eligible: list[CaseFacts], size: int, key: Callable[[CaseFacts], str], rng: random.Random
) -> tuple[list[CaseFacts], dict[str, int]]:
    """Proportional allocation (largest remainder), then a random sample within each stratum."""
    groups: dict[str, list[CaseFacts]] = defaultdict(list)
    for case in eligible:
        groups[key(case)].append(case)
    names = sorted(groups)
    exact = {n: size * len(groups[n]) / len(eligible) for n in names}
    counts = {n: math.floor(exact[n]) for n in names}
    for n in sorted(names, key=lambda n: (-(exact[n] - counts[n]), n))[: size - sum(counts.values())]:
        counts[n] += 1
    chosen: list[CaseFacts] = []
    for n in names:
        chosen += rng.sample(groups[n], counts[n])
    return chosen, {n: counts[n] for n in names if counts[n]}


def _quota(
    eligible: list[CaseFacts], per_lead: int, rng: random.Random
) -> tuple[list[Pick], dict[str, int], list[str]]:
    """For each Practice Lead: `per_lead` of their team's workers at random, and for each a case
    at random from that worker's own caseload. A lead with fewer workers gets a second case
    from a worker; a shortfall is reported, not hidden."""
    by_lead: dict[int, dict[int, list[CaseFacts]]] = defaultdict(lambda: defaultdict(list))
    teams: dict[int, str] = {}
    for case in eligible:
        if case.practice_lead_id is None or case.allocated_worker_id is None:
            continue
        by_lead[case.practice_lead_id][case.allocated_worker_id].append(case)
        teams[case.practice_lead_id] = case.team_code
    picks: list[Pick] = []
    strata: dict[str, int] = {}
    shortfalls: list[str] = []
    for lead in sorted(by_lead):
        workers = by_lead[lead]
        order = rng.sample(sorted(workers), len(workers))
        taken: set[int] = set()
        lead_picks: list[Pick] = []
        round_ = 0
        while len(lead_picks) < per_lead and round_ < per_lead:
            for worker in order:
                if len(lead_picks) >= per_lead:
                    break
                left = [c for c in workers[worker] if c.case_id not in taken and c.allocated_worker_id != lead]
                if left:
                    case = rng.choice(left)
                    taken.add(case.case_id)
                    lead_picks.append(Pick(case.case_id, worker, lead))
            round_ += 1
        if len(lead_picks) < per_lead:
            shortfalls.append(f"team {teams[lead]}: only {len(lead_picks)} of {per_lead} cases")
        strata[teams[lead]] = strata.get(teams[lead], 0) + len(lead_picks)
        picks += lead_picks
    if not picks:
        raise SampleTooSmall("no matching case has both an allocated worker and a Practice Lead")
    return picks, strata, shortfalls


def fingerprint(parts: Iterable[str]) -> str:
    """A short, stable digest of a selection: a confirmation must create what the preview showed."""
    return hashlib.sha256(",".join(parts).encode()).hexdigest()[:16]


def selection_fingerprint(draw_: Draw) -> str:
    return fingerprint(f"{p.case_id}:{p.worker_id}:{int(p.for_review)}" for p in draw_.picks)
