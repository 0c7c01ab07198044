"""The register's report section (kit/reports.py): every SHARED risk as of the report's moment
with each side's latest scores then, its treatment and acceptances, as plain JSON."""

from __future__ import annotations

import json
from datetime import timedelta

import asyncpg
from sqlalchemy.engine import URL

from mutual.db import Database
from mutual.graphql.ids import to_global_id
from mutual.kit.clock import today
from mutual.kit.demo import acting
from mutual.kit.principal import user_principal
from mutual.schema import DOMAINS
from mutual.tenancy.workspace import load_workspace
from tests.commitments.factories import ClientFactory, both_sides, mutate, only_record
from tests.helpers import World
from tests.risks.factories import TREAT, assess, create_risk


async def test_the_section_freezes_the_shared_register_as_of_its_moment(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World, app_database_url: URL
) -> None:
    async with both_sides(
        make_client, owner, world, northwind="governance", contoso="governance"
    ) as (northwind, contoso):
        # given a shared risk scored 4x4 by Northwind and 2x3 by Contoso, and accepted
        risk = await create_risk(northwind, world, "Peak capacity")
        await assess(northwind, risk, 4, 4)
        scored = await assess(contoso, risk, 2, 3, residualLikelihood=2, residualImpact=2)
        only_record(
            await mutate(northwind, TREAT, riskId=risk["id"], expectedVersion=scored["version"],
                         treatment="ACCEPT", reason="Peak is short",
                         approverId=to_global_id("User", world.user_id("lead@northwind.example")),
                         expiresOn=(today() + timedelta(days=90)).isoformat()),
            "risk",
        )  # fmt: skip
        await create_risk(northwind, world, "Our own", visibility="INTERNAL")
        moment = await owner.fetchval("SELECT clock_timestamp()")
        # and, after the report's moment, Northwind scores it again
        await assess(northwind, risk, 5, 5)

    (section,) = [d.report_sections["risks"] for d in DOMAINS if "risks" in d.report_sections]
    database = Database(app_database_url, pool_size=1)
    reader = user_principal(world.users["viewer@contoso.example"])
    try:
        async with acting(database, reader) as session:
            workspace = await load_workspace(
                session, actor=reader, partnership_id=world.northwind_contoso.id
            )
            then = await section(session, workspace, moment)
            now = await section(session, workspace, moment + timedelta(hours=1))
    finally:
        await database.dispose()

    # then the section holds the shared risk only, with the scores made by its moment
    assert json.loads(json.dumps(then)) == then  # plain JSON values
    (row,) = then["rows"]
    assert (row["title"], row["owner"], row["treatment"]) == ("Peak capacity", "Supplier", "ACCEPT")
    scores = {s["party"]: s for s in row["scores"]}
    assert scores["Supplier"]["inherent"] == {
        "likelihood": 4, "impact": 4, "score": 16, "band": "CRITICAL"
    }  # fmt: skip
    assert scores["Customer"]["residual"]["score"] == 4
    assert row["divergence"] == 4  # 4x4 and 2x2
    (acceptance,) = row["acceptances"]
    assert (acceptance["party"], acceptance["in_force"]) == ("Supplier", True)
    (later,) = now["rows"]
    assert {s["party"]: s["inherent"]["score"] for s in later["scores"]} == {
        "Supplier": 25,
        "Customer": 6,
    }
