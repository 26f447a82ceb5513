"""Moderation selection and the layered-audit statistics, checked against published worked examples."""

from __future__ import annotations

import math

import pytest

from plf_core.moderation import (
    Moderated,
    Returned,
    Rules,
    Stream,
    agreement,
    agreement_by,
    agreement_from_table,
    select,
)
from plf_core.vocabulary import Grade

R, A, G, B = Grade.RED, Grade.AMBER, Grade.GREEN, Grade.BLUE

# Gwet, K. L. (2014) Handbook of Inter-Rater Reliability, 4th ed.: two abstractors classify 100
# pregnant women (Ectopic / AIU / NIU). Figures as printed by Gwet's R package irrCAC
# (vignette "Weighted Chance-corrected Agreement Coefficients", kappa2.table and gwet.ac1.table).
ABSTRACTORS = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]
# Gwet (2014): two psychiatrists' diagnoses of 223 patients (Schizophrenia, Bipolar, Depression, Other).
DIAGNOSIS = [[40, 4, 4, 17], [6, 25, 2, 13], [4, 1, 21, 12], [15, 5, 9, 45]]


def test_linear_weighted_kappa_and_ac2_match_gwets_abstractors_example() -> None:
    result = agreement_from_table(ABSTRACTORS)
    assert result.kappa is not None
    assert result.ac2 is not None
    assert round(result.kappa.value, 3) == 0.843
    assert (round(result.kappa.low, 3), round(result.kappa.high, 3)) == (0.748, 0.938)
    assert round(result.ac2.value, 3) == 0.900
    assert (round(result.ac2.low, 3), round(result.ac2.high, 3)) == (0.842, 0.958)
    assert result.exact_pct == 89.0  # (13 + 20 + 56) / 100


def test_linear_weighted_kappa_and_ac2_match_gwets_diagnosis_example() -> None:
    result = agreement_from_table(DIAGNOSIS)
    assert result.kappa is not None
    assert result.ac2 is not None
    assert round(result.kappa.value, 3) == 0.407
    assert (round(result.kappa.low, 3), round(result.kappa.high, 3)) == (0.302, 0.512)
    assert round(result.ac2.value, 3) == 0.377
    assert (round(result.ac2.low, 3), round(result.ac2.high, 3)) == (0.267, 0.488)
    assert result.n == 223


def test_kappa_matches_cohens_textbook_two_by_two_example() -> None:
    # The grant-proposal example in the Wikipedia article "Cohen's kappa": 50 proposals, two
    # readers; p_o = 0.7, p_e = 0.5, kappa = 0.4 (with two categories linear weights change nothing).
    result = agreement_from_table([[20, 5], [10, 15]])
    assert result.kappa is not None
    assert math.isclose(result.kappa.value, 0.4, abs_tol=1e-9)


def test_percentages_and_grid_from_grade_pairs_computed_by_hand() -> None:
    pairs = [(R, R), (A, A), (A, G), (G, G), (G, G), (G, A), (G, R), (B, G), (B, B), (A, B)]
    result = agreement(pairs)
    assert result.n == 10
    assert result.exact_pct == 50.0  # R-R, A-A, G-G twice, B-B
    assert result.within_one_pct == 80.0  # all but G->R and A->B
    assert result.moved_up_pct == 20.0  # A->G, A->B
    assert result.moved_down_pct == 30.0  # G->A, G->R, B->G
    assert result.grid == ((1, 0, 0, 0), (0, 1, 1, 1), (1, 1, 2, 0), (0, 0, 1, 1))


def test_one_grade_only_gives_no_kappa_rather_than_an_error() -> None:
    result = agreement([(G, G)] * 6)
    assert result.exact_pct == 100.0
    assert result.kappa is None  # chance agreement is 1: kappa is undefined
    assert result.small is False
    assert agreement([(G, G)] * 2).small is True
    assert agreement([]).n == 0


