"""Disclosures end to end through the API: a DRAFT only its side sees, review by a second
person, publishing (SHARED, hashed over canonical content and attachment hashes), a new version
superseding it with a diff, and the partner side's acknowledgements."""

from __future__ import annotations

import hashlib
import json

import asyncpg

from mutual.graphql.ids import parse_global_id
from tests.governance.conftest import People
from tests.governance.factories import (
    ACKNOWLEDGE,
    ATTACH,
    DISCLOSURES,
    NEW_VERSION,
    NODE,
    REMOVE,
    attach,
    b64,
    call,
    draft,
    ok,
    publish,
    published_disclosure,
    second_version,
)
from tests.helpers import World, error_codes, gql

NOTES = b"Audit notes: all findings closed.\n"


async def test_a_draft_is_internal_until_a_second_person_publishes_it(
    people: People, world: World
) -> None:
    # given a Northwind draft
    version = await draft(people.nw_gov, world, title="Code of conduct", body="Be **candid**.")

    # then Northwind sees it, Contoso sees nothing of it
    ours = (await gql(people.nw_gov, DISCLOSURES, {"id": world.nc_id}))["data"]["partnership"]
    theirs = (await gql(people.co_gov, DISCLOSURES, {"id": world.nc_id}))["data"]["partnership"]
    assert [d["title"] for d in ours["disclosures"]["nodes"]] == ["Code of conduct"]
    assert ours["disclosures"]["nodes"][0]["visibility"] == "INTERNAL"
    assert theirs["disclosures"]["totalCount"] == 0
    hidden = await gql(people.co_gov, NODE, {"id": version["id"]}, expect_errors=True)
    assert hidden["data"]["node"] is None
    assert error_codes(hidden) == ["NOT_FOUND"]

    # when the lead publishes what the governance member submitted
    published = await publish(people.nw_gov, people.nw_lead, version)

    # then it is SHARED, hashed, rendered safely, and waits for Contoso's receipt
    assert published["status"] == "PUBLISHED"
    assert published["visibility"] == "SHARED"
    assert published["bodyHtml"] == "<p>Be <strong>candid</strong>.</p>\n"
    assert len(published["contentHash"]) == 64
    theirs = (await gql(people.co_gov, DISCLOSURES, {"id": world.nc_id}))["data"]["partnership"]
    (seen,) = theirs["disclosures"]["nodes"]
    assert seen["visibility"] == "SHARED"
    assert seen["ownerParty"]["isOwn"] is False
    assert [v["number"] for v in seen["versions"]] == [1]
    assert seen["versions"][0]["awaitingYourAcknowledgement"] is True
    assert [p["id"] for p in theirs["pendingAcknowledgements"]] == [published["id"]]


