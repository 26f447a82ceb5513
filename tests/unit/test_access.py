"""Who may read and write which audit: the scopes of the audit workflow."""

from __future__ import annotations

import pytest

from plf_core.access import can_read, contributions, require_write
from plf_core.audits import AuditView, CaseRef
from plf_core.errors import NotAllowed
from plf_core.forms.model import Contributor as C
from plf_core.people import Actor
from plf_core.vocabulary import AuditStatus, Role

CASE = CaseRef(
    1,
    "DEMO-1",
    team_id=10,
    team_code="T10",
    team_name="Team 10",
    service_area_id=100,
    service_area_name="Area 100",
    gender="female",
    age=9,
)
AUDIT = AuditView(
    5,
    "practice_learning_conversation",
    CASE,
    practitioner_id=1,
    second_person_id=2,
    status=AuditStatus.IN_PROGRESS,
    version=3,
)


def actor(
    person_id: int,
    *roles: Role,
    led: set[int] = frozenset(),
    managed: set[int] = frozenset(),
    headed: set[int] = frozenset(),
) -> Actor:  # type: ignore[assignment]
    return Actor(
        person_id,
        f"aad-{person_id}",
        f"Person {person_id}",
        frozenset(roles),
        led_team_ids=frozenset(led),
        managed_area_ids=frozenset(managed),
        headed_area_ids=frozenset(headed),
    )


PRACTITIONER = actor(1, Role.PRACTITIONER)
SECOND = actor(2, Role.PRACTITIONER)
OTHER_WORKER = actor(3, Role.PRACTITIONER)
LEAD = actor(4, Role.PRACTICE_LEAD, led={10})
OTHER_LEAD = actor(5, Role.PRACTICE_LEAD, led={11})
MANAGER = actor(6, Role.SERVICE_MANAGER, managed={100})
HEAD = actor(7, Role.HEAD_OF_SERVICE, headed={100})
OTHER_HEAD = actor(8, Role.HEAD_OF_SERVICE, headed={200})
QA = actor(9, Role.PRACTICE_LEARNING_REVIEWER)
SLT = actor(10, Role.SLT)


@pytest.mark.parametrize(
    ("who", "reads", "writes"),
    [
        (PRACTITIONER, True, {C.PRACTITIONER}),
        (SECOND, True, {C.MANAGER}),
        (OTHER_WORKER, False, set()),
        (LEAD, True, {C.MANAGER}),
        (OTHER_LEAD, False, set()),
        (MANAGER, True, {C.MANAGER}),
        (HEAD, True, {C.HEAD_OF_SERVICE}),
        (OTHER_HEAD, False, set()),
        (QA, True, set()),
        (SLT, True, set()),
    ],
)
def test_each_role_reads_and_writes_its_own_scope(who: Actor, reads: bool, writes: set[C]) -> None:
    assert can_read(who, AUDIT) is reads
    assert contributions(who, AUDIT) == frozenset(writes)


def test_a_submitted_audit_is_closed_to_practitioners_and_managers_but_not_the_head_of_service() -> None:
    submitted = AuditView(**{**AUDIT.__dict__, "status": AuditStatus.SUBMITTED})
    assert contributions(PRACTITIONER, submitted) == frozenset()
    assert contributions(LEAD, submitted) == frozenset()
    assert contributions(HEAD, submitted) == frozenset({C.HEAD_OF_SERVICE})
    with pytest.raises(NotAllowed, match="has been submitted"):
        require_write(PRACTITIONER, submitted)


def test_slt_reads_but_never_writes() -> None:
    with pytest.raises(NotAllowed, match="can read audit 5 but not change it"):
        require_write(SLT, AUDIT)


def test_someone_outside_the_scope_is_told_it_is_not_theirs() -> None:
    with pytest.raises(NotAllowed, match="audit 5 is not one you can open"):
        require_write(OTHER_WORKER, AUDIT)
