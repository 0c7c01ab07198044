"""The risk register with both sides' latest scores and the heat map (bench/risks.py) takes the
same number of SQL statements whatever the size of the register: 6 risks x 3 assessments or 80
risks x 20."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from bench.risks import REGISTER, fill_risks
from mutual.db import counting
from mutual.tenancy.models import Partnership
from tests.helpers import World, gql, login


async def _register(
    client: httpx.AsyncClient, world: World, partnership: Partnership
) -> tuple[list[str], dict[str, Any]]:
    async with counting() as counter:
        body = await gql(client, REGISTER, {"id": world.gid(partnership)})
    return counter.statements, body["data"]["partnership"]


async def test_the_register_and_heat_map_take_the_same_statements_at_any_size(
    client: httpx.AsyncClient, world: World, owner: asyncpg.Connection
) -> None:
    # given Northwind <-> Contoso small and Fabrikam <-> Contoso large; Contoso's lead reads
    await fill_risks(owner, world.northwind_contoso.id, risks=6, assessments=3)
    await fill_risks(owner, world.fabrikam_contoso.id, risks=80, assessments=20)
    await login(client, "lead@contoso.example")

    small, small_register = await _register(client, world, world.northwind_contoso)
    large, large_register = await _register(client, world, world.fabrikam_contoso)

    assert small_register["risks"]["totalCount"] <= 6
    assert large_register["risks"]["totalCount"] > 60
    for register in (small_register, large_register):  # both read both sides' scores
        assert any(
            all(s["latest"] for s in n["scores"]) and len(n["scores"]) == 2
            for n in register["risks"]["nodes"]
        )
        assert sum(c["count"] for c in register["riskHeatMap"]["combined"]) > 0
    # identity, the workspace, the register page with both sides' latest scores, the heat map
    assert len(small) == len(large) == 4, large
