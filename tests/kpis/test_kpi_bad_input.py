"""Bad input on KPIs: stale versions, invalid definitions, the wrong side or role, the other
side's INTERNAL KPI, and batches with one bad row; each is refused with a code and stores
nothing."""

from __future__ import annotations

import json
import uuid
from functools import partial
from typing import Any

import asyncpg

from mutual.graphql.ids import to_global_id
from tests.commitments.factories import (
    ClientFactory,
    audit_count,
    both_sides,
    mutate,
    only_error,
    raw_id,
    signed_in,
)
from tests.helpers import JSON_HEADERS, World, error_codes, gql, login
from tests.kpis.factories import (
    CREATE_KPI,
    DEFINITION,
    RECORD,
    UPDATE_KPI,
    create_kpi,
    measurement_rows,
    periods_ago,
    record,
)

NODE = "query($id: ID!) { node(id: $id) { id ... on Kpi { name } } }"

UNKNOWN_KPI = to_global_id("Kpi", uuid.UUID(int=0))


async def _kpi_rows(owner: asyncpg.Connection) -> list[tuple[Any, ...]]:
    rows = await owner.fetch(
        "SELECT name, version, target_value, warning_threshold, critical_threshold, target_date "
        "FROM kpi ORDER BY name"
    )
    return [tuple(r) for r in rows]


_only_error = partial(only_error, record="kpi")


