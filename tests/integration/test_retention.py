"""Retention from the terminal (SQLite and PostgreSQL): nothing deleted without a schedule, a dry
run that lists and deletes nothing, --apply that deletes what is past its period except a case
under legal hold (its audits and its families' feedback), and writes the deletion to the access
log; a bad schedule is named."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text

from store.database import create_engine
from tests.e2e.running_app import plf, plf_env
from tests.instants import DEFAULT_NOW

LONDON = ZoneInfo("Europe/London")


def query(database_url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    async def run() -> list[tuple[Any, ...]]:
        engine = create_engine(database_url)
        try:
            async with engine.connect() as connection:
                return [tuple(r) for r in await connection.execute(text(sql), params)]
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_retention_lists_then_deletes_what_is_past_its_period_except_under_legal_hold(
    database_url: str, tmp_path: Path
) -> None:
    env = plf_env(database_url)
    assert plf(["migrate"], env).returncode == 0
    assert "returned audits" in plf(["demo", "--history"], env).stdout
    nothing = plf(["retention", "--dry-run"], env)
    assert "nothing is ever deleted" in nothing.stdout

    schedule = tmp_path / "retention.yaml"
    schedule.write_text("audits: 180d\noutbox: 1d\nunknown_senders: 30d\n")
    env = plf_env(database_url, RETENTION_FILE=str(schedule))
    today = DEFAULT_NOW.astimezone(LONDON).date()  # the clock of every plf process of the test
    cutoff = datetime.combine(today - timedelta(days=180), datetime.min.time(), tzinfo=LONDON)
    old = "SELECT a.id, c.azeus_number FROM audits a JOIN cases c ON c.id = a.case_id WHERE a.submitted_at < :cut"
    past = query(database_url, old, cut=cutoff.astimezone(UTC))
    assert len(past) > 50  # the synthetic history goes back a year
    held_case = past[0][1]
    held = [a for a, c in past if c == held_case]
    assert plf(["legal-hold", held_case], env).returncode == 0
    assert plf(["legal-hold", "NO-SUCH-CASE"], env).returncode == 2

    before = query(database_url, "SELECT count(*) FROM audits")[0][0]
    dry = plf(["retention", "--dry-run"], env)
    assert dry.returncode == 0, dry.stderr
    assert f"audits: kept 180 days; would delete {len(past) - len(held):,}" in dry.stdout
    assert f"audits kept under legal hold although past their period: {len(held):,}" in dry.stdout
    assert "sampling_draws: kept indefinitely (not in the schedule); would delete 0" in dry.stdout
    assert held_case not in dry.stdout.split("cases whose audits would go: ")[1]
    assert query(database_url, "SELECT count(*) FROM audits")[0][0] == before  # a dry run deletes nothing

    applied = plf(["retention", "--apply"], env)
    assert applied.returncode == 0, applied.stderr
    assert f"audits: kept 180 days; deleted {len(past) - len(held):,}" in applied.stdout
    left = {a for (a,) in query(database_url, "SELECT id FROM audits")}
    assert set(held) <= left  # the case under legal hold keeps its audits
    assert not ({a for a, _ in past} - set(held)) & left
    orphans = query(database_url, "SELECT count(*) FROM outcome_scores WHERE audit_id NOT IN (SELECT id FROM audits)")
    assert orphans == [(0,)]
    logged = query(database_url, "SELECT object_id FROM access_log WHERE action = 'retention delete audits'")
    assert logged == [(str(len(past) - len(held)),)]
    assert query(database_url, "SELECT count(*) FROM access_log WHERE action = 'legal hold on'") == [(1,)]
    again = plf(["retention", "--apply"], env)
    assert "audits: kept 180 days; deleted 0" in again.stdout

    schedule.write_text("audits: 7 years\nchildren: 1y\n")
    bad = plf(["retention", "--dry-run"], env)
    assert bad.returncode == 2
    assert "audits: '7 years' is not a period such as 90d, 26w or 7y" in bad.stderr
    assert "children: not a record type" in bad.stderr


def execute(database_url: str, sql: str, **params: Any) -> None:
    async def run() -> None:
        engine = create_engine(database_url)
        try:
            async with engine.begin() as connection:
                await connection.execute(text(sql), params)
        finally:
            await engine.dispose()

    asyncio.run(run())


def test_families_feedback_goes_with_its_period_from_the_later_of_link_and_answer_except_under_legal_hold(
    database_url: str, tmp_path: Path
) -> None:
    env = plf_env(database_url)
    assert plf(["migrate"], env).returncode == 0
    assert plf(["demo"], env).returncode == 0
    (case, _), (held_case, held_ref) = query(database_url, "SELECT id, azeus_number FROM cases ORDER BY id LIMIT 2")
    now = DEFAULT_NOW  # the clock of every plf process of the test

    def link(n: int, on: int, made_days_ago: int, answered_days_ago: int | None) -> None:
        made = now - timedelta(days=made_days_ago)
        used = now - timedelta(days=answered_days_ago) if answered_days_ago is not None else None
        execute(
            database_url,
            "INSERT INTO feedback_requests (id, token_hash, case_id, audience, occasion, created_at, expires_at, used_at)"
            " VALUES (:id, :hash, :case, 'parent', 'closure', :made, :expires, :used)",
            id=n,
            hash=f"{n:064x}",
            case=on,
            made=made,
            expires=made + timedelta(days=28),
            used=used,
        )
        if used is not None:
            execute(
                database_url,
                "INSERT INTO feedback_answers (request_id, case_id, audience, received_at, answers, worded, flagged)"
                " VALUES (:id, :case, 'parent', :used, :answers, :worded, false)",
                id=n,
                case=on,
                used=used,
                answers='{"useful": 4, "helped": "They listened"}',
                worded='[["What helped?", "They listened"]]',
            )

    link(1, case, 400, 399)  # asked and answered over a year ago: goes
    link(2, case, 400, None)  # asked over a year ago, never answered: goes
    link(3, case, 380, 360)  # asked over a year ago, answered within it: kept (counted from the answer)
    link(4, case, 10, 9)  # recent: kept
    link(5, held_case, 400, 399)  # old, but its case is under legal hold: kept
    schedule = tmp_path / "retention.yaml"
    schedule.write_text("feedback: 365d\n")
    env = plf_env(database_url, RETENTION_FILE=str(schedule))
    assert plf(["legal-hold", held_ref], env).returncode == 0

    dry = plf(["retention", "--dry-run"], env)
    assert dry.returncode == 0, dry.stderr
    assert "feedback: kept 365 days; would delete 2" in dry.stdout
    assert "feedback links kept under legal hold although past their period: 1" in dry.stdout
    assert "audits: kept indefinitely (not in the schedule); would delete 0" in dry.stdout
    assert len(query(database_url, "SELECT id FROM feedback_requests")) == 5  # a dry run deletes nothing

    applied = plf(["retention", "--apply"], env)
    assert applied.returncode == 0, applied.stderr
    assert "feedback: kept 365 days; deleted 2" in applied.stdout
    assert query(database_url, "SELECT id FROM feedback_requests ORDER BY id") == [(3,), (4,), (5,)]
    assert query(database_url, "SELECT request_id FROM feedback_answers ORDER BY request_id") == [(3,), (4,), (5,)]
    logged = query(database_url, "SELECT object_id FROM access_log WHERE action = 'retention delete feedback'")
    assert logged == [("2",)]
