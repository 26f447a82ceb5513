"""The sampling engine: reproducible, criteria respected, methods behave as documented."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from datetime import date

import pytest

from plf_core import periods
from plf_core.errors import ValidationFailed
from plf_core.sampling import (
    CaseFacts,
    Criteria,
    Method,
    SampleTooSmall,
    check_names,
    draw,
    selection_fingerprint,
)

TODAY = date(2026, 11, 26)
TEAMS = ["T1", "T2", "T3", "T4"]
COHORTS = ["cin", "cp", "cla", "care_leaver"]


def population(n: int = 400) -> list[CaseFacts]:
    cases = []
    for i in range(n):
        team = i % 4 if i % 10 else 0  # team T1 is larger than the others
        cases.append(
            CaseFacts(
                case_id=i + 1,
                azeus_number=f"AZ{i + 1:06d}",
                team_code=TEAMS[team],
                service_area="North" if team < 2 else "South",
                cohort=COHORTS[(i // 3) % 4],
                age=i % 18,
                legal_status="s20" if i % 5 == 0 else None,
                ehcp=i % 7 == 0,
                allocated_worker_id=1000 + team * 10 + (i % 5),  # five workers a team
                practice_lead_id=900 + team,
                last_audited_on=date(2026, 9, 1) if i % 6 == 0 else None,
            )
        )
    return cases


def test_the_same_seed_gives_the_same_selection_and_another_seed_another() -> None:
    cases = population()
    for method in Method:
        size = 3 if method is Method.QUOTA else 20
        first = draw(cases, Criteria(), method, size, 42, TODAY)
        again = draw(list(reversed(cases)), Criteria(), method, size, 42, TODAY)  # order of rows does not matter
        assert first.picks == again.picks, method
        assert selection_fingerprint(first) == selection_fingerprint(again)
        other = draw(cases, Criteria(), method, size, 43, TODAY)
        assert other.picks != first.picks, method


def test_random_draw_respects_every_criterion() -> None:
    criteria = Criteria(
        cohorts=frozenset({"cp", "cla"}), service_areas=frozenset({"north"}), min_age=5, max_age=12, ehcp=False
    )
    result = draw(population(), criteria, Method.RANDOM, 15, 7, TODAY)
    by_id = {c.case_id: c for c in population()}
    assert len(set(result.case_ids)) == 15
    for case_id in result.case_ids:
        case = by_id[case_id]
        assert case.cohort in {"cp", "cla"}
        assert case.service_area == "North"
        assert 5 <= case.age <= 12
        assert not case.ehcp
    assert result.population_size == sum(1 for c in population() if criteria.matches(c, TODAY))


def test_not_audited_in_the_last_n_months_excludes_recent_audits() -> None:
    criteria = Criteria(not_audited_months=6)
    result = draw(population(), criteria, Method.RANDOM, 300, 1, TODAY)
    by_id = {c.case_id: c for c in population()}
    assert all(by_id[i].last_audited_on is None for i in result.case_ids)  # 2026-09-01 is within 6 months
    assert draw(population(), Criteria(not_audited_months=2), Method.RANDOM, 390, 1, TODAY).population_size == 400
    assert periods.months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)


def test_systematic_takes_every_kth_case_from_a_random_start() -> None:
    cases = population(100)
    result = draw(cases, Criteria(), Method.SYSTEMATIC, 10, 5, TODAY)
    ids = sorted(result.case_ids)
    gaps = {b - a for a, b in itertools.pairwise(ids)}
    assert gaps == {10}  # step 100/10 on the population ordered by case id
    assert 1 <= ids[0] <= 10


def test_stratified_by_team_allocates_in_proportion() -> None:
    cases = population()
    result = draw(cases, Criteria(), Method.BY_TEAM, 40, 3, TODAY)
    share = Counter(c.team_code for c in cases)
    chosen = Counter(next(c.team_code for c in cases if c.case_id == i) for i in result.case_ids)
    assert sum(chosen.values()) == 40
    for team, count in chosen.items():
        assert abs(count - 40 * share[team] / len(cases)) < 1  # largest-remainder rounding
    assert dict(chosen) == dict(result.strata)


def test_stratified_by_cohort_covers_every_cohort() -> None:
    result = draw(population(), Criteria(), Method.BY_COHORT, 8, 11, TODAY)
    assert set(result.strata) == set(COHORTS)
    assert sum(result.strata.values()) == 8


def test_quota_gives_each_practice_lead_three_cases_from_their_workers_own_caseloads() -> None:
    cases = population()
    result = draw(cases, Criteria(), Method.QUOTA, 3, 9, TODAY)
    by_id = {c.case_id: c for c in cases}
    per_lead = Counter(p.practice_lead_id for p in result.picks)
    assert per_lead == {900: 3, 901: 3, 902: 3, 903: 3}
    for pick in result.picks:
        assert by_id[pick.case_id].allocated_worker_id == pick.worker_id  # the worker's own case
    for lead in per_lead:
        workers = [p.worker_id for p in result.picks if p.practice_lead_id == lead]
        assert len(set(workers)) == 3  # three different social workers
    assert not result.shortfalls


def test_quota_reports_a_team_with_too_few_cases() -> None:
    cases = [c for c in population() if c.team_code != "T2" or c.case_id in (2, 6)]
    result = draw(cases, Criteria(), Method.QUOTA, 3, 9, TODAY)
    assert result.shortfalls == ("team T2: only 2 of 3 cases",)


def test_a_quarter_of_a_dip_sample_is_also_selected_for_review() -> None:
    result = draw(population(), Criteria(), Method.RANDOM, 21, 4, TODAY, review_share=0.25)
    assert sum(p.for_review for p in result.picks) == math.ceil(21 * 0.25)


def test_too_few_or_no_matching_cases_are_reported_with_the_numbers() -> None:
    with pytest.raises(SampleTooSmall, match=r"only 100 cases match cohort cp, fewer than the 150 asked for"):
        draw(population(), Criteria(cohorts=frozenset({"cp"})), Method.RANDOM, 150, 1, TODAY)
    with pytest.raises(SampleTooSmall, match=r"no case matches aged 30-40 \(out of 400 cases\)"):
        draw(population(), Criteria(min_age=30, max_age=40), Method.RANDOM, 1, 1, TODAY)


def test_unknown_names_are_named_with_close_matches() -> None:
    with pytest.raises(ValidationFailed, match=r"there is no team 'T5'; did you mean T4 or T3 or T2\?"):
        check_names(Criteria(teams=frozenset({"T5"})), TEAMS, ["North"])
    with pytest.raises(ValidationFailed, match=r"there is no cohort 'cpp'; did you mean cp"):
        check_names(Criteria(cohorts=frozenset({"cpp"})), TEAMS, ["North"])
    check_names(Criteria(teams=frozenset({"t1"}), service_areas=frozenset({"north"})), TEAMS, ["North"])


def test_criteria_round_trip_through_json_and_refuse_nonsense() -> None:
    criteria = Criteria(cohorts=frozenset({"cp"}), min_age=3, ehcp=True, not_audited_months=6)
    assert Criteria.from_json(criteria.as_json()) == criteria
    with pytest.raises(ValidationFailed, match="min_age"):
        Criteria.from_json({"min_age": "three"})
