"""The layered audit: which returned audits are moderated by whom, and how far moderators disagree.

Selection (lines 473, 765-767, 1341-1343), all shares configurable:
- each Head of Service moderates at least `hos_share` of their service area's returned audits
  and every Red one;
- QA Practice Learning Reviewers moderate `plr_share` of the month's returns;
- the AD QA and lead reviewers (QA managers) moderate `ad_qa_per_cycle` cases a cycle.
No one moderates an audit they took part in.

Statistics: exact agreement, within one grade, moved up and moved down, the auditor × moderator
grid, linear-weighted Cohen's kappa and Gwet's AC2, each with a 95% confidence interval. Both
coefficients come from irrCAC (Gwet's methods, ported from his R package); kappa alone misleads
when one grade dominates, which is why AC2 sits beside it.
"""

from __future__ import annotations

import math
import random
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from plf_core.vocabulary import Grade

GRADES: tuple[Grade, ...] = (Grade.RED, Grade.AMBER, Grade.GREEN, Grade.BLUE)  # ordinal, worst first
SMALL_NUMBER = 5  # fewer moderated audits than this: the figures are shown as small numbers


class Stream:
    HEAD_OF_SERVICE = "head_of_service"
    PRACTICE_LEARNING_REVIEWER = "practice_learning_reviewer"
    AD_QA = "ad_qa"


@dataclass(frozen=True)
class Rules:
    hos_share: float = 0.20
    plr_share: float = 0.20
    ad_qa_per_cycle: int = 12
    within_days: int = 28  # a moderator's deadline (framework 'moderate_within_days')


@dataclass(frozen=True)
class Returned:
    """A returned (submitted) audit, as moderation selection sees it."""

    audit_id: int
    grade: Grade | None
    service_area_id: int | None
    head_of_service_id: int | None
    participants: frozenset[int]
    case_ref: str = ""
    team: str = ""


@dataclass(frozen=True)
class Request:
    audit_id: int
    moderator_id: int
    stream: str


