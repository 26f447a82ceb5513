"""`plf import` and `plf people` as a QA officer types them, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from plf_core.demo_borough import build_demo_borough
from tests.demo_directory import IMPORTS, directory_files
from tests.e2e.running_app import plf, plf_env

TEAMS = "team_code,team_name,service_area_code,service_area_name\nT1,Team One,SA,Area\n"
PEOPLE = (
    "aad_object_id,display_name,email,roles,team_code\n"
    "0b7e1a2c-3d4e-4f50-8a9b-0c1d2e3f4a51,Rowan Demoford,rowan@demo.invalid,practitioner,T1\n"
)


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return str(path)


def test_import_reports_counts_then_refuses_a_bad_file_whole(database_url: str, tmp_path: Path) -> None:
    env = plf_env(database_url)
    assert plf(["migrate"], env).returncode == 0
    teams = plf(["import", "teams", write(tmp_path, "teams.csv", TEAMS)], env)
    assert teams.returncode == 0, teams.stderr
    assert "teams.csv: 1 teams row(s) read: 1 new, 0 changed, 0 unchanged" in teams.stdout
    people = plf(["import", "people", write(tmp_path, "people.csv", PEOPLE)], env)
    assert "1 new" in people.stdout

    bad_cases = (
        "azeus_number,gender,age,cohort,team_code\nC1,female,7,cin,T1\nC2,female,7,cin,T1\nC1,male,30,martian,T9\n"
    )
    rejected = plf(["import", "cases", write(tmp_path, "cases.csv", bad_cases)], env)
    assert rejected.returncode == 2
    assert rejected.stderr.splitlines() == [
        "plf import: cases file: 3 problem(s); nothing was imported",
        "  line 4: age '30' must be a whole number from 0 to 25",
        "  line 4: cohort 'martian' is not one of: assessment, cin, cp, cla, care_leaver, early_help",
        "  line 4: unknown team 'T9'",
    ]
    listed = plf(["people"], env)
    assert "Rowan Demoford" in listed.stdout

    skipped = plf(["import", "cases", str(tmp_path / "cases.csv"), "--skip-bad"], env)
    assert skipped.returncode == 0
    assert "2 cases row(s) read: 2 new" in skipped.stdout
    assert "skipped 3 problem(s) (--skip-bad):" in skipped.stdout

    again = plf(["import", "people", str(tmp_path / "people.csv")], env)
    assert "0 new, 0 changed, 1 unchanged" in again.stdout


def test_people_lists_by_role_and_team_and_names_an_unknown_team(database_url: str) -> None:
    env = plf_env(database_url)
    assert plf(["migrate"], env).returncode == 0
    assert plf(["demo"], env).returncode == 0
    heads = plf(["people", "--role", "head_of_service"], env)
    assert heads.stdout.strip().endswith("4 people")
    assert "@" in heads.stdout.splitlines()[1]  # each person's email: what AS=... and assign take
    team = plf(["people", "--team", "fda-n"], env)
    assert all("FDA-N" in line for line in team.stdout.splitlines()[1:-1])
    unknown = plf(["people", "--team", "nowhere"], env)
    assert unknown.returncode == 2
    assert "unknown team 'nowhere'" in unknown.stderr


def test_a_missing_file_and_a_latin1_file_are_reported(database_url: str, tmp_path: Path) -> None:
    env = plf_env(database_url)
    assert plf(["migrate"], env).returncode == 0
    missing = plf(["import", "teams", str(tmp_path / "nope.csv")], env)
    assert missing.returncode == 2
    assert "cannot read" in missing.stderr
    latin = write(tmp_path, "latin.csv", TEAMS.replace("Team One", "Équipe").encode("latin-1"))
    result = plf(["import", "teams", latin], env)
    assert result.returncode == 2
    assert "not UTF-8" in result.stderr
    assert "line 2: byte 0xc9 is not valid UTF-8" in result.stderr


def test_sample_previews_then_creates_the_same_draw_and_names_bad_input(database_url: str) -> None:
    env = plf_env(database_url)
    assert plf(["migrate"], env).returncode == 0
    assert plf(["demo"], env).returncode == 0

    preview = plf(["sample", "12", "by", "cohort", "seed", "3"], env)
    assert preview.returncode == 0, preview.stderr
    assert "Sample preview (nothing created yet): by cohort, seed 3" in preview.stdout
    assert "cases matching: 3,000; selected: 12" in preview.stdout
    assert "Nothing was created. Run the same command with --yes" in preview.stdout

    created = plf(["sample", "12", "by", "cohort", "seed", "3", "--yes"], env)
    assert created.returncode == 0, created.stderr
    assert created.stdout.splitlines()[:-1] == preview.stdout.splitlines()[:-1]  # the same draw
    # 25% of a dip sample's cohort goes to Practice Learning Review (line 515): an audit each, no more
    assert "Sample created (draw 1, seed 3): 3 audits for Practice Learning Review" in created.stdout
    assert "the other 9 cases are the dip sample's cohort, kept with the draw" in created.stdout
    audits = await_rows(database_url, "SELECT count(*) FROM audits WHERE draw_id = 1")
    assert audits == [(3,)]
    again = plf(["sample", "12", "by", "cohort", "seed", "3", "--yes"], env)
    assert "Nothing more was created" in again.stdout or "already created" in again.stdout

    unknown = plf(["sample", "5", "team", "CNP-Nrth"], env)
    assert unknown.returncode == 2
    assert "there is no team 'CNP-Nrth'" in unknown.stderr
    too_many = plf(["sample", "5000"], env)
    assert too_many.returncode == 2
    assert "only 3,000 cases match all open cases, fewer than the 5,000 asked for" in too_many.stderr
    nonsense = plf(["sample", "5", "colour", "blue"], env)
    assert nonsense.returncode == 2
    assert "I don't understand 'colour'" in nonsense.stderr

    nothing = plf(["moderate", "2020-01"], env)
    assert nothing.returncode == 0
    assert "No audits were returned in January 2020" in nothing.stdout


def test_serve_refuses_to_start_with_a_bad_timetable(database_url: str, tmp_path: Path) -> None:
    shipped = (Path(__file__).parents[2] / "scheduler" / "timetable.yaml").read_text()
    bad = write(tmp_path, "timetable.yaml", shipped.replace("to: slt\n", "to: sllt\n", 1))
    env = plf_env(database_url, TIMETABLE_FILE=bad)
    migrated = plf(["migrate"], env)
    assert migrated.returncode == 0  # the schema all the same; the calendar waits for a good timetable
    line = shipped.splitlines().index("  - id: slt_outstanding") + 1
    problem = f"line {line}: rule 4 ('slt_outstanding'): unknown recipient 'sllt'"
    assert f"audit cycles not made: timetable {bad}: {problem}" in migrated.stderr
    refused = plf(["serve"], env)
    assert refused.returncode == 2
    assert problem in refused.stderr


def test_serve_with_several_workers_needs_postgresql(database_url: str, backend: str) -> None:
    env = plf_env(database_url)
    assert plf(["migrate"], env).returncode == 0
    assert plf(["serve", "--workers", "0"], env).stderr.strip() == "plf serve: --workers is 1 to 16, not 0"
    if backend == "sqlite":
        refused = plf(["serve", "--workers", "2"], env)
        assert refused.returncode == 2
        assert "--workers 2 needs PostgreSQL: an SQLite file takes one writer at a time" in refused.stderr


def test_the_timetable_commands_work_from_a_terminal(database_url: str) -> None:
    env = plf_env(database_url)
    assert plf(["migrate"], env).returncode == 0
    assert plf(["demo"], env).returncode == 0
    assert plf(["sample", "quota", "team", "CLA-N", "seed", "2", "--yes"], env).returncode == 0
    dry = plf(["remind", "CLA-N", "--dry-run"], env)
    assert dry.returncode == 0, dry.stderr
    assert "Dry run, nothing sent: 4 people in CLA-N would get a reminder" in dry.stdout
    unknown = plf(["remind", "CLA-X"], env)
    assert unknown.returncode == 2
    assert "there is no team or service area 'CLA-X'" in unknown.stderr
    sent = plf(["remind", "CLA-N"], env)
    assert "Sent a reminder to 4 people in CLA-N" in sent.stdout
    assert "(the running bot delivers the messages)" in sent.stdout
    ahead = plf(["timetable", "30"], env)
    assert ahead.returncode == 0, ahead.stderr
    assert "The timetable: the next 30 days" in ahead.stdout
    assert "Nothing has failed" in plf(["outbox"], env).stdout
    status = plf(["status", "CLA-N"], env)
    assert status.returncode == 0, status.stderr
    assert "  Audits due in the cycle: 3" in status.stdout
    assert "  Outstanding: 3" in status.stdout
    assert "  Returned: 0" in status.stdout
    assert "Status — the whole service" in plf(["status"], env).stdout
    assert "there is no team or service area 'Narnia'" in plf(["status", "Narnia"], env).stderr


def test_plf_report_writes_the_html_and_one_csv_per_table_and_names_bad_input(
    database_url: str, tmp_path: Path
) -> None:
    env = plf_env(database_url)
    assert plf(["migrate"], env).returncode == 0
    assert "returned audits" in plf(["demo", "--history"], env).stdout
    out = tmp_path / "reports"
    made = plf(["report", "--quarter", "2026-Q3", "--out", str(out)], env)
    assert made.returncode == 0, made.stderr
    page = out / "highlight-2026-Q3.html"
    assert f"wrote {page}" in made.stdout
    assert "  Audits returned: " in made.stdout
    html = page.read_text("utf-8")
    assert "Practice Learning highlight report" in html
    assert "2026 Q3 · the whole service" in html
    tables = sorted(p.name for p in (out / "highlight-2026-Q3-csv").iterdir())
    assert "2026-Q3-grades_by_team.csv" in tables
    assert {"2026-Q3-dip_samples.csv", "2026-Q3-reviews.csv"} <= set(tables)  # what the dips and reviews found
    assert "2026-Q3-immediate_concerns.csv" in tables
    assert {"2026-Q3-feedback_by_service_area.csv", "2026-Q3-feedback_themes.csv"} <= set(tables)  # families'
    assert len(tables) == 17

    area = plf(["report", "2026-Q3", "--service", "CLA", "--out", str(out)], env)
    assert area.returncode == 0, area.stderr
    assert (
        "Overdue actions in this service area"
        in (out / "highlight-2026-Q3-children-looked-after-demo.html").read_text()
    )

    close = plf(["report", "2026-Q3", "--service", "Children Looked Afterr", "--out", str(out)], env)
    assert close.returncode == 2
    assert (
        "there is no service area 'Children Looked Afterr'; did you mean Children Looked After (demo)?" in close.stderr
    )
    bad = plf(["report", "--quarter", "2026-10"], env)
    assert bad.returncode == 2
    assert "--quarter 2026-10: use a quarter such as 2026-Q3" in bad.stderr
    empty = plf(["report", "2019-Q1", "--out", str(out)], env)
    assert empty.returncode == 0
    assert "nothing was assigned, returned or moderated in 2019 Q1" in empty.stdout

    # the inspection evidence pack, from the same database (issue 18)
    evidence = plf(["evidence", "--quarter", "2026-Q3", "--out", str(tmp_path / "evidence")], env)
    assert evidence.returncode == 0, evidence.stderr
    pack = tmp_path / "evidence" / "evidence-2026-Q3.html"
    assert f"wrote {pack}" in evidence.stdout
    assert "  Audits due and returned: " in evidence.stdout
    assert "(plan " in evidence.stdout
    assert "<h1>Inspection evidence pack</h1>" in pack.read_text("utf-8")
    written = sorted(p.name for p in (tmp_path / "evidence" / "evidence-2026-Q3-csv").iterdir())
    assert {"evidence-2026-Q3-volume_against_plan.csv", "evidence-2026-Q3-moderation_grid.csv"} <= set(written)
    assert len(written) == 11
    month = plf(["evidence", "--quarter", "2026-10"], env)
    assert month.returncode == 2
    assert "--quarter 2026-10: use a quarter such as 2026-Q3" in month.stderr


def test_plf_people_piped_into_head_ends_quietly(database_url: str) -> None:
    """`plf people | head -2`: the reader stops early; plf ends without a BrokenPipe traceback."""
    import subprocess
    import sys

    env = plf_env(database_url)
    assert plf(["migrate"], env).returncode == 0
    assert plf(["demo"], env).returncode == 0
    plf_bin = str(Path(sys.executable).with_name("plf"))
    piped = subprocess.run(
        ["bash", "-c", f'"{plf_bin}" people | head -2'],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert len(piped.stdout.splitlines()) == 2
    assert "Traceback" not in piped.stderr, piped.stderr
    assert "BrokenPipe" not in piped.stderr, piped.stderr


def test_a_council_that_imports_its_own_directory_gets_cycles_due_dates_and_reminders(
    database_url: str, tmp_path: Path
) -> None:
    """No `plf demo`: the demo borough's directory as the CSV files a council would export, imported;
    an assigned audit is due at its cycle's end and the timetable has its reminders."""
    borough = build_demo_borough()
    files = directory_files(tmp_path, borough)
    env = plf_env(database_url)  # 20 November 2026: the 2026-Q4 cycle
    migrated = plf(["migrate"], env)
    assert "audit cycles (quarterly): 2026 Q3 to 2027 Q2, 4 added" in migrated.stdout, migrated.stdout
    for kind, name in IMPORTS:
        imported = plf(["import", kind, files[name]], env)
        assert imported.returncode == 0, imported.stderr
    again = plf(["import", "teams", files["teams"]], env)  # without the leader columns: leaders kept
    assert "left as they were: practice_lead_email, service_manager_email, head_of_service_email" in again.stdout
    case = borough.cases[0]
    worker = next(p for p in borough.people if p.email == case.allocated_worker_email)
    qa = next(p for p in borough.people if "qa_manager" in {r.value for r in p.roles})
    assigned = plf(["assign", case.azeus_number, "to", worker.display_name, "--by", qa.email], env)
    assert assigned.returncode == 0, assigned.stderr
    assert "due Thu 31 Dec 2026" in assigned.stdout
    assert "as second person (their Practice Lead)" in assigned.stdout  # the leaders survived the re-import
    ahead = plf(["timetable", "100"], env)
    assert ahead.returncode == 0, ahead.stderr
    for line in (
        "Tue 01 Dec: monthly reminder before reviews are due, to everyone with an open audit — 2 people",
        "Thu 24 Dec: the outstanding reviews a week before the due date, each for their own team or service area",
        "Thu 07 Jan: outstanding reviews and moderations a week after the due date",
        "Tue 01 Dec: dip sample 'Children coming into care': due, to QA",
        "Thu 03 Dec: the November 2026 highlight report to every manager",
        "Mon 04 Jan: the cycle's audits, 3 per Practice Lead, proposed to QA with Create",
        "Fri 08 Jan: the 2026 Q4 highlight report to every manager",
        "Mon 18 Jan: dip sample 'Threshold': its data request",
    ):
        assert line in ahead.stdout, ahead.stdout


def await_rows(database_url: str, sql: str) -> list[tuple[object, ...]]:
    import asyncio

    from tests.e2e.test_audit_workflow import _query

    return asyncio.run(_query(database_url, sql))
