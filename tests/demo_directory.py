"""The demo borough's directory as the CSV files a council would export from its own systems (teams,
people, each team's leaders, cases), to `plf import` into a database with no `plf demo`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from plf_core.demo_borough import DemoBorough
from plf_core.directory_columns import CASE_COLUMNS, PEOPLE_COLUMNS, TEAM_COLUMNS

#: the order a council imports them in: teams, their people, then the teams' leaders (people now), cases
IMPORTS = (("teams", "teams"), ("people", "people"), ("teams", "leaders"), ("cases", "cases"))


def csv_file(tmp_path: Path, name: str, header: tuple[str, ...], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path / name
    path.write_text(out.getvalue())
    return str(path)


def directory_files(tmp_path: Path, borough: DemoBorough) -> dict[str, str]:
    """teams.csv (without the leader columns), people.csv, leaders.csv (teams with them) and cases.csv."""
    teams = [[t.code, t.name, t.service_area_code, t.service_area_name] for t in borough.teams]
    leaders = [
        [*row, t.practice_lead_email or "", t.service_manager_email or "", t.head_of_service_email or ""]
        for row, t in zip(teams, borough.teams, strict=True)
    ]
    people = [
        [p.aad_object_id, p.display_name, p.email, ";".join(r.value for r in p.roles), p.team_code or ""]
        for p in borough.people
    ]
    cases = [
        [
            c.azeus_number,
            c.gender.value,
            c.age,
            c.cohort.value,
            c.team_code,
            c.allocated_worker_email or "",
            c.legal_status or "",
            "yes" if c.ehcp else "no",
        ]
        for c in borough.cases
    ]
    return {
        "teams": csv_file(tmp_path, "teams.csv", TEAM_COLUMNS[:4], teams),
        "people": csv_file(tmp_path, "people.csv", PEOPLE_COLUMNS, people),
        "leaders": csv_file(tmp_path, "leaders.csv", TEAM_COLUMNS, leaders),
        "cases": csv_file(tmp_path, "cases.csv", CASE_COLUMNS, cases),
    }
