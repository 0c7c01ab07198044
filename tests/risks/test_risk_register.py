"""The register scored by both sides: each side's latest score, their divergence, the register
sorted and filtered by it, and the heat map per side and combined with disagreements marked."""

from __future__ import annotations

import asyncpg
from sqlalchemy.engine import URL

from mutual.db import Database
from mutual.kit.demo import acting
from mutual.kit.principal import user_principal
from mutual.risks import repository
from tests.commitments.factories import ClientFactory, audit_count, both_sides, raw_id
from tests.helpers import World, gql
from tests.risks.factories import (
    HEAT_MAP,
    NODE,
    REGISTER,
    assess,
    create_risk,
    occupied,
)


async def test_each_side_scores_a_shared_risk_and_both_see_the_divergence(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(
        make_client, owner, world, northwind="governance", contoso="governance"
    ) as (northwind, contoso):
        # given a shared risk of Northwind's
        risk = await create_risk(northwind, world, "Peak-season capacity")
        assert risk["scores"][0]["party"]["label"] == "Supplier"
        assert [s["latest"] for s in risk["scores"]] == [None, None]
        assert risk["divergence"] is None
        events = await audit_count(owner, world.northwind_contoso.id)

        # when Northwind scores it 4x4 and Contoso 2x3
        await assess(northwind, risk, 4, 4, rationale="Peak demand is a guess")
        scored = await assess(contoso, risk, 2, 3, rationale="Forecast shared weekly now")

        # then the risk shows each side's latest score and how far apart they are
        by_side = {s["party"]["label"]: s["latest"] for s in scored["scores"]}
        assert by_side["Supplier"]["inherent"] == {
            "likelihood": 4, "impact": 4, "score": 16, "band": "CRITICAL"
        }  # fmt: skip
        assert by_side["Supplier"]["residual"]["score"] == 16  # the inherent when not given
        assert by_side["Customer"]["inherent"] == {
            "likelihood": 2, "impact": 3, "score": 6, "band": "MEDIUM"
        }  # fmt: skip
        assert by_side["Customer"]["assessedBy"]["email"] == "governance@contoso.example"
        assert scored["divergence"] == 3
        # every assessment is kept and audited in the same transaction
        node = (await gql(northwind, NODE, {"id": risk["id"]}))["data"]["node"]
        assert [a["party"]["label"] for a in node["assessments"]] == ["Customer", "Supplier"]
        assert await audit_count(owner, world.northwind_contoso.id) == events + 2
        stored = await owner.fetchval(
            "SELECT count(*) FROM risk_assessment WHERE risk_id = $1", raw_id(risk["id"])
        )
        assert stored == 2

        # and both sides see the disagreement on the heat map
        for client, own in ((northwind, "Supplier"), (contoso, "Customer")):
            body = await gql(client, HEAT_MAP, {"id": world.nc_id})
            heat = body["data"]["partnership"]["riskHeatMap"]
            assert heat["basis"] == "RESIDUAL"
            assert heat["disagreements"] == 1
            sides = {s["party"]["label"]: s for s in heat["sides"]}
            assert sides[own]["party"]["isOwn"] is True
            assert occupied(sides["Supplier"]["cells"]) == {(4, 4): (1, 1)}
            assert occupied(sides["Customer"]["cells"]) == {(2, 3): (1, 1)}
            assert occupied(heat["combined"]) == {(4, 4): (1, 1), (2, 3): (1, 1)}
            assert len(heat["combined"]) == 25


async def test_a_new_score_replaces_the_sides_latest_and_agreement_clears_the_mark(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        risk = await create_risk(northwind, world, "Defects at goods receipt", category="QUALITY")
        await assess(northwind, risk, 3, 3)
        await assess(contoso, risk, 4, 3)

        # when Northwind revises its score to Contoso's
        agreed = await assess(northwind, risk, 4, 3, residualLikelihood=3, residualImpact=3)
        agreed = await assess(contoso, risk, 4, 3, residualLikelihood=3, residualImpact=3)

        # then the latest scores agree: no divergence, no disputed cell
        assert agreed["divergence"] == 0
        body = await gql(contoso, HEAT_MAP, {"id": world.nc_id})
        heat = body["data"]["partnership"]["riskHeatMap"]
        assert heat["disagreements"] == 0
        assert occupied(heat["combined"]) == {(3, 3): (1, 0)}
        inherent = await gql(contoso, HEAT_MAP, {"id": world.nc_id, "basis": "INHERENT"})
        assert occupied(inherent["data"]["partnership"]["riskHeatMap"]["combined"]) == {
            (4, 3): (1, 0)
        }
        node = (await gql(contoso, NODE, {"id": risk["id"]}))["data"]["node"]
        assert len(node["assessments"]) == 4


async def test_the_register_sorts_and_filters_by_divergence_category_and_status(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given three risks the sides score 0, 2 and 5 cells apart, and one nobody scored
        near = await create_risk(northwind, world, "Near", category="QUALITY")
        await assess(northwind, near, 3, 3)
        await assess(contoso, near, 3, 3)
        mid = await create_risk(contoso, world, "Mid", category="DELIVERY")
        await assess(northwind, mid, 2, 2)
        await assess(contoso, mid, 3, 3)
        far = await create_risk(northwind, world, "Far", category="DELIVERY")
        await assess(northwind, far, 5, 4)
        await assess(contoso, far, 2, 2)
        await create_risk(contoso, world, "Unscored", category="OTHER")

        async def titles(**variables: object) -> list[str]:
            body = await gql(northwind, REGISTER, {"id": world.nc_id, **variables})
            return [n["title"] for n in body["data"]["partnership"]["risks"]["nodes"]]

        # when / then: sorted by divergence, most apart first (unscored last)
        order = {"field": "DIVERGENCE", "descending": True}
        assert await titles(order=order) == ["Far", "Mid", "Near", "Unscored"]
        assert (await titles(order={"field": "SCORE", "descending": True}))[:1] == ["Far"]
        assert await titles(order={"field": "TITLE"}) == ["Far", "Mid", "Near", "Unscored"]
        assert await titles(filter={"minDivergence": 2}, order=order) == ["Far", "Mid"]
        assert await titles(filter={"category": ["DELIVERY"]}, order=order) == ["Far", "Mid"]
        assert await titles(filter={"status": ["CLOSED"]}) == []
        heat = await gql(
            northwind, HEAT_MAP, {"id": world.nc_id, "filter": {"category": ["QUALITY"]}}
        )
        assert occupied(heat["data"]["partnership"]["riskHeatMap"]["combined"]) == {(3, 3): (1, 0)}


async def test_an_older_score_arriving_last_does_not_replace_the_newer_latest(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World, app_database_url: URL
) -> None:
    # given two scores of Northwind's, the second the latest
    async with both_sides(make_client, owner, world) as (northwind, _contoso):
        risk = await create_risk(northwind, world, "Peak capacity")
        await assess(northwind, risk, 2, 2)
        await assess(northwind, risk, 5, 5)
    risk_id = raw_id(risk["id"])
    older_id = await owner.fetchval(
        "SELECT id FROM risk_assessment WHERE risk_id = $1 ORDER BY assessed_at LIMIT 1", risk_id
    )
    newer_id = await owner.fetchval("SELECT owner_assessment_id FROM risk WHERE id = $1", risk_id)
    assert older_id != newer_id

    # when the older one's pointer update runs last (two scores at once)
    database = Database(app_database_url, pool_size=1)
    actor = user_principal(world.users["editor@northwind.example"])
    try:
        async with acting(database, actor) as session:
            stored = await repository.risk(session, risk_id)
            (older,) = await repository.assessments_by_id(session, [older_id])
            assert stored is not None
            await repository.point_latest(session, stored, older)
    finally:
        await database.dispose()

    # then the newer stays the side's latest
    assert await owner.fetchval("SELECT owner_assessment_id FROM risk WHERE id = $1", risk_id) == (
        newer_id
    )
