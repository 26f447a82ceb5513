"""Reading directory CSVs: every rule of a row, and the file-level refusals."""

from __future__ import annotations

import pytest

from plf_core.directory_import import (
    CaseRow,
    decode_csv,
    parse_cases,
    parse_people,
    parse_teams,
    plan_upsert,
)
from plf_core.errors import ImportRejected
from plf_core.vocabulary import Cohort, Gender, Role

AAD = "0b7e1a2c-3d4e-4f50-8a9b-0c1d2e3f4a5b"
CASE_HEADER = "azeus_number,gender,age,cohort,team_code,allocated_worker_email,legal_status,ehcp\n"
PEOPLE_HEADER = "aad_object_id,display_name,email,roles,team_code\n"
TEAMS_HEADER = (
    "team_code,team_name,service_area_code,service_area_name,"
    "practice_lead_email,service_manager_email,head_of_service_email\n"
)


def cases(*lines: str) -> str:
    return CASE_HEADER + "".join(line + "\n" for line in lines)


def reasons(parsed: object) -> list[str]:
    return [str(p) for p in parsed.problems]  # type: ignore[attr-defined]


def test_a_good_case_row_is_read_with_its_aliases() -> None:
    parsed = parse_cases(cases("X1,F,7,CiN,t1,Sam@Example.org,CIN plan,yes"), ["T1"], ["sam@example.org"])
    assert reasons(parsed) == []
    assert parsed.rows == [
        (
            2,
            CaseRow(
                "X1",
                Gender.FEMALE,
                7,
                Cohort.CHILD_IN_NEED,
                "t1",
                "sam@example.org",
                "CIN plan",
                True,
            ),
        )
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("X 1,F,7,cin,T1,,,no", "azeus_number 'X 1' must be 1-20 letters"),
        ("X1,robot,7,cin,T1,,,no", "gender 'robot' must be female, male, other or unknown"),
        ("X1,F,26,cin,T1,,,no", "age '26' must be a whole number from 0 to 25"),
        ("X1,F,-1,cin,T1,,,no", "age '-1' must be a whole number"),
        ("X1,F,seven,cin,T1,,,no", "age 'seven' must be a whole number"),
        ("X1,F,7,orphanage,T1,,,no", "cohort 'orphanage' is not one of: assessment, cin, cp"),
        ("X1,F,7,cin,T9,,,no", "unknown team 'T9'"),
        ("X1,F,7,cin,T1,nobody@example.org,,no", "unknown allocated worker 'nobody@example.org'"),
        ("X1,F,7,cin,T1,not-an-email,,no", "allocated_worker_email 'not-an-email' is not an email"),
        ("X1,F,7,cin,T1,,,maybe", "ehcp 'maybe' must be yes or no"),
        ("X1,F,7,cin,T1,," + "x" * 121 + ",no", "legal_status is longer than 120 characters"),
        ("X1,F,7,cin,T1,,,no,extra", "more cells than header columns"),
    ],
)
def test_each_bad_case_value_is_reported_with_its_line(line: str, expected: str) -> None:
    parsed = parse_cases(cases("OK1,M,3,cp,T1,,,no", line), ["T1"], [])
    assert next(r for _, r in parsed.rows).azeus_number == "OK1"
    assert len(parsed.rows) == 1
    assert any(r.startswith("line 3: " + expected) for r in reasons(parsed)), reasons(parsed)


def test_duplicate_case_ids_are_reported_against_the_first_line() -> None:
    parsed = parse_cases(cases("A1,F,7,cin,T1,,,no", "a1,M,8,cp,T1,,,no"), ["T1"], [])
    assert reasons(parsed) == ["line 3: duplicate key 'a1' (first seen on line 2)"]


@pytest.mark.parametrize("column", ["name", "First Name", "surname", "child_name", "DOB", "postcode"])
def test_a_case_file_with_a_name_like_column_is_refused_whole(column: str) -> None:
    text = f"azeus_number,{column},age,cohort,team_code\nX1,Someone,7,cin,T1\n"
    with pytest.raises(ImportRejected) as caught:
        parse_cases(text, ["T1"], [])
    assert "must not carry names" in str(caught.value)
    assert f"column '{column}' looks like personal identifying data" in str(caught.value.problems[0])


