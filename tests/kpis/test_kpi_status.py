"""KPI status from thresholds in both directions, STALE per cadence (never before a whole
period has passed since the KPI started), period normalisation, and corrections that keep
every earlier value."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import asyncpg
import httpx

from tests.commitments.factories import ClientFactory, raw_id, signed_in
from tests.helpers import World, gql
from tests.kpis.factories import create_kpi, periods_ago, record, today

STATUS = """
query($id: ID!) {
  node(id: $id) {
    ... on Kpi {
      status
      latestMeasurement { period value }
      measurements(last: 12) { period value version revisions { value source note } }
    }
  }
}
"""


async def _read(client: httpx.AsyncClient, kpi_id: str) -> dict[str, Any]:
    body = await gql(client, STATUS, {"id": kpi_id})
    node: dict[str, Any] = body["data"]["node"]
    return node


async def _statuses_after(
    client: httpx.AsyncClient, world: World, kpi_id: str, values: list[float]
) -> list[str]:
    """Report each value for the current month in turn, reading the status after each."""
    period = str(periods_ago("MONTHLY", 0))
    statuses = []
    for value in values:
        result = await record(client, world, [{"kpiId": kpi_id, "period": period, "value": value}])
        assert result["userErrors"] == [], result
        statuses.append((await _read(client, kpi_id))["status"])
    return statuses


async def test_higher_is_better_against_warning_and_critical_thresholds(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        # given: warning 85, critical 70
        kpi = await create_kpi(northwind, world, "On-time delivery", direction="HIGHER_IS_BETTER")

        # when
        statuses = await _statuses_after(northwind, world, kpi["id"], [92, 85, 84.9, 70, 69.9])

    # then
    assert statuses == ["ON_TRACK", "ON_TRACK", "AT_RISK", "AT_RISK", "OFF_TRACK"]


async def test_lower_is_better_against_warning_and_critical_thresholds(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        # given: a defect rate, warning 1.0 %, critical 1.5 %
        kpi = await create_kpi(
            northwind,
            world,
            "Defect rate",
            direction="LOWER_IS_BETTER",
            baselineValue=1.5,
            targetValue=0.3,
            warningThreshold=1.0,
            criticalThreshold=1.5,
        )

        # when
        statuses = await _statuses_after(northwind, world, kpi["id"], [0.3, 1.0, 1.01, 1.5, 1.6])

    # then
    assert statuses == ["ON_TRACK", "ON_TRACK", "AT_RISK", "AT_RISK", "OFF_TRACK"]


async def test_stale_once_the_last_full_period_has_no_measurement(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        # given: per cadence, a KPI measured this period, one last period, one the period
        # before, and one never measured, all defined a year ago; every value is on track
        rows, names = [], {}
        for cadence in ("WEEKLY", "MONTHLY", "QUARTERLY"):
            for ago in (0, 1, 2, None):
                name = f"{cadence} {ago}"
                kpi = await create_kpi(northwind, world, name, cadence=cadence)
                names[kpi["id"]] = name
                if ago is not None:
                    rows.append(
                        {"kpiId": kpi["id"], "period": str(periods_ago(cadence, ago)), "value": 90}
                    )
        recorded = await record(northwind, world, rows)
        await owner.execute("UPDATE kpi SET created_at = now() - interval '1 year'")

        # when
        statuses = {names[i]: (await _read(northwind, i))["status"] for i in names}

    # then
    assert recorded["created"] == 9
    assert statuses == {
        f"{cadence} {ago}": "STALE" if ago in (2, None) else "ON_TRACK"
        for cadence in ("WEEKLY", "MONTHLY", "QUARTERLY")
        for ago in (0, 1, 2, None)
    }


async def _defined_on(owner: asyncpg.Connection, kpi: dict[str, Any], day: date) -> None:
    """As if the KPI had been defined at noon (UTC) on `day`."""
    await owner.execute(
        "UPDATE kpi SET created_at = $2 WHERE id = $1",
        raw_id(kpi["id"]),
        datetime.combine(day, time(12), UTC),
    )


async def test_a_kpi_is_stale_only_once_a_whole_period_has_passed_since_it_started(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        # given: none measured; per cadence one defined today, one defined a day short of a
        # whole period ago and one a whole period ago (a quarter: from 92 days on), and one
        # defined long ago whose baseline date (its start) is a day ahead
        now = today()
        ages = {"WEEKLY": (6, 7), "MONTHLY": (27, 31), "QUARTERLY": (88, 92)}
        kpis: dict[str, dict[str, Any]] = {}
        for cadence, (short, whole) in ages.items():
            for age, days in (("today", 0), ("short", short), ("whole", whole)):
                kpi = await create_kpi(
                    northwind, world, f"{cadence} {age}", cadence=cadence, baselineValue=90
                )
                await _defined_on(owner, kpi, now - timedelta(days=days))
                kpis[f"{cadence} {age}"] = kpi
            later = await create_kpi(
                northwind,
                world,
                f"{cadence} later",
                cadence=cadence,
                baselineValue=90,
                baselineDate=str(now + timedelta(days=1)),
            )
            await _defined_on(owner, later, now - timedelta(days=400))
            kpis[f"{cadence} later"] = later
        # and: a monthly one defined today, its baseline (the last value known) off track
        off = await create_kpi(northwind, world, "Off from the start", baselineValue=60)

        # when
        statuses = {name: (await _read(northwind, k["id"]))["status"] for name, k in kpis.items()}
        new_and_off = (await _read(northwind, off["id"]))["status"]

    # then: thresholds on the baseline (90: on track) until a whole period has passed
    assert statuses == {
        f"{cadence} {age}": "STALE" if age == "whole" else "ON_TRACK"
        for cadence in ages
        for age in ("today", "short", "whole", "later")
    }
    assert new_and_off == "OFF_TRACK"


async def test_a_kpi_defined_today_with_an_old_measurement_is_not_stale_yet(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        # given: defined today, its history reported from three months back only
        kpi = await create_kpi(northwind, world, "Backfilled")
        period = str(periods_ago("MONTHLY", 3))
        await record(northwind, world, [{"kpiId": kpi["id"], "period": period, "value": 90}])

        # when
        fresh = (await _read(northwind, kpi["id"]))["status"]
        await _defined_on(owner, kpi, today() - timedelta(days=40))
        later = (await _read(northwind, kpi["id"]))["status"]

    # then
    assert (fresh, later) == ("ON_TRACK", "STALE")


async def test_any_day_of_a_period_maps_to_its_first_day(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        # given
        kpis = {
            cadence: await create_kpi(northwind, world, cadence, cadence=cadence)
            for cadence in ("WEEKLY", "MONTHLY", "QUARTERLY")
        }
        sunday = date(2025, 6, 15)  # a Sunday: its week began on Monday 9 June

        # when: a Sunday, the 17th of a month, a day in the middle of a quarter
        first = await record(
            northwind,
            world,
            [
                {"kpiId": kpis["WEEKLY"]["id"], "period": str(sunday), "value": 80},
                {"kpiId": kpis["MONTHLY"]["id"], "period": "2025-06-17", "value": 81},
                {"kpiId": kpis["QUARTERLY"]["id"], "period": "2025-05-20", "value": 82},
            ],
        )
        # and: other days of the same periods, the same values, then a new value
        same = await record(
            northwind,
            world,
            [
                {
                    "kpiId": kpis["WEEKLY"]["id"],
                    "period": str(sunday - timedelta(days=3)),
                    "value": 80,
                },
                {"kpiId": kpis["MONTHLY"]["id"], "period": "2025-06-30", "value": 81},
                {"kpiId": kpis["QUARTERLY"]["id"], "period": "2025-04-01", "value": 82},
            ],
        )
        changed = await record(
            northwind,
            world,
            [{"kpiId": kpis["QUARTERLY"]["id"], "period": "2025-06-30", "value": 83}],
        )

    # then
    assert [m["period"] for m in first["measurements"]] == [
        "2025-06-09",
        "2025-06-01",
        "2025-04-01",
    ]
    assert (same["created"], same["corrected"], same["unchanged"]) == (0, 0, 3)
    assert (changed["created"], changed["corrected"]) == (0, 1)
    assert changed["measurements"] == [
        {"period": "2025-04-01", "value": 83, "source": "MANUAL", "note": ""}
    ]
    assert await owner.fetchval("SELECT count(*) FROM kpi_measurement") == 3


async def test_corrections_keep_every_earlier_value_in_order(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with (
        signed_in(make_client, owner, world, "editor@northwind.example") as editor,
        signed_in(make_client, owner, world, "lead@northwind.example") as lead,
    ):
        # given
        kpi = await create_kpi(editor, world, "On-time delivery")
        period = str(periods_ago("MONTHLY", 1))
        row = {"kpiId": kpi["id"], "period": period}

        # when: the first value, then three corrections (one only changes the note)
        await record(editor, world, [{**row, "value": 70}])
        await record(lead, world, [{**row, "value": 75, "note": "late invoices counted"}])
        await record(editor, world, [{**row, "value": 75, "note": "invoices re-dated"}])
        await record(lead, world, [{**row, "value": 88}])
        node = await _read(editor, kpi["id"])

    # then
    (measurement,) = node["measurements"]
    assert (measurement["period"], measurement["value"], measurement["version"]) == (period, 88, 4)
    assert measurement["revisions"] == [
        {"value": 70, "source": "MANUAL", "note": ""},
        {"value": 75, "source": "MANUAL", "note": "late invoices counted"},
        {"value": 75, "source": "MANUAL", "note": "invoices re-dated"},
    ]
    assert node["latestMeasurement"] == {"period": period, "value": 88}
    assert node["status"] == "ON_TRACK"
