"""The built-in on-time KPIs read as evidence: named for whose rate it is and where it comes
from, a baseline from the side's first five commitments due, a fixed 95 % target a year after
it, progress between 0 and 100; no built-in KPI for a side with nothing due yet, and STALE
only once a whole month has passed since the partnership started."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import asyncpg
import httpx

from mutual.kit.clock import stopped_at
from tests.commitments.factories import (
    CONFIRM,
    DECLINE,
    ClientFactory,
    agreed,
    both_sides,
    delivered,
    propose,
    raw_id,
    step,
)
from tests.helpers import World, gql
from tests.kpis.factories import today

BUILTINS = """
query($id: ID!) {
  partnership(id: $id) {
    kpis {
      name builtin status ownerParty { label }
      baselineValue baselineDate targetValue targetDate warningThreshold criticalThreshold
      measurements(last: 12) { period value }
      evidence { latestValue progressPercent }
    }
  }
}
"""

NORTHWIND = "On-time delivery — Northwind Components (from commitments)"
CONTOSO = "On-time delivery — Contoso Retail (from commitments)"


def _month(months_ago: int, day: int = 10) -> date:
    """The `day` of the month `months_ago` months before this one."""
    first = today().replace(day=1)
    year, month = divmod(first.year * 12 + first.month - 1 - months_ago, 12)
    return date(year, month + 1, day)


async def _builtins(client: httpx.AsyncClient, world: World) -> dict[str, dict[str, Any]]:
    body = await gql(client, BUILTINS, {"id": world.nc_id})
    return {k["name"]: k for k in body["data"]["partnership"]["kpis"] if k["builtin"]}


async def _kept(
    northwind: httpx.AsyncClient, contoso: httpx.AsyncClient, world: World, title: str, due: date
) -> dict[str, Any]:
    """Northwind's, delivered (now: before its date) and confirmed."""
    return await step(contoso, CONFIRM, await delivered(northwind, contoso, world, title, str(due)))


async def test_the_baseline_is_the_first_five_commitments_due_and_the_target_is_95(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given: Northwind's commitments, made eleven months ago when every date was ahead.
        # Not counted: one declined and one only proposed (never agreed), one INTERNAL.
        # Its first five due: kept, late, kept, missed, kept (3 of 5: 60 %); then one kept
        # and, last month, one missed.
        with stopped_at(datetime.combine(_month(11, 1), time(9), UTC)):
            await step(
                contoso, DECLINE, await propose(northwind, world, "Declined", str(_month(10)))
            )
            await propose(northwind, world, "Never agreed", str(_month(10)))
            await propose(northwind, world, "Own plan", str(_month(10)), visibility="INTERNAL")
            await _kept(northwind, contoso, world, "First", _month(9))
            late = await _kept(northwind, contoso, world, "Second, late", _month(8))
            await _kept(northwind, contoso, world, "Third", _month(7))
            await agreed(northwind, contoso, world, "Fourth, missed", str(_month(6)))
            await _kept(northwind, contoso, world, "Fifth", _month(5))
            await _kept(northwind, contoso, world, "Sixth", _month(2))
            await agreed(northwind, contoso, world, "Seventh, missed", str(_month(1)))
        await owner.execute(
            "UPDATE commitment SET delivered_at = $2 WHERE id = $1",
            raw_id(late["id"]),
            datetime.combine(_month(8) + timedelta(days=3), time(12), UTC),
        )

        # when
        seen_by_northwind = await _builtins(northwind, world)
        seen_by_contoso = await _builtins(contoso, world)

    # then: both sides read the same figures, named for whose rate it is; Contoso has had
    # nothing due, so no figure and no built-in KPI of its own yet
    assert seen_by_contoso == seen_by_northwind
    assert list(seen_by_northwind) == [NORTHWIND]
    ours = seen_by_northwind[NORTHWIND]
    assert ours["ownerParty"] == {"label": "Supplier"}
    assert (ours["baselineValue"], ours["baselineDate"]) == (60.0, str(_month(9, 1)))
    assert (ours["targetValue"], ours["targetDate"]) == (95.0, str(_month(-3, 1)))
    assert (ours["warningThreshold"], ours["criticalThreshold"]) == (90.0, 75.0)
    assert ours["measurements"] == [
        {"period": str(_month(m, 1)), "value": v}
        for m, v in ((9, 100.0), (8, 0.0), (7, 100.0), (6, 0.0), (5, 100.0), (2, 100.0), (1, 0.0))
    ]
    # last month 0 %, below the 60 % baseline: no progress, not "171.4 % behind the baseline"
    assert ours["evidence"] == {"latestValue": 0.0, "progressPercent": 0.0}
    assert ours["status"] == "OFF_TRACK"


async def test_a_side_whose_commitments_fell_due_over_a_year_ago_reads_stale(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given: Contoso kept one commitment, due fourteen months ago (the last twelve are
        # measured); the partnership started two years ago, or (as the world has it) today
        with stopped_at(datetime.combine(_month(15, 1), time(9), UTC)):
            kept = await delivered(contoso, northwind, world, "Long ago", str(_month(14)))
            await step(northwind, CONFIRM, kept)
        started_today = (await _builtins(northwind, world))[CONTOSO]
        await owner.execute(
            "UPDATE partnership SET activated_at = now() - interval '2 years' WHERE id = $1",
            world.northwind_contoso.id,
        )

        # when
        theirs = (await _builtins(northwind, world))[CONTOSO]

    # then: its baseline stays, no month of the last twelve is measured
    assert (theirs["baselineValue"], theirs["baselineDate"]) == (100.0, str(_month(14, 1)))
    assert theirs["measurements"] == []
    assert theirs["evidence"] == {"latestValue": None, "progressPercent": None}
    assert theirs["status"] == "STALE"
    # while the partnership was less than a month old, its baseline (100 %) read on track
    assert started_today["status"] == "ON_TRACK"
