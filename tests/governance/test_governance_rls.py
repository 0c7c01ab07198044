"""Row-level security of the governance tables on its own: direct SQL as the application role.
Without an identity nothing shows; the other side sees published versions, their files and
receipts, never a draft, its attachment or its file; the reminder's SECURITY DEFINER function
shows only published versions; and the receipts and verdicts are append-only."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from tests.governance.conftest import People
from tests.governance.factories import (
    ACKNOWLEDGE,
    APPROVE,
    ATTACH,
    PROPOSE,
    b64,
    call,
    draft,
    ok,
    publish,
)
from tests.helpers import World

TABLES = (
    "disclosure",
    "disclosure_version",
    "disclosure_file",
    "disclosure_attachment",
    "disclosure_acknowledgement",
    "decision",
    "decision_approver",
    "decision_vote",
)


async def _counts(conn: asyncpg.Connection, user_id: uuid.UUID | None) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    async with conn.transaction():
        if user_id is not None:
            await conn.execute("SELECT set_config('mutual.user_id', $1, true)", str(user_id))
        for table in TABLES:
            rows = await conn.fetch(
                f"SELECT visibility, count(*) AS n FROM {table} GROUP BY visibility"
            )
            found[table] = {r["visibility"]: r["n"] for r in rows}
    return found


async def _fill(people: People, world: World) -> None:
    """Northwind: a published version with a file, acknowledged by Contoso; a draft with a
    file; a decision with a verdict."""
    for title in ("Published", "Draft"):
        version = await draft(people.nw_gov, world, title=title)
        attached = ok(
            await call(
                people.nw_gov,
                ATTACH,
                versionId=version["id"],
                filename=f"{title}.txt",
                contentType="text/plain",
                contentBase64=b64(title.encode()),
            )
        )
        if title == "Published":
            published = await publish(people.nw_gov, people.nw_lead, attached)
            ok(await call(people.co_gov, ACKNOWLEDGE, versionId=published["id"]))
    decision = ok(
        await call(people.nw_lead, PROPOSE, partnershipId=world.nc_id, title="D"), "decision"
    )
    ok(await call(people.nw_lead, APPROVE, decisionId=decision["id"], comment="ok"), "decision")


async def test_each_side_sees_what_it_may_and_nothing_without_identity(
    people: People, world: World, app_conn: asyncpg.Connection
) -> None:
    await _fill(people, world)

    nobody = await _counts(app_conn, None)
    northwind = await _counts(app_conn, world.user_id("governance@northwind.example"))
    contoso = await _counts(app_conn, world.user_id("governance@contoso.example"))

    assert nobody == {t: {} for t in TABLES}
    assert northwind["disclosure"] == {"SHARED": 1, "INTERNAL": 1}
    assert northwind["disclosure_version"] == {"SHARED": 1, "INTERNAL": 1}
    assert northwind["disclosure_file"] == {"SHARED": 1, "INTERNAL": 1}
    assert contoso["disclosure"] == {"SHARED": 1}
    assert contoso["disclosure_version"] == {"SHARED": 1}
    assert contoso["disclosure_file"] == {"SHARED": 1}
    assert contoso["disclosure_attachment"] == {"SHARED": 1}
    assert contoso["disclosure_acknowledgement"] == {"SHARED": 1}
    assert contoso["decision"] == contoso["decision_vote"] == {"SHARED": 1}


async def test_the_reminder_function_shows_only_published_versions(
    people: People, world: World, app_conn: asyncpg.Connection
) -> None:
    await _fill(people, world)
    version = await draft(people.co_gov, world, title="Contoso draft")
    await publish(people.co_gov, people.co_lead, version)

    rows = await app_conn.fetch("SELECT * FROM governance_pending_acknowledgements()")

    # Northwind's published one is acknowledged; Contoso's waits for Northwind
    assert [(r["title"], r["party_id"]) for r in rows] == [
        ("Contoso draft", world.parties[("nc", "northwind")].id)
    ]


@pytest.mark.parametrize(
    "statement",
    ["UPDATE disclosure_acknowledgement SET content_hash = 'x'", "DELETE FROM decision_vote"],
)
async def test_receipts_and_verdicts_are_append_only(
    statement: str, people: People, world: World, app_conn: asyncpg.Connection
) -> None:
    await _fill(people, world)
    async with app_conn.transaction():
        await app_conn.execute(
            "SELECT set_config('mutual.user_id', $1, true)",
            str(world.user_id("governance@contoso.example")),
        )
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await app_conn.execute(statement)
