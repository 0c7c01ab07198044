"""Governance's report sections, as of a moment: published versions with their hashes and the
partner's receipts, decisions with each side's verdicts; nothing INTERNAL, nothing later."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import URL

from mutual.db import Database
from mutual.governance.report import decisions_section, disclosures_section
from mutual.kit.identity import set_user_identity
from mutual.kit.principal import Principal
from mutual.tenancy.workspace import load_workspace
from tests.governance.conftest import People
from tests.governance.factories import ACKNOWLEDGE, APPROVE, PROPOSE, call, draft, ok
from tests.governance.factories import published_disclosure as published
from tests.helpers import World


async def _sections(app_database_url: URL, world: World, email: str, as_of: datetime) -> Any:
    user = world.users[email]
    actor = Principal(
        user_id=user.id,
        organization_id=user.organization_id,
        org_role=user.org_role,
        email=user.email,
        display_name=user.display_name,
    )
    database = Database(app_database_url, pool_size=1)
    try:
        async with database.session() as session, session.begin():
            await set_user_identity(session, user.id)
            workspace = await load_workspace(
                session, actor=actor, partnership_id=world.northwind_contoso.id
            )
            return (
                await disclosures_section(session, workspace, as_of),
                await decisions_section(session, workspace, as_of),
            )
    finally:
        await database.dispose()


async def test_the_sections_hold_what_both_sides_may_read_as_of_the_moment(
    people: People, world: World, app_database_url: URL
) -> None:
    # given a published, acknowledged version, a draft, and an approved decision
    version = await published(people.nw_gov, people.nw_lead, world, title="Policy")
    ok(await call(people.co_gov, ACKNOWLEDGE, versionId=version["id"]))
    await draft(people.nw_gov, world, title="Secret draft")
    decision = ok(
        await call(people.nw_lead, PROPOSE, partnershipId=world.nc_id, title="Tuesdays"),
        "decision",
    )
    ok(await call(people.nw_lead, APPROVE, decisionId=decision["id"], comment="Yes"), "decision")
    ok(await call(people.co_lead, APPROVE, decisionId=decision["id"], comment="Ok"), "decision")
    now = datetime.now(UTC) + timedelta(seconds=1)

    # when Contoso reads the sections now, and as of an hour ago
    disclosures, decisions = await _sections(app_database_url, world, "lead@contoso.example", now)
    before = await _sections(
        app_database_url, world, "lead@contoso.example", now - timedelta(hours=1)
    )

    # then: the published version with its hash and Contoso's receipt, and the decision
    (row,) = disclosures["rows"]
    assert row["title"] == "Policy"
    assert row["content_hash"] == version["contentHash"]
    assert [a["content_hash"] for a in row["acknowledgements"]] == [version["contentHash"]]
    (logged,) = decisions["rows"]
    assert logged["status"] == "APPROVED"
    assert [v["comment"] for v in logged["verdicts"]] == ["Yes", "Ok"]
    assert "Secret draft" not in json.dumps([disclosures, decisions])  # plain JSON, no draft
    assert before[0]["rows"] == [] and before[1]["rows"] == []