def test_a_case_file_with_an_unknown_column_is_refused_whole() -> None:
    with pytest.raises(ImportRejected, match="only the columns the framework uses") as caught:
        parse_cases(CASE_HEADER.strip() + ",ethnicity\n", ["T1"], [])
    assert [str(p) for p in caught.value.problems] == ["line 1: column 'ethnicity' is not one we import; remove it"]


def test_a_case_file_missing_a_required_column_is_refused() -> None:
    with pytest.raises(ImportRejected) as caught:
        parse_cases("azeus_number,age,team_code\nX1,7,T1\n", ["T1"], [])
    assert [str(p) for p in caught.value.problems] == ["line 1: missing column 'cohort'"]


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ImportRejected, match="empty"):
        parse_cases("", [], [])


def test_a_file_that_is_not_utf8_is_refused_naming_the_line() -> None:
    data = (CASE_HEADER + "X1,F,7,cin,T1,,Caf\xe9,no\n").encode("latin-1")
    with pytest.raises(ImportRejected, match="not UTF-8") as caught:
        decode_csv(data)
    assert str(caught.value.problems[0]) == "line 2: byte 0xe9 is not valid UTF-8"


def test_a_byte_order_mark_is_accepted() -> None:
    assert decode_csv("\ufeffa,b\n".encode()) == "a,b\n"


def test_require_clean_rejects_a_file_with_any_problem() -> None:
    parsed = parse_cases(cases("A1,F,7,cin,T1,,,no", "A2,F,99,cin,T1,,,no"), ["T1"], [])
    with pytest.raises(ImportRejected, match="1 problem"):
        parsed.require_clean("cases file")


def test_people_rows_check_guid_email_roles_and_team() -> None:
    text = PEOPLE_HEADER + (
        f"{AAD},Rowan Demoford,rowan@example.org,sw; PL,T1\n"
        "not-a-guid,,bad-email,wizard,T9\n"
        f"{AAD.replace('0b', '1b')},Hazel Testbury,hazel@example.org,,\n"
    )
    parsed = parse_people(text, ["t1"])
    assert [(line, p.roles) for line, p in parsed.rows] == [(2, frozenset({Role.PRACTITIONER, Role.PRACTICE_LEAD}))]
    assert reasons(parsed) == [
        "line 3: aad_object_id 'not-a-guid' is not an Entra object id (a GUID)",
        "line 3: display_name must be 1-120 characters",
        "line 3: email 'bad-email' is not an email address",
        "line 3: unknown role(s) wizard; use: " + ", ".join(r.value for r in Role),
        "line 3: unknown team 'T9'",
        "line 4: roles is empty; a person needs at least one role",
    ]


def test_people_files_note_columns_they_ignore() -> None:
    parsed = parse_people(PEOPLE_HEADER.strip() + ",job_title\n", [])
    assert parsed.notes == ["ignored column(s) not used by this import: job_title"]


def test_team_rows_check_codes_names_and_known_leaders() -> None:
    text = TEAMS_HEADER + ("T1,Team One,SA,Area,pl@example.org,,\nT 2,,SA,Area,ghost@example.org,,\n")
    parsed = parse_teams(text, ["PL@example.org"])
    assert [t.practice_lead_email for _, t in parsed.rows] == ["pl@example.org"]
    assert reasons(parsed) == [
        "line 3: team_code 'T 2' must be 1-32 letters, digits, '-' or '_'",
        "line 3: team_name must be 1-120 characters",
        "line 3: unknown person in practice_lead_email 'ghost@example.org'",
    ]


def test_plan_upsert_separates_new_changed_unchanged_and_missing() -> None:
    plan = plan_upsert({"a": 1, "b": 2, "c": 3}, {"b": 2, "c": 30, "d": 4})
    assert (plan.new, plan.changed, plan.unchanged, plan.missing) == ([1], [3], 1, ["d"])
