"""The feedback list's filters (status, severity, side, breached or at risk), each sorted by due
time: the earliest running clock's due moment first."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from tests.commitments.factories import ClientFactory, both_sides
from tests.feedback.factories import ACKNOWLEDGE, LIST, act, submit
from tests.helpers import World, gql

# (title, first response due in minutes, first response at risk since minutes ago)
DUE = {"Acknowledged one": (180, None), "Breached one": (-1, -30), "At risk one": (60, 5)}


async def _titles(client: httpx.AsyncClient, world: World, **where: Any) -> list[str]:
    body = await gql(client, LIST, {"id": world.nc_id, "filter": where or None})
    return [n["title"] for n in body["data"]["partnership"]["feedback"]["nodes"]]


async def test_each_filter_of_the_list_sorted_by_due_time(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given two items Contoso submitted (one acknowledged) and one it received
        acknowledged = await submit(contoso, world, "Acknowledged one", severity="HIGH")
        await submit(contoso, world, "Breached one", severity="LOW")
        await submit(northwind, world, "At risk one", severity="MEDIUM")
        await act(northwind, ACKNOWLEDGE, acknowledged)
        # with due times set: one breached a minute ago, one at risk, one due in 3 hours
        for title, (due, risk) in DUE.items():
            await owner.execute(
                "UPDATE feedback SET due_at = now() + make_interval(mins => $2), "
                "fr_due_at = CASE WHEN fr_stopped_at IS NULL "
                "THEN now() + make_interval(mins => $2) END, "
                "fr_risk_at = CASE WHEN $3::int IS NULL THEN fr_risk_at "
                "ELSE now() - make_interval(mins => $3::int) END WHERE title = $1",
                title,
                due,
                risk,
            )

        # then, as Contoso sees them
        assert await _titles(contoso, world) == ["Breached one", "At risk one", "Acknowledged one"]
        assert await _titles(contoso, world, status=["ACKNOWLEDGED"]) == ["Acknowledged one"]
        assert await _titles(contoso, world, severity=["LOW", "MEDIUM"]) == [
            "Breached one", "At risk one",
        ]  # fmt: skip
        assert await _titles(contoso, world, side="SUBMITTED_BY_US") == [
            "Breached one", "Acknowledged one",
        ]  # fmt: skip
        assert await _titles(contoso, world, side="RECEIVED_BY_US") == ["At risk one"]
        assert await _titles(contoso, world, clock=["BREACHED"]) == ["Breached one"]
        assert await _titles(contoso, world, clock=["AT_RISK"]) == ["At risk one"]
        assert await _titles(contoso, world, clock=["BREACHED", "AT_RISK"]) == [
            "Breached one", "At risk one",
        ]  # fmt: skip
        # and Northwind's sides are the other way round
        assert await _titles(northwind, world, side="RECEIVED_BY_US") == [
            "Breached one", "Acknowledged one",
        ]  # fmt: skip
