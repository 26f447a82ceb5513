"""What the directory CSVs (teams, people, cases) may hold: their columns, the words accepted for
roles, cohorts and genders, how a case's closing day may be written, and the columns refused because
they would carry a name."""

from __future__ import annotations

import re
from datetime import date

from plf_core.vocabulary import Cohort, Gender, Role

MAX_AGE = 25  # care leavers are supported up to 25
AZEUS_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,19}$")
TEAM_CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
EMAIL_PATTERN = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
MAX_TEXT = 120

#: Columns that would carry a child's (or anyone's) name into the case table.
NAME_LIKE_COLUMNS = frozenset(
    {
        "name",
        "names",
        "full_name",
        "fullname",
        "first_name",
        "firstname",
        "forename",
        "forenames",
        "given_name",
        "middle_name",
        "last_name",
        "lastname",
        "surname",
        "family_name",
        "child_name",
        "childname",
        "child",
        "known_as",
        "preferred_name",
        "alias",
        "dob",
        "date_of_birth",
        "birth_date",
        "address",
        "postcode",
        "nhs_number",
        "upn",
    }
)

TEAM_COLUMNS = (
    "team_code",
    "team_name",
    "service_area_code",
    "service_area_name",
    "practice_lead_email",
    "service_manager_email",
    "head_of_service_email",
)
TEAM_REQUIRED = TEAM_COLUMNS[:4]
PEOPLE_COLUMNS = ("aad_object_id", "display_name", "email", "roles", "team_code")
PEOPLE_REQUIRED = PEOPLE_COLUMNS[:4]
CASE_COLUMNS = (
    "azeus_number",
    "gender",
    "age",
    "cohort",
    "team_code",
    "allocated_worker_email",
    "legal_status",
    "ehcp",
    "closed_on",
)
CASE_REQUIRED = ("azeus_number", "age", "cohort", "team_code")

ROLE_ALIASES: dict[str, Role] = {
    **{role.value: role for role in Role},
    "sw": Role.PRACTITIONER,
    "social_worker": Role.PRACTITIONER,
    "pl": Role.PRACTICE_LEAD,
    "team_manager": Role.PRACTICE_LEAD,
    "sm": Role.SERVICE_MANAGER,
    "hos": Role.HEAD_OF_SERVICE,
    "plr": Role.PRACTICE_LEARNING_REVIEWER,
    "qa": Role.PRACTICE_LEARNING_REVIEWER,
    "qa_officer": Role.PRACTICE_LEARNING_REVIEWER,
    "ad_qa": Role.QA_MANAGER,
    "assistant_director_qa": Role.QA_MANAGER,
    "doo": Role.DIRECTOR_OF_OPERATIONS,
    "d&i": Role.DATA_AND_IMPACT,
    "data_impact": Role.DATA_AND_IMPACT,
}
COHORT_ALIASES: dict[str, Cohort] = {
    **{c.value: c for c in Cohort},
    **{c.label.lower(): c for c in Cohort},
    "child in need": Cohort.CHILD_IN_NEED,
    "child protection": Cohort.CHILD_PROTECTION,
    "child looked after": Cohort.CHILD_LOOKED_AFTER,
    "looked after": Cohort.CHILD_LOOKED_AFTER,
    "lac": Cohort.CHILD_LOOKED_AFTER,
    "care leaver": Cohort.CARE_LEAVER,
    "care leavers": Cohort.CARE_LEAVER,
    "early help": Cohort.EARLY_HELP,
    "eh": Cohort.EARLY_HELP,
}
GENDER_ALIASES: dict[str, Gender] = {
    **{g.value: g for g in Gender},
    "f": Gender.FEMALE,
    "m": Gender.MALE,
    "": Gender.UNKNOWN,
    "not known": Gender.UNKNOWN,
    "prefer not to say": Gender.UNKNOWN,
}
TRUE_WORDS = frozenset({"yes", "y", "true", "1"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", ""})


def closing_day(text: str, reasons: list[str]) -> date | None:
    """The day a case closed, as 2026-12-03 or as spreadsheets write it in the UK (03/12/2026); empty: open."""
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            day, month, year = (int(part) for part in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        reasons.append(f"closed_on '{text[:20]}' is not a date: write it as 2026-12-03 or 03/12/2026")
        return None
