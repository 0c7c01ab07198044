"""The health page and the daily evaluation take the same number of SQL statements whatever the
partnership's size: 4 or 10 missed commitments behind the figures (both sizes fire
the same detectors, so the same changes of status are written); and the daily job takes the
same statements per partnership for one or two partnerships, with or without changes of
status (the starts of FIRING are fired after all partnerships, one statement taking them)."""

from __future__ import annotations

from datetime import date

import asyncpg
from sqlalchemy.engine import URL

from mutual.db import counting
from tests.commitments.factories import ClientFactory, both_sides, raw_id, signed_in
from tests.health.factories import (
    agreed_commitments,
    detector,
    health_of,
    recording_notices,
    recording_triggers,
    run_daily,
)
from tests.helpers import World, gql


async def test_the_health_page_and_the_daily_job_take_constant_statements(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World, app_database_url: URL
) -> None:
    page: dict[int, int] = {}
    daily: dict[int, int] = {}
    made = 0
    for size in (4, 10):
        async with both_sides(make_client, owner, world) as (northwind, contoso):
            new = await agreed_commitments(northwind, contoso, world, size - made, start=made)
        made = size
        await owner.execute(
            "UPDATE commitment SET due_date = current_date - 1 WHERE id = ANY($1::uuid[])",
            [raw_id(c["id"]) for c in new],
        )
        await owner.execute("DELETE FROM health_snapshot; DELETE FROM detector_state")
        with recording_triggers():
            async with counting() as counter:
                await run_daily(app_database_url)
        daily[size] = len(counter.statements)
        async with signed_in(make_client, owner, world, "viewer@contoso.example") as viewer:
            async with counting() as counter:
                health = await health_of(viewer, world, "2020-01-01", str(date.today()))
            page[size] = len(counter.statements)
        delayed = detector(health, "COMMITMENTS_DELAYED")
        assert len(delayed["evidence"]) == size
        assert health["healthSummary"] is not None

    assert page[4] == page[10], page
    assert daily[4] == daily[10], daily


LIST = """
{ viewer { partnerships(first: 10) { nodes { id name %s } } } }
"""


async def test_the_partnership_lists_index_and_trend_take_one_statement_for_all(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    # given daily snapshots of both of Contoso's partnerships, a week apart
    for partnership in (world.northwind_contoso, world.fabrikam_contoso):
        await owner.execute(
            "INSERT INTO health_snapshot (partnership_id, day, value, components) "
            "VALUES ($1, current_date - 7, 60, '{}'), ($1, current_date, 66.5, '{}')",
            partnership.id,
        )
    async with signed_in(make_client, owner, world, "lead@contoso.example") as lead:
        async with counting() as bare:
            await gql(lead, LIST % "")
        async with counting() as counter:
            body = await gql(lead, LIST % "healthSummary { day value trend }")
    nodes = body["data"]["viewer"]["partnerships"]["nodes"]
    assert len(nodes) == 2
    assert [n["healthSummary"]["trend"] for n in nodes] == [6.5, 6.5]
    assert len(counter.statements) == len(bare.statements) + 1


def _per_partnership(statements: list[str]) -> tuple[list[int], int]:
    """The daily job's statements split by partnership (each transaction sets its LEAD's
    identity first), and the statements taking the starts of FIRING to fire."""
    taking = sum("health_take_pending" in s for s in statements)
    segments: list[int] = []
    for statement in statements:
        if "set_config('mutual.user_id'" in statement:
            segments.append(0)
        elif segments and "health_take_pending" not in statement:
            segments[-1] += 1
    return segments, taking


async def test_the_daily_job_takes_the_same_statements_per_partnership_whatever_changed(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World, app_database_url: URL
) -> None:
    # given Northwind ↔ Contoso with 4 missed commitments, and Fabrikam ↔ Contoso suspended
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        missed = await agreed_commitments(northwind, contoso, world, 4)
    await owner.execute(
        "UPDATE commitment SET due_date = current_date - 1 WHERE id = ANY($1::uuid[])",
        [raw_id(c["id"]) for c in missed],
    )
    fc = world.fabrikam_contoso.id
    await owner.execute("UPDATE partnership SET status = 'SUSPENDED' WHERE id = $1", fc)
    runs: dict[str, tuple[list[int], int]] = {}
    events: dict[str, int] = {}

    async def run(name: str) -> None:
        before = await owner.fetchval("SELECT count(*) FROM detector_event")
        with recording_triggers() as fired, recording_notices():
            async with counting() as counter:
                await run_daily(app_database_url)
        runs[name] = _per_partnership(counter.statements)
        events[name] = await owner.fetchval("SELECT count(*) FROM detector_event") - before
        assert [f.source for f in fired] == (
            ["detector.commitments_delayed"] if name == "one, firing" else []
        )

    # when the job runs for one partnership whose detector starts FIRING, then again unchanged
    await run("one, firing")
    await run("one, unchanged")
    # and for both partnerships: unchanged and first evaluated, then both changing status
    await owner.execute("UPDATE partnership SET status = 'ACTIVE' WHERE id = $1", fc)
    await run("two, first")
    await owner.execute(
        "UPDATE detector_state SET status = 'WATCH' WHERE detector = 'disputes_rising'"
    )
    await run("two, both changed")

    # then each partnership took the same statements, changes of status or not, and the starts
    # of FIRING were taken in one statement per run
    assert (events["one, firing"], events["one, unchanged"], events["two, both changed"]) == (
        1,
        0,
        2,
    )
    counts = {name: segments for name, (segments, _taking) in runs.items()}
    assert [len(s) for s in counts.values()] == [1, 1, 2, 2]
    assert len({n for segments in counts.values() for n in segments}) == 1, counts
    assert {taking for _segments, taking in runs.values()} == {1}