async def test_the_content_hash_is_over_canonical_content_and_attachment_hashes(
    people: People, world: World
) -> None:
    # given a draft with an attachment
    version = await draft(people.nw_gov, world, title="Audit", body="Findings.")
    attached = ok(
        await call(
            people.nw_gov,
            ATTACH,
            versionId=version["id"],
            filename="notes.txt",
            contentType="text/plain",
            contentBase64=b64(NOTES),
        )
    )
    (attachment,) = attached["attachments"]
    assert attachment["sha256"] == hashlib.sha256(NOTES).hexdigest()
    assert attachment["size"] == len(NOTES)

    # when it is published
    published = await publish(people.nw_gov, people.nw_lead, attached)

    # then anyone can recompute its hash from the text and the file's hash
    disclosure = parse_global_id(published["disclosure"]["id"])
    assert disclosure is not None
    canonical = {
        "attachments": [
            {
                "content_type": "text/plain",
                "filename": "notes.txt",
                "sha256": hashlib.sha256(NOTES).hexdigest(),
                "size": len(NOTES),
            }
        ],
        "body": "Findings.",
        "disclosure_id": str(disclosure[1]),
        "number": 1,
        "title": "Audit",
        "type": "CODE_OF_CONDUCT",
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert published["contentHash"] == hashlib.sha256(text.encode()).hexdigest()
    # and the partner reads the published file
    file = await gql(
        people.co_gov,
        "query($id: ID!) { node(id: $id) { ... on DisclosureVersion { attachments { "
        "contentBase64 } } } }",
        {"id": published["id"]},
    )
    assert file["data"]["node"]["attachments"] == [{"contentBase64": b64(NOTES)}]


async def test_a_new_version_supersedes_with_a_diff_and_the_partner_acknowledges_it(
    people: People, world: World, owner: asyncpg.Connection
) -> None:
    # given a published version 1 and a version 2 with one line changed
    first = await published_disclosure(
        people.nw_gov, people.nw_lead, world, body="Report within 4 hours.\nBoth leads decide."
    )
    second = await second_version(
        people.nw_gov, people.nw_lead, first, "Report within 2 hours.\nBoth leads decide."
    )

    # then Contoso sees both; version 1 superseded before it was acknowledged; the diff
    seen = (await gql(people.co_gov, NODE, {"id": first["id"]}))["data"]["node"]
    assert seen["status"] == "SUPERSEDED"
    assert seen["supersededBeforeAcknowledgement"] is True
    latest = (await gql(people.co_gov, NODE, {"id": second["id"]}))["data"]["node"]
    assert latest["status"] == "PUBLISHED"
    assert latest["previousNumber"] == 1
    assert latest["diffFromPrevious"] == [
        {"kind": "REMOVED", "text": "Report within 4 hours."},
        {"kind": "ADDED", "text": "Report within 2 hours."},
        {"kind": "SAME", "text": "Both leads decide."},
    ]
    assert first["contentHash"] != second["contentHash"]

    # when Contoso acknowledges version 2
    events = await owner.fetchval("SELECT count(*) FROM audit_event")
    acknowledged = ok(await call(people.co_gov, ACKNOWLEDGE, versionId=second["id"]))

    # then the receipt names who, when and the hash; nothing is pending; it is audited
    receipt = acknowledged["acknowledgement"]
    assert receipt["contentHash"] == second["contentHash"]
    assert receipt["acknowledgedBy"]["email"] == "governance@contoso.example"
    assert receipt["party"]["label"] == world.parties[("nc", "contoso")].label
    pending = (await gql(people.co_gov, DISCLOSURES, {"id": world.nc_id}))["data"]["partnership"]
    assert pending["pendingAcknowledgements"] == []
    assert await owner.fetchval("SELECT count(*) FROM audit_event") == events + 1
    action = await owner.fetchval(
        "SELECT action FROM audit_event ORDER BY created_at DESC, seq DESC LIMIT 1"
    )
    assert action == "disclosure.acknowledged"
    # Northwind sees Contoso's receipt too
    ours = (await gql(people.nw_gov, NODE, {"id": second["id"]}))["data"]["node"]
    assert ours["acknowledgement"]["contentHash"] == second["contentHash"]


async def test_the_other_side_never_sees_a_draft_of_a_new_version(
    people: People, world: World
) -> None:
    # given a published version 1 and a draft of version 2 with a new title
    first = await published_disclosure(people.nw_gov, people.nw_lead, world, title="Policy")
    from tests.governance.factories import NEW_VERSION, UPDATE

    created = ok(await call(people.nw_gov, NEW_VERSION, disclosureId=first["disclosure"]["id"]))
    ok(
        await call(
            people.nw_gov,
            UPDATE,
            versionId=created["id"],
            expectedVersion=created["version"],
            title="Secret new title",
        )
    )

    # then Contoso sees version 1 only, under its published title
    theirs = (await gql(people.co_gov, DISCLOSURES, {"id": world.nc_id}))["data"]["partnership"]
    (seen,) = theirs["disclosures"]["nodes"]
    assert seen["title"] == "Policy"
    assert [v["number"] for v in seen["versions"]] == [1]
    assert "Secret new title" not in repr(theirs)
    ours = (await gql(people.nw_gov, DISCLOSURES, {"id": world.nc_id}))["data"]["partnership"]
    assert [v["number"] for v in ours["disclosures"]["nodes"][0]["versions"]] == [1, 2]


async def test_a_file_is_removed_from_a_draft_and_a_published_file_is_kept(
    people: People, world: World, owner: asyncpg.Connection
) -> None:
    # given a draft with two files
    version = await draft(people.nw_gov, world)
    await attach(people.nw_gov, version, "a.txt", b"first")
    both = await attach(people.nw_gov, version, "b.txt", b"second")
    first, second = both["attachments"]
    files = await owner.fetchval("SELECT count(*) FROM disclosure_file")

    # when Northwind's lead removes one
    removed = ok(await call(people.nw_lead, REMOVE, attachmentId=first["id"]))

    # then the draft holds the other, its bytes are gone, and the removal is audited
    assert [a["filename"] for a in removed["attachments"]] == ["b.txt"]
    assert await owner.fetchval("SELECT count(*) FROM disclosure_file") == files - 1
    event = await owner.fetchrow(
        "SELECT changes FROM audit_event WHERE action = 'disclosure.attachment_removed'"
    )
    assert json.loads(event["changes"])["filename"] == {"from": "a.txt", "to": None}

    # and a new version's copy of a published file is removed while the published one stays
    published = await publish(people.nw_gov, people.nw_lead, removed)
    created = ok(await call(people.nw_gov, NEW_VERSION, disclosureId=published["disclosure"]["id"]))
    (copy,) = created["attachments"]
    assert ok(await call(people.nw_gov, REMOVE, attachmentId=copy["id"]))["attachments"] == []
    shown = ok(await call(people.co_gov, ACKNOWLEDGE, versionId=published["id"]))
    assert [a["sha256"] for a in shown["attachments"]] == [second["sha256"]]
