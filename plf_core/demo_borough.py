"""A deterministic synthetic borough for demos and tests.

Everything here is invented: staff names are obviously fictional, emails end in `.invalid`,
case ids are in the `DEMO-9xxxxx` range, and no child has a name (the product stores none).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass

from plf_core.directory_import import CaseRow, PersonRow, TeamRow
from plf_core.vocabulary import Cohort, Gender, Role

FIRST_NAMES = (
    "Alder",
    "Bramble",
    "Cedar",
    "Dune",
    "Ember",
    "Fern",
    "Gale",
    "Hazel",
    "Indigo",
    "Juniper",
    "Kestrel",
    "Linden",
    "Maple",
    "Nimbus",
    "Onyx",
    "Pebble",
    "Quill",
    "Rowan",
    "Sorrel",
    "Thistle",
    "Umber",
    "Vale",
    "Willow",
    "Yarrow",
    "Zephyr",
)
SURNAMES = (
    "Demoford",
    "Samplewell",
    "Testbury",
    "Mockridge",
    "Fictionby",
    "Placeholme",
    "Stubworth",
    "Dummyfield",
    "Examplegate",
    "Pretendham",
    "Notrealton",
    "Synthbrook",
)

#: Four service areas, each with the cohorts its teams hold and four teams.
SERVICE_AREAS: tuple[tuple[str, str, tuple[Cohort, ...]], ...] = (
    ("FDA", "Front Door & Assessment (demo)", (Cohort.ASSESSMENT, Cohort.EARLY_HELP)),
    (
        "CNP",
        "Children in Need & Protection (demo)",
        (Cohort.CHILD_IN_NEED, Cohort.CHILD_PROTECTION),
    ),
    ("CLA", "Children Looked After (demo)", (Cohort.CHILD_LOOKED_AFTER,)),
    ("LCS", "Leaving Care Service (demo)", (Cohort.CARE_LEAVER, Cohort.CHILD_LOOKED_AFTER)),
)
TEAM_PLACES = ("North", "South", "East", "West")
LEGAL_STATUS: dict[Cohort, tuple[str, ...]] = {
    Cohort.ASSESSMENT: ("Section 17 assessment", "Section 47 enquiry"),
    Cohort.EARLY_HELP: ("Early Help plan",),
    Cohort.CHILD_IN_NEED: ("Child in Need plan",),
    Cohort.CHILD_PROTECTION: ("Child Protection plan",),
    Cohort.CHILD_LOOKED_AFTER: (
        "Section 20",
        "Care Order",
        "Interim Care Order",
        "Placement Order",
    ),
    Cohort.CARE_LEAVER: ("Relevant", "Former relevant", "Qualifying"),
}
AGES: dict[Cohort, tuple[int, int]] = {
    Cohort.CARE_LEAVER: (16, 25),
}
#: How many staff hold each central role (the rest of the 200 are practitioners).
CENTRAL_STAFF: tuple[tuple[Role, int], ...] = (
    (Role.PRACTICE_LEARNING_REVIEWER, 6),
    (Role.QA_MANAGER, 2),
    (Role.SLT, 5),
    (Role.DIRECTOR_OF_OPERATIONS, 1),
    (Role.DATA_AND_IMPACT, 2),
)
CASE_ID_START = 900001


@dataclass(frozen=True)
class DemoBorough:
    teams: list[TeamRow]
    people: list[PersonRow]
    cases: list[CaseRow]


class _Staff:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self.people: list[PersonRow] = []

    def hire(self, roles: set[Role], team_code: str | None) -> PersonRow:
        n = len(self.people) + 1
        first = FIRST_NAMES[n % len(FIRST_NAMES)]  # one name per person for the first 300 (25 x 12)
        last = SURNAMES[(n // len(FIRST_NAMES) + n % len(FIRST_NAMES)) % len(SURNAMES)]
        person = PersonRow(
            aad_object_id=str(uuid.UUID(int=self._rng.getrandbits(128), version=4)),
            display_name=f"{first} {last}",
            email=f"{first}.{last}.{n:03d}@demo-borough.invalid".lower(),
            roles=frozenset(roles),
            team_code=team_code,
        )
        self.people.append(person)
        return person


def build_demo_borough(seed: int = 1, staff: int = 200, cases: int = 3000) -> DemoBorough:
    """The same seed always gives the same borough, person for person and case for case."""
    rng = random.Random(seed)
    hired = _Staff(rng)
    teams: list[TeamRow] = []
    team_cohorts: dict[str, tuple[Cohort, ...]] = {}
    for area_code, area_name, cohorts in SERVICE_AREAS:
        head = hired.hire({Role.HEAD_OF_SERVICE}, None)
        managers = [hired.hire({Role.SERVICE_MANAGER}, None) for _ in range(2)]
        for i, place in enumerate(TEAM_PLACES):
            code = f"{area_code}-{place[0]}"
            lead = hired.hire({Role.PRACTICE_LEAD}, code)
            teams.append(
                TeamRow(
                    code=code,
                    name=f"{area_name.removesuffix(' (demo)')} {place} (demo)",
                    service_area_code=area_code,
                    service_area_name=area_name,
                    practice_lead_email=lead.email,
                    service_manager_email=managers[i // 2].email,
                    head_of_service_email=head.email,
                )
            )
            team_cohorts[code] = cohorts
    for role, count in CENTRAL_STAFF:
        for _ in range(count):
            hired.hire({role}, None)
    workers: dict[str, list[PersonRow]] = {t.code: [] for t in teams}
    for i in range(max(0, staff - len(hired.people))):
        code = teams[i % len(teams)].code
        workers[code].append(hired.hire({Role.PRACTITIONER}, code))

    case_rows: list[CaseRow] = []
    genders = (Gender.FEMALE, Gender.MALE, Gender.FEMALE, Gender.MALE, Gender.OTHER, Gender.UNKNOWN)
    for i in range(cases):
        team = teams[rng.randrange(len(teams))]
        cohort = rng.choice(team_cohorts[team.code])
        low, high = AGES.get(cohort, (0, 17))
        team_workers = workers[team.code]
        worker = rng.choice(team_workers).email if team_workers else None
        case_rows.append(
            CaseRow(
                azeus_number=f"DEMO-{CASE_ID_START + i}",
                gender=genders[rng.randrange(len(genders))],
                age=rng.randint(low, high),
                cohort=cohort,
                team_code=team.code,
                allocated_worker_email=worker,
                legal_status=rng.choice(LEGAL_STATUS[cohort]),
                ehcp=rng.random() < 0.15,
            )
        )
    return DemoBorough(teams=teams, people=hired.people, cases=case_rows)