def test_breakdown_by_team_and_auditor() -> None:
    rows = [
        Moderated(G, G, "North", "cp", "T1", "pat"),
        Moderated(G, A, "North", "cp", "T1", "pat"),
        Moderated(R, R, "South", "cla", "T2", "sam"),
    ]
    by_team = agreement_by(rows, "team")
    assert list(by_team) == ["T1", "T2"]
    assert by_team["T1"].exact_pct == 50.0
    assert by_team["T1"].moved_down_pct == 50.0
    assert agreement_by(rows, "auditor")["sam"].n == 1


def returns(n: int, reds: set[int], hos_for: dict[int, int] | None = None) -> list[Returned]:
    return [
        Returned(
            audit_id=i,
            grade=R if i in reds else G,
            service_area_id=1 + i % 2,
            head_of_service_id=(hos_for or {}).get(i, 500 + i % 2),
            participants=frozenset({100 + i, 200 + i % 4}),
        )
        for i in range(1, n + 1)
    ]


def test_every_red_audit_and_a_fifth_of_the_rest_go_to_their_head_of_service() -> None:
    audits = returns(40, reds={3, 4, 5, 7})
    result = select(audits, Rules(), reviewers=[900, 901], ad_qa=[950], seed=1)
    hos = [r for r in result.requests if r.stream == Stream.HEAD_OF_SERVICE]
    assert {r.audit_id for r in hos} >= {3, 4, 5, 7}
    for head in (500, 501):
        area = [a for a in audits if a.head_of_service_id == head]
        mine = [r for r in hos if r.moderator_id == head]
        assert len(mine) >= math.ceil(0.2 * len(area))
        assert all(next(a for a in audits if a.audit_id == r.audit_id).head_of_service_id == head for r in mine)


def test_reviewers_get_a_fifth_of_the_returns_and_the_ad_qa_twelve() -> None:
    result = select(returns(60, set()), Rules(), reviewers=[900, 901], ad_qa=[950, 951], seed=2)
    counts = result.by_stream()
    assert counts[Stream.PRACTICE_LEARNING_REVIEWER] == 12
    assert counts[Stream.AD_QA] == 12
    per_reviewer = {m: sum(1 for r in result.requests if r.moderator_id == m) for m in (900, 901)}
    assert per_reviewer == {900: 6, 901: 6}


def test_nobody_moderates_an_audit_they_took_part_in() -> None:
    audits = returns(30, reds={2}, hos_for={2: 102})  # audit 2's practitioner is its own Head of Service
    result = select(audits, Rules(plr_share=1.0), reviewers=[200, 201, 202, 203], ad_qa=[], seed=3)
    for request in result.requests:
        audit = next(a for a in audits if a.audit_id == request.audit_id)
        assert request.moderator_id not in audit.participants
    assert any("audit 2: its Head of Service took part" in p for p in result.problems)
    assert any("nobody holds the role for the ad qa" in p for p in result.problems)


def test_selection_is_reproducible_and_does_not_ask_twice() -> None:
    audits = returns(50, reds={1})
    first = select(audits, Rules(), reviewers=[900], ad_qa=[950], seed=7)
    assert select(audits, Rules(), reviewers=[900], ad_qa=[950], seed=7) == first
    # the AD QA's cases are counted per cycle by the caller, which passes what is left of them
    spent = Rules(ad_qa_per_cycle=0)
    again = select(audits, spent, reviewers=[900], ad_qa=[950], seed=7, already=first.requests)
    assert again.requests == ()  # every share is already met: a second run asks nobody
    half = first.requests[: len(first.requests) // 2]
    topped_up = select(audits, spent, reviewers=[900], ad_qa=[950], seed=8, already=half)
    assert not {(r.audit_id, r.moderator_id) for r in topped_up.requests} & {(r.audit_id, r.moderator_id) for r in half}
    for stream in (Stream.HEAD_OF_SERVICE, Stream.PRACTICE_LEARNING_REVIEWER):
        before = sum(1 for r in half if r.stream == stream) + topped_up.by_stream().get(stream, 0)
        assert before == first.by_stream()[stream]


@pytest.mark.parametrize("share", [0.0, 0.5])
def test_shares_are_configurable(share: float) -> None:
    result = select(returns(20, set()), Rules(hos_share=share, plr_share=0, ad_qa_per_cycle=0), [900], [950], 1)
    assert len(result.requests) == math.ceil(10 * share) * 2