@dataclass(frozen=True)
class Selection:
    requests: tuple[Request, ...]
    #: what could not be honoured, in words (a Head of Service who took part in a Red audit, ...)
    problems: tuple[str, ...] = ()

    def by_stream(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for r in self.requests:
            counts[r.stream] += 1
        return dict(counts)


def select(
    returned: Sequence[Returned],
    rules: Rules,
    reviewers: Sequence[int],
    ad_qa: Sequence[int],
    seed: int,
    *,
    include_ad_qa: bool = True,
    already: Sequence[Request] = (),
) -> Selection:
    """Moderation requests for a month's returns. `already`: the requests made for these audits
    before; they count towards each share, so running the choice again adds only what is
    missing. Reproducible for the same inputs and seed."""
    rng = random.Random(seed)
    done: dict[int, frozenset[int]] = {}
    for r in already:
        done[r.audit_id] = done.get(r.audit_id, frozenset()) | {r.moderator_id}
    ordered = sorted(returned, key=lambda r: r.audit_id)
    requests: list[Request] = []
    problems: list[str] = []
    taken: set[int] = {r.audit_id for r in already}

    def add(audit: Returned, moderator: int, stream: str) -> None:
        requests.append(Request(audit.audit_id, moderator, stream))
        done[audit.audit_id] = done.get(audit.audit_id, frozenset()) | {moderator}
        taken.add(audit.audit_id)

    _heads_of_service(ordered, rules, already, rng, done, add, problems)
    # Practice Learning Reviewers: a share of all returns, spread across reviewers in turn.
    plr_asked = sum(1 for r in already if r.stream == Stream.PRACTICE_LEARNING_REVIEWER)
    _spread(
        ordered,
        math.ceil(len(ordered) * rules.plr_share) - plr_asked,
        reviewers,
        Stream.PRACTICE_LEARNING_REVIEWER,
        rng,
        taken,
        done,
        add,
        problems,
    )
    if include_ad_qa:
        _spread(ordered, rules.ad_qa_per_cycle, ad_qa, Stream.AD_QA, rng, taken, done, add, problems)
    return Selection(tuple(requests), tuple(problems))


def _heads_of_service(
    ordered: Sequence[Returned],
    rules: Rules,
    already: Sequence[Request],
    rng: random.Random,
    done: Mapping[int, frozenset[int]],
    add: Callable[[Returned, int, str], None],
    problems: list[str],
) -> None:
    """Heads of Service moderate every Red audit of their service area, then at random up to their share."""
    by_hos: dict[int, list[Returned]] = defaultdict(list)
    for audit in ordered:
        if audit.head_of_service_id is None:
            problems.append(f"audit {audit.audit_id} has no Head of Service to moderate it")
            continue
        by_hos[audit.head_of_service_id].append(audit)
    for hos in sorted(by_hos):
        theirs = [a for a in by_hos[hos] if hos not in a.participants]
        for audit in by_hos[hos]:
            if hos in audit.participants:
                problems.append(f"audit {audit.audit_id}: its Head of Service took part in it, so cannot moderate it")
        wanted = math.ceil(len(by_hos[hos]) * rules.hos_share)
        asked = {r.audit_id for r in already if r.moderator_id == hos and r.stream == Stream.HEAD_OF_SERVICE}
        fresh = [a for a in theirs if a.audit_id not in asked]
        reds = [a for a in fresh if a.grade is Grade.RED]
        others = [a for a in fresh if a.grade is not Grade.RED]
        more = max(0, min(len(others), wanted - len(asked) - len(reds)))
        for audit in reds + rng.sample(others, more):
            if hos not in done.get(audit.audit_id, frozenset()):
                add(audit, hos, Stream.HEAD_OF_SERVICE)


def _spread(
    ordered: Sequence[Returned],
    wanted: int,
    moderators: Sequence[int],
    stream: str,
    rng: random.Random,
    taken: set[int],
    done: Mapping[int, frozenset[int]],
    add: Callable[[Returned, int, str], None],
    problems: list[str],
) -> None:
    if wanted <= 0:
        return
    if not moderators:
        problems.append(f"nobody holds the role for the {stream.replace('_', ' ')} moderations")
        return
    pool = [a for a in ordered if a.audit_id not in taken]
    chosen = rng.sample(pool, min(wanted, len(pool)))
    turn = 0
    people = sorted(moderators)
    for audit in chosen:
        for offset in range(len(people)):
            moderator = people[(turn + offset) % len(people)]
            if moderator not in audit.participants and moderator not in done.get(audit.audit_id, frozenset()):
                add(audit, moderator, stream)
                turn += offset + 1
                break
        else:
            problems.append(f"audit {audit.audit_id}: every {stream.replace('_', ' ')} took part in it")


# --- statistics -------------------------------------------------------------------------


@dataclass(frozen=True)
class Coefficient:
    value: float
    low: float
    high: float


@dataclass(frozen=True)
class Agreement:
    n: int
    exact_pct: float
    within_one_pct: float
    moved_up_pct: float
    moved_down_pct: float
    kappa: Coefficient | None  # linear-weighted Cohen's kappa; None where it is undefined
    ac2: Coefficient | None  # Gwet's AC2, linear weights
    #: grid[i][j]: audits the auditor graded GRADES[i] and the moderator GRADES[j]
    grid: tuple[tuple[int, ...], ...] = field(default_factory=tuple)

    @property
    def small(self) -> bool:
        return self.n < SMALL_NUMBER


_RANK = {g: i for i, g in enumerate(GRADES)}


def agreement(pairs: Iterable[tuple[Grade, Grade]]) -> Agreement:
    """(auditor's grade, moderator's grade) pairs to the layered-audit figures."""
    grid = [[0] * len(GRADES) for _ in GRADES]
    for auditor, moderator in pairs:
        grid[_RANK[auditor]][_RANK[moderator]] += 1
    return agreement_from_table(grid)


def agreement_from_table(table: Sequence[Sequence[int]]) -> Agreement:
    """The figures for a q × q table of counts (rows: first rater; columns: second rater), its
    categories in order. Moved up: the second rater gave a better (later) category."""
    q = len(table)
    n = sum(sum(row) for row in table)
    grid = tuple(tuple(int(c) for c in row) for row in table)
    if n == 0:
        return Agreement(0, 0.0, 0.0, 0.0, 0.0, None, None, grid)

    def share(test: Callable[[int, int], bool]) -> float:
        return 100.0 * sum(grid[i][j] for i in range(q) for j in range(q) if test(i, j)) / n

    kappa, ac2 = _coefficients(grid)
    return Agreement(
        n=n,
        exact_pct=share(lambda i, j: i == j),
        within_one_pct=share(lambda i, j: abs(i - j) <= 1),
        moved_up_pct=share(lambda i, j: j > i),
        moved_down_pct=share(lambda i, j: j < i),
        kappa=kappa,
        ac2=ac2,
        grid=grid,
    )


def _coefficients(grid: tuple[tuple[int, ...], ...]) -> tuple[Coefficient | None, Coefficient | None]:
    import numpy as np
    import pandas as pd
    from irrCAC.table import CAC

    labels = list(range(1, len(grid) + 1))
    table = pd.DataFrame(grid, index=labels, columns=labels)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # a degenerate table (one grade only) divides by zero
        cac = CAC(table, weights="linear", digits=6)
        return _coefficient(cac.cohen()["est"]), _coefficient(cac.gwet()["est"])


def _coefficient(est: Mapping[str, Any]) -> Coefficient | None:
    def number(value: Any) -> float:
        return float(value[0]) if hasattr(value, "__len__") else float(value)

    value = number(est["coefficient_value"])
    low, high = (number(v) for v in est["confidence_interval"])
    if not all(math.isfinite(v) for v in (value, low, high)):
        return None
    return Coefficient(value, max(-1.0, low), min(1.0, high))


@dataclass(frozen=True)
class Moderated:
    """One completed moderation, with what the figures are broken down by."""

    auditor_grade: Grade
    moderator_grade: Grade
    service_area: str
    cohort: str
    team: str
    auditor: str


DIMENSIONS: dict[str, Callable[[Moderated], str]] = {
    "service area": lambda m: m.service_area,
    "cohort": lambda m: m.cohort,
    "team": lambda m: m.team,
    "auditor": lambda m: m.auditor,
}


def agreement_by(rows: Sequence[Moderated], dimension: str) -> dict[str, Agreement]:
    """The figures per service area, cohort, team or auditor, in name order."""
    key = DIMENSIONS[dimension]
    grids: dict[str, list[list[int]]] = {}
    for row in rows:
        name = key(row)
        grid = grids.get(name)
        if grid is None:
            grid = grids[name] = [[0] * len(GRADES) for _ in GRADES]
        grid[_RANK[row.auditor_grade]][_RANK[row.moderator_grade]] += 1
    return {name: agreement_from_table(grids[name]) for name in sorted(grids)}
