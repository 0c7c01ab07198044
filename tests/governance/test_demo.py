"""Governance's part of the recovery story runs through the services on the story's days and
leaves the pages filled: Northwind's process in two versions (version 1 acknowledged before it
was superseded, version 2 waiting for Contoso), Contoso's code of conduct acknowledged, a
Northwind draft in review Contoso never sees, and three decisions (one approved, one waiting,
one past its date)."""

from __future__ import annotations

from sqlalchemy.engine import URL

from mutual.db import Database
from mutual.governance import demo
from mutual.tenancy.demo import load_story
from tests.governance.conftest import People
from tests.governance.factories import DECISIONS, DISCLOSURES
from tests.helpers import World, gql


async def test_the_story_fills_the_governance_pages(
    people: People, world: World, owner_url: URL, app_database_url: URL
) -> None:
    owner_db, app_db = Database(owner_url, pool_size=1), Database(app_database_url, pool_size=1)
    try:
        await demo.seed_story(await load_story(owner_db, app_db))
    finally:
        await owner_db.dispose()
        await app_db.dispose()

    theirs = (await gql(people.co_lead, DISCLOSURES, {"id": world.nc_id}))["data"]["partnership"]
    titles = {d["title"]: d for d in theirs["disclosures"]["nodes"]}
    assert set(titles) == {"Escalation and decision process", "Supplier code of conduct"}
    process = titles["Escalation and decision process"]
    assert [(v["number"], v["status"]) for v in process["versions"]] == [
        (1, "SUPERSEDED"),
        (2, "PUBLISHED"),
    ]
    assert process["versions"][0]["acknowledgement"] is not None
    assert process["versions"][0]["attachments"][0]["filename"] == "review-notes.txt"
    assert [v["number"] for v in theirs["pendingAcknowledgements"]] == [2]
    ours = (await gql(people.nw_gov, DISCLOSURES, {"id": world.nc_id}))["data"]["partnership"]
    assert ours["disclosures"]["totalCount"] == 3  # and Northwind's draft in review

    log = (await gql(people.co_lead, DECISIONS, {"id": world.nc_id}))["data"]["partnership"]
    statuses = sorted((d["status"], d["overdue"]) for d in log["decisions"]["nodes"])
    assert statuses == [("APPROVED", False), ("PROPOSED", False), ("PROPOSED", True)]
