from __future__ import annotations

from collections import Counter

from plf_core.demo_borough import build_demo_borough
from plf_core.vocabulary import Cohort, Role


def test_the_same_seed_gives_the_same_borough_and_another_seed_another() -> None:
    assert build_demo_borough(seed=7) == build_demo_borough(seed=7)
    assert build_demo_borough(seed=7).cases != build_demo_borough(seed=8).cases


def test_the_borough_has_the_promised_shape() -> None:
    borough = build_demo_borough()
    assert len({t.service_area_code for t in borough.teams}) == 4
    assert len(borough.teams) == 16
    assert len(borough.people) == 200
    assert len(borough.cases) == 3000
    roles = Counter(role for person in borough.people for role in person.roles)
    assert set(roles) == set(Role)
    assert {case.cohort for case in borough.cases} == set(Cohort)


def test_every_team_has_its_three_leaders_and_every_case_a_worker_of_its_team() -> None:
    borough = build_demo_borough()
    people = {p.email: p for p in borough.people}
    for team in borough.teams:
        assert Role.PRACTICE_LEAD in people[team.practice_lead_email or ""].roles
        assert Role.SERVICE_MANAGER in people[team.service_manager_email or ""].roles
        assert Role.HEAD_OF_SERVICE in people[team.head_of_service_email or ""].roles
    for case in borough.cases:
        assert people[case.allocated_worker_email or ""].team_code == case.team_code


def test_the_data_is_obviously_synthetic() -> None:
    borough = build_demo_borough()
    assert all(c.azeus_number.startswith("DEMO-9") for c in borough.cases)
    assert all(p.email.endswith("@demo-borough.invalid") for p in borough.people)
    assert len({p.aad_object_id for p in borough.people}) == 200
    assert len({p.email for p in borough.people}) == 200


def test_no_two_people_share_a_name() -> None:
    """A name typed in `assign` finds one person in the demo (a duplicate would need a choice)."""
    names = [p.display_name for p in build_demo_borough().people]
    assert len(set(names)) == len(names) == 200