async def test_a_stale_kpi_version_is_a_conflict_carrying_the_kpi_as_it_is_now(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with (
        signed_in(make_client, owner, world, "editor@northwind.example") as editor,
        signed_in(make_client, owner, world, "lead@northwind.example") as lead,
    ):
        # given: the lead raised the target while the editor still had version 1
        kpi = await create_kpi(editor, world, "On-time delivery")
        await mutate(lead, UPDATE_KPI, kpiId=kpi["id"], expectedVersion=1, targetValue=95)
        stored = await _kpi_rows(owner)
        events = await audit_count(owner, world.northwind_contoso.id)

        # when
        stale = await mutate(
            editor, UPDATE_KPI, kpiId=kpi["id"], expectedVersion=1, name="On-time delivery rate"
        )

        # then
        error = _only_error(stale)
        assert (error["code"], error["field"]) == ("CONFLICT", "expectedVersion")
        assert error["current"] == {"name": "On-time delivery", "version": 2, "targetValue": 95}
        assert await _kpi_rows(owner) == stored
        assert await audit_count(owner, world.northwind_contoso.id) == events


async def test_invalid_definitions_are_refused_with_the_field_at_fault(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        # given
        kpi = await create_kpi(
            northwind,
            world,
            "Defect rate",
            direction="LOWER_IS_BETTER",
            warningThreshold=1.0,
            criticalThreshold=1.5,
        )
        other = await create_kpi(northwind, world, "On-time delivery")
        stored = await _kpi_rows(owner)

        # when
        def create(**fields: Any) -> dict[str, Any]:
            return {"partnershipId": world.nc_id, "name": "Candidate", **DEFINITION, **fields}

        attempts = [
            await mutate(northwind, CREATE_KPI, **create(criticalThreshold=90)),
            await mutate(
                northwind,
                CREATE_KPI,
                **create(direction="LOWER_IS_BETTER", warningThreshold=6, criticalThreshold=4),
            ),
            await mutate(
                northwind, CREATE_KPI, **create(baselineDate="2026-01-01", targetDate="2025-12-31")
            ),
            await mutate(northwind, CREATE_KPI, **create(name="  ")),
            await mutate(northwind, CREATE_KPI, **create(unit="x" * 21)),
            await mutate(northwind, CREATE_KPI, **create(name="Defect rate")),
            await mutate(northwind, CREATE_KPI, **create(name=" Defect rate  ")),
            await mutate(
                northwind, UPDATE_KPI, kpiId=other["id"], expectedVersion=1, name="Defect rate "
            ),
            await mutate(northwind, UPDATE_KPI, kpiId=other["id"], expectedVersion=1, name=" "),
            await mutate(
                northwind, UPDATE_KPI, kpiId=kpi["id"], expectedVersion=1, criticalThreshold=0.5
            ),
            await mutate(
                northwind, UPDATE_KPI, kpiId=kpi["id"], expectedVersion=1, targetDate="2024-12-31"
            ),
        ]

        # then
        assert [(_only_error(a)["code"], _only_error(a)["field"]) for a in attempts] == [
            ("INVALID", "criticalThreshold"),
            ("INVALID", "criticalThreshold"),
            ("INVALID", "targetDate"),
            ("INVALID", "name"),
            ("INVALID", "unit"),
            ("DUPLICATE_NAME", "name"),
            ("DUPLICATE_NAME", "name"),
            ("DUPLICATE_NAME", "name"),
            ("INVALID", "name"),
            ("INVALID", "criticalThreshold"),
            ("INVALID", "targetDate"),
        ]
        assert await _kpi_rows(owner) == stored


async def test_a_renamed_kpi_keeps_no_surrounding_spaces(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        # given
        kpi = await create_kpi(northwind, world, "  On-time delivery ")

        # when
        renamed = await mutate(
            northwind, UPDATE_KPI, kpiId=kpi["id"], expectedVersion=1, name="  Delivery rate  "
        )
        unchanged = await mutate(
            northwind, UPDATE_KPI, kpiId=kpi["id"], expectedVersion=2, name="Delivery rate "
        )

    # then
    assert kpi["name"] == "On-time delivery"
    assert renamed["userErrors"] == []
    assert (renamed["kpi"]["name"], renamed["kpi"]["version"]) == ("Delivery rate", 2)
    assert (unchanged["kpi"]["name"], unchanged["kpi"]["version"]) == ("Delivery rate", 2)
    assert await owner.fetchval("SELECT name FROM kpi") == "Delivery rate"


async def test_only_the_owner_side_edits_a_definition_or_reports_its_values(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world, contoso="lead") as (northwind, contoso):
        # given: a SHARED KPI of Northwind's, visible to Contoso
        kpi = await create_kpi(northwind, world, "On-time delivery")
        stored = await _kpi_rows(owner)

        # when
        edit = await mutate(contoso, UPDATE_KPI, kpiId=kpi["id"], expectedVersion=1, targetValue=99)
        report = await record(
            contoso,
            world,
            [{"kpiId": kpi["id"], "period": str(periods_ago("MONTHLY", 0)), "value": 99}],
        )

        # then
        assert _only_error(edit)["code"] == "FORBIDDEN"
        assert [(e["code"], e["field"]) for e in report["userErrors"]] == [
            ("BAD_ROW", "measurements[0].kpiId")
        ]
        assert await _kpi_rows(owner) == stored
        assert await measurement_rows(owner) == []


async def test_the_other_sides_internal_kpi_answers_like_an_unknown_id(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world, contoso="lead") as (northwind, contoso):
        # given
        internal = await create_kpi(northwind, world, "Margin", visibility="INTERNAL")
        period = str(periods_ago("MONTHLY", 0))
        stored = await _kpi_rows(owner)

        # when
        node = await gql(contoso, NODE, {"id": internal["id"]}, expect_errors=True)
        answers = {
            kpi_id: (
                await mutate(contoso, UPDATE_KPI, kpiId=kpi_id, expectedVersion=1, name="x"),
                await record(contoso, world, [{"kpiId": kpi_id, "period": period, "value": 1}]),
            )
            for kpi_id in (internal["id"], UNKNOWN_KPI)
        }

        # then
        assert error_codes(node) == ["NOT_FOUND"]
        assert node["data"]["node"] is None
        update, batch = answers[internal["id"]]
        assert _only_error(update)["code"] == "NOT_FOUND"
        assert batch["userErrors"][0]["code"] == "BAD_ROW"
        assert (update["userErrors"], batch["userErrors"]) == (
            answers[UNKNOWN_KPI][0]["userErrors"],
            answers[UNKNOWN_KPI][1]["userErrors"],
        )
        assert len(batch["userErrors"]) == 1
        assert await _kpi_rows(owner) == stored
        assert await measurement_rows(owner) == []


async def test_viewers_and_governance_members_cannot_write_kpis(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        kpi = await create_kpi(northwind, world, "On-time delivery")
    stored = await _kpi_rows(owner)
    row = {"kpiId": kpi["id"], "period": str(periods_ago("MONTHLY", 0)), "value": 80}

    for email in ("viewer@northwind.example", "governance@northwind.example"):
        async with signed_in(make_client, owner, world, email) as member:
            # when
            attempts = [
                await mutate(
                    member, CREATE_KPI, partnershipId=world.nc_id, name="Mine", **DEFINITION
                ),
                await mutate(member, UPDATE_KPI, kpiId=kpi["id"], expectedVersion=1, unit="pct"),
                await record(member, world, [row]),
            ]

            # then
            assert [[e["code"] for e in a["userErrors"]] for a in attempts] == [
                ["FORBIDDEN"]
            ] * 3, email
    assert await _kpi_rows(owner) == stored
    assert await measurement_rows(owner) == []


async def test_a_batch_with_one_bad_row_records_nothing(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        # given: one recorded value that a good row of each batch would correct
        kpi = await create_kpi(northwind, world, "On-time delivery")
        last_month, this_month = str(periods_ago("MONTHLY", 1)), str(periods_ago("MONTHLY", 0))
        await record(northwind, world, [{"kpiId": kpi["id"], "period": last_month, "value": 70}])
        stored = await measurement_rows(owner)
        events = await audit_count(owner, world.northwind_contoso.id)
        good = [
            {"kpiId": kpi["id"], "period": last_month, "value": 72},
            {"kpiId": kpi["id"], "period": this_month, "value": 75},
        ]
        milestone_id = to_global_id("Milestone", raw_id(kpi["id"]))

        # when
        batches = {
            "future period": [*good, {"kpiId": kpi["id"], "period": "2999-01-01", "value": 1}],
            "unknown id": [*good, {"kpiId": UNKNOWN_KPI, "period": this_month, "value": 1}],
            "not a KPI id": [*good, {"kpiId": milestone_id, "period": this_month, "value": 1}],
            "garbage id": [{"kpiId": "not-an-id", "period": this_month, "value": 1}, *good],
            "same period twice": [
                *good,
                {"kpiId": kpi["id"], "period": this_month[:8] + "28", "value": 76},
            ],
        }
        answers = {what: await record(northwind, world, rows) for what, rows in batches.items()}
        empty = await record(northwind, world, [])

        # then
        assert {
            what: [(e["code"], e["field"]) for e in a["userErrors"]] for what, a in answers.items()
        } == {
            "future period": [("BAD_ROW", "measurements[2].period")],
            "unknown id": [("BAD_ROW", "measurements[2].kpiId")],
            "not a KPI id": [("BAD_ROW", "measurements[2].kpiId")],
            "garbage id": [("BAD_ROW", "measurements[0].kpiId")],
            "same period twice": [("BAD_ROW", "measurements[2].period")],
        }
        assert "Row 2" in answers["same period twice"]["userErrors"][0]["message"]
        assert {(a["created"], a["corrected"], a["unchanged"]) for a in answers.values()} == {
            (0, 0, 0)
        }
        assert [(e["code"], e["field"]) for e in empty["userErrors"]] == [
            ("INVALID", "measurements")
        ]
        assert await measurement_rows(owner) == stored
        assert await audit_count(owner, world.northwind_contoso.id) == events


async def test_a_non_finite_value_is_refused_before_anything_is_recorded(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        # given
        kpi = await create_kpi(northwind, world, "On-time delivery")
        period = str(periods_ago("MONTHLY", 0))

        for value in ("NaN", "Infinity", "-Infinity", "1e999"):
            # when: JSON that Python reads as a non-finite float
            rows = (
                f'[{{"kpiId": "{kpi["id"]}", "period": "{period}", "value": 70}}, '
                f'{{"kpiId": "{kpi["id"]}", "period": "2020-01-01", "value": {value}}}]'
            )
            response = await northwind.post(
                "/graphql",
                content=(
                    '{"query": ' + json.dumps(RECORD) + ', "variables": {"input": '
                    f'{{"partnershipId": "{world.nc_id}", "measurements": {rows}}}}}}}'
                ),
                headers=JSON_HEADERS,
            )

            # then: a coded error, never a 500
            assert response.status_code == 200, response.text
            body = response.json()
            assert body.get("data") is None, body
            assert error_codes(body) == ["BAD_USER_INPUT"], body
    assert await measurement_rows(owner) == []


async def test_a_kpi_of_another_partnership_is_a_bad_row(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "editor@contoso.example") as contoso:
        # given: Contoso owns a KPI in each of its two partnerships
        ours = await create_kpi(contoso, world, "Forecast accuracy")
        fabrikams = await create_kpi(contoso, world, "Pick accuracy", partnership_id=world.fc_id)
        period = str(periods_ago("MONTHLY", 0))
        events = await audit_count(owner, world.northwind_contoso.id)

        # when: both sent in the Northwind ↔ Contoso batch
        body = await record(
            contoso,
            world,
            [
                {"kpiId": ours["id"], "period": period, "value": 81},
                {"kpiId": fabrikams["id"], "period": period, "value": 97},
            ],
        )

        # then
        assert body["created"] == 0
        assert len(body["userErrors"]) == 1
        error = body["userErrors"][0]
        assert (error["code"], error["field"]) == ("BAD_ROW", "measurements[1].kpiId")
        assert error["message"].startswith("Row 1:")
        assert await measurement_rows(owner) == []
        assert await audit_count(owner, world.northwind_contoso.id) == events


async def test_an_internal_kpi_name_of_the_other_side_neither_blocks_nor_shows(
    make_client: Any, world: World
) -> None:
    async with make_client() as northwind, make_client() as contoso:
        await login(northwind, "editor@northwind.example")
        await login(contoso, "editor@contoso.example")
        secret = {
            **DEFINITION,
            "partnershipId": world.nc_id,
            "name": "Margin erosion",
            "visibility": "INTERNAL",
        }
        mine = await gql(northwind, CREATE_KPI, {"input": secret})
        theirs = await gql(contoso, CREATE_KPI, {"input": {**secret, "visibility": "SHARED"}})
        again = await gql(northwind, CREATE_KPI, {"input": secret})

        assert mine["data"]["createKpi"]["userErrors"] == []
        assert theirs["data"]["createKpi"]["userErrors"] == []
        assert [e["code"] for e in again["data"]["createKpi"]["userErrors"]] == ["DUPLICATE_NAME"]
