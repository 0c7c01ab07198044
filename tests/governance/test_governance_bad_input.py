"""Bad input to governance: each refused with one userError and its code, nothing changed (no
row, no audit event), no 500; and a published version cannot be changed even by direct SQL as
the application role."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from mutual.governance.storage import MAX_ATTACHMENT_BYTES
from mutual.graphql.ids import parse_global_id
from tests.governance.conftest import People
from tests.governance.factories import (
    ACKNOWLEDGE,
    APPROVE,
    ATTACH,
    NEW_VERSION,
    PROPOSE,
    PUBLISH,
    REMOVE,
    SUBMIT,
    UPDATE,
    attach,
    b64,
    call,
    draft,
    ok,
    publish,
    published_disclosure,
    refused,
)
from tests.graphql.conftest import database_rows
from tests.helpers import World


def raw(global_id: str) -> Any:
    parsed = parse_global_id(global_id)
    assert parsed is not None
    return parsed[1]


async def test_editing_a_published_version_through_the_api_is_immutable(
    people: People, world: World, owner: asyncpg.Connection
) -> None:
    published = await published_disclosure(people.nw_gov, people.nw_lead, world)
    before = await database_rows(owner)

    edit = await call(
        people.nw_gov,
        UPDATE,
        versionId=published["id"],
        expectedVersion=published["version"],
        body="changed",
    )
    attach = await call(
        people.nw_gov,
        ATTACH,
        versionId=published["id"],
        filename="x.txt",
        contentType="text/plain",
        contentBase64=b64(b"x"),
    )
    again = await call(
        people.nw_lead, PUBLISH, versionId=published["id"], expectedVersion=published["version"]
    )

    assert refused(edit)["code"] == "IMMUTABLE"
    assert refused(attach)["code"] == "IMMUTABLE"
    assert refused(again)["code"] == "IMMUTABLE"
    assert await database_rows(owner) == before


async def test_removing_an_attachment_is_refused_outside_the_owner_sides_draft(
    people: People, world: World, owner: asyncpg.Connection
) -> None:
    # given a draft with a file, one in review with a file, and a published version with one
    kept = await attach(people.nw_gov, await draft(people.nw_gov, world), "a.txt", b"a")
    reviewed = await attach(people.nw_gov, await draft(people.nw_gov, world, title="B"), "b", b"b")
    reviewed = ok(await call(people.nw_gov, SUBMIT, versionId=reviewed["id"], expectedVersion=1))
    done = await attach(people.nw_gov, await draft(people.nw_gov, world, title="C"), "c", b"c")
    done = await publish(people.nw_gov, people.nw_lead, done)
    before = await database_rows(owner)

    def file_of(version: dict[str, Any]) -> str:
        (attachment,) = version["attachments"]
        return str(attachment["id"])

    field = "attachmentId"
    for client, attachment_id, code, at in (
        (people.nw_editor, file_of(kept), "FORBIDDEN", None),  # not governance nor lead
        (people.co_gov, file_of(kept), "NOT_FOUND", field),  # the other side's INTERNAL draft
        (people.nw_gov, file_of(reviewed), "WRONG_STATE", field),  # in review: return it first
        (people.nw_gov, file_of(done), "IMMUTABLE", field),
        (people.co_gov, file_of(done), "FORBIDDEN", field),  # published, but not Contoso's
        (people.nw_gov, kept["id"], "NOT_FOUND", field),  # a version's id, not an attachment's
        (people.nw_gov, file_of(kept)[:-2] + "xx", "NOT_FOUND", field),
    ):
        error = refused(await call(client, REMOVE, attachmentId=attachment_id))
        assert (error["code"], error["field"]) == (code, at), (attachment_id, error)
    # then nothing changed, no audit event
    assert await database_rows(owner) == before


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE disclosure_version SET body = 'rewritten' WHERE id = $1",
        "UPDATE disclosure_version SET status = 'DRAFT', visibility = 'INTERNAL' WHERE id = $1",
        "DELETE FROM disclosure_version WHERE id = $1",
        "UPDATE disclosure_attachment SET sha256 = repeat('0', 64) WHERE version_id = $1",
        "DELETE FROM disclosure_attachment WHERE version_id = $1",
        "UPDATE disclosure_file SET content = 'evil' WHERE id IN "
        "(SELECT file_id FROM disclosure_attachment WHERE version_id = $1)",
    ],
)
async def test_the_application_role_cannot_change_a_published_version_by_sql(
    statement: str,
    people: People,
    world: World,
    owner: asyncpg.Connection,
    app_conn: asyncpg.Connection,
) -> None:
    # given a published version with an attachment, and the app role acting as its author
    version = await draft(people.nw_gov, world)
    ok(
        await call(
            people.nw_gov,
            ATTACH,
            versionId=version["id"],
            filename="a.txt",
            contentType="text/plain",
            contentBase64=b64(b"evidence"),
        )
    )
    published = await publish(people.nw_gov, people.nw_lead, version)
    before = await database_rows(owner)
    author = world.user_id("governance@northwind.example")

    # when it tries to change or delete it directly
    async with app_conn.transaction():
        await app_conn.execute("SELECT set_config('mutual.user_id', $1, true)", str(author))
        visible = await app_conn.fetchval(
            "SELECT count(*) FROM disclosure_version WHERE id = $1", raw(published["id"])
        )
        assert visible == 1  # RLS lets it see the row: the trigger is what refuses
        with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="immutable"):
            await app_conn.execute(statement, raw(published["id"]))

    # then nothing changed
    assert await database_rows(owner) == before


async def test_acknowledging_your_own_sides_disclosure_is_refused(
    people: People, world: World, owner: asyncpg.Connection
) -> None:
    published = await published_disclosure(people.nw_gov, people.nw_lead, world)
    before = await database_rows(owner)

    error = refused(await call(people.nw_lead, ACKNOWLEDGE, versionId=published["id"]))

    assert error["code"] == "OWN_SIDE"
    assert error["field"] == "versionId"
    assert await database_rows(owner) == before


async def test_acknowledging_twice_or_a_superseded_version_is_refused(
    people: People, world: World, owner: asyncpg.Connection
) -> None:
    first = await published_disclosure(people.nw_gov, people.nw_lead, world)
    ok(await call(people.co_gov, ACKNOWLEDGE, versionId=first["id"]))
    from tests.governance.factories import second_version

    await second_version(people.nw_gov, people.nw_lead, first, "v2")
    before = await database_rows(owner)

    twice = refused(await call(people.co_lead, ACKNOWLEDGE, versionId=first["id"]))

    assert twice["code"] == "SUPERSEDED"
    assert await database_rows(owner) == before


async def test_acknowledging_the_same_version_twice_is_refused(
    people: People, world: World, owner: asyncpg.Connection
) -> None:
    first = await published_disclosure(people.nw_gov, people.nw_lead, world)
    ok(await call(people.co_gov, ACKNOWLEDGE, versionId=first["id"]))
    before = await database_rows(owner)

    error = refused(await call(people.co_lead, ACKNOWLEDGE, versionId=first["id"]))

    assert error["code"] == "ALREADY_ACKNOWLEDGED"
    assert await database_rows(owner) == before


async def test_an_internal_draft_addressed_by_the_other_side_is_not_found(
    people: People, world: World, owner: asyncpg.Connection
) -> None:
    version = await draft(people.nw_gov, world)
    submitted = ok(await call(people.nw_gov, SUBMIT, versionId=version["id"], expectedVersion=1))
    before = await database_rows(owner)

    answers = [
        await call(people.co_gov, ACKNOWLEDGE, versionId=submitted["id"]),
        await call(people.co_lead, PUBLISH, versionId=submitted["id"], expectedVersion=2),
        await call(
            people.co_gov, UPDATE, versionId=submitted["id"], expectedVersion=2, body="mine"
        ),
        await call(
            people.co_gov,
            ATTACH,
            versionId=submitted["id"],
            filename="a.txt",
            contentType="text/plain",
            contentBase64=b64(b"a"),
        ),
        await call(people.co_gov, NEW_VERSION, disclosureId=submitted["disclosure"]["id"]),
    ]

    for answer in answers:
        error = refused(answer)
        assert error["code"] == "NOT_FOUND", answer
        assert error["field"] in {"versionId", "disclosureId"}
    assert await database_rows(owner) == before


async def test_publishing_needs_a_second_person(
    people: People, world: World, owner: asyncpg.Connection
) -> None:
    version = await draft(people.nw_lead, world)
    submitted = ok(await call(people.nw_lead, SUBMIT, versionId=version["id"], expectedVersion=1))
    before = await database_rows(owner)

    error = refused(
        await call(people.nw_lead, PUBLISH, versionId=submitted["id"], expectedVersion=2)
    )
    editor = refused(
        await call(people.nw_editor, PUBLISH, versionId=submitted["id"], expectedVersion=2)
    )

    assert error["code"] == "SAME_PERSON"
    assert editor["code"] == "FORBIDDEN"  # an EDITOR is no GOVERNANCE member nor LEAD
    assert await database_rows(owner) == before


async def test_a_draft_cannot_be_published_without_review(
    people: People, world: World, owner: asyncpg.Connection
) -> None:
    version = await draft(people.nw_gov, world)
    before = await database_rows(owner)

    error = refused(await call(people.nw_lead, PUBLISH, versionId=version["id"], expectedVersion=1))

    assert error["code"] == "WRONG_STATE"
    assert await database_rows(owner) == before


@pytest.mark.parametrize(
    ("filename", "content_type", "content", "code"),
    [
        ("big.txt", "text/plain", b"a" * (MAX_ATTACHMENT_BYTES + 1), "TOO_LARGE"),
        ("tool.exe", "application/x-msdownload", b"MZ\x90\x00", "REFUSED_TYPE"),
        ("page.html", "text/html", b"<script>alert(1)</script>", "REFUSED_TYPE"),
        ("fake.pdf", "application/pdf", b"MZ not a pdf", "REFUSED_TYPE"),
        ("binary.txt", "text/plain", b"\x00\x01\x02", "REFUSED_TYPE"),
        ("", "text/plain", b"x", "INVALID"),
        ("../etc/passwd", "text/plain", b"x", "INVALID"),
    ],
)
async def test_an_attachment_over_the_limit_or_of_a_refused_type_is_refused(
    filename: str,
    content_type: str,
    content: bytes,
    code: str,
    people: People,
    world: World,
    owner: asyncpg.Connection,
) -> None:
    version = await draft(people.nw_gov, world)
    before = await database_rows(owner)

    error = refused(
        await call(
            people.nw_gov,
            ATTACH,
            versionId=version["id"],
            filename=filename,
            contentType=content_type,
            contentBase64=b64(content),
        )
    )

    assert error["code"] == code
    assert await database_rows(owner) == before


async def test_content_that_is_not_base64_is_invalid(people: People, world: World) -> None:
    version = await draft(people.nw_gov, world)

    error = refused(
        await call(
            people.nw_gov,
            ATTACH,
            versionId=version["id"],
            filename="a.txt",
            contentType="text/plain",
            contentBase64="not base64!",
        )
    )

    assert error["code"] == "INVALID"
    assert error["field"] == "contentBase64"


async def _decision(people: People, world: World) -> dict[str, Any]:
    return ok(
        await call(people.nw_lead, PROPOSE, partnershipId=world.nc_id, title="Tuesday calls"),
        "decision",
    )


async def test_approving_a_decision_twice_is_refused(
    people: People, world: World, owner: asyncpg.Connection
) -> None:
    decision = await _decision(people, world)
    ok(await call(people.nw_lead, APPROVE, decisionId=decision["id"], comment="Yes"), "decision")
    before = await database_rows(owner)

    error = refused(
        await call(people.nw_lead, APPROVE, decisionId=decision["id"], comment="Yes again"),
        "decision",
    )

    assert error["code"] == "ALREADY_DECIDED"
    assert await database_rows(owner) == before


async def test_approving_for_the_other_side_is_refused(
    people: People, world: World, owner: asyncpg.Connection
) -> None:
    decision = await _decision(people, world)
    before = await database_rows(owner)
    from mutual.graphql.ids import to_global_id

    contoso = to_global_id("Party", world.parties[("nc", "contoso")].id)
    error = refused(
        await call(
            people.nw_lead, APPROVE, decisionId=decision["id"], comment="For them", partyId=contoso
        ),
        "decision",
    )

    assert error["code"] == "OTHER_SIDE"
    assert error["field"] == "partyId"
    assert await database_rows(owner) == before


async def test_a_verdict_needs_an_approver_and_a_comment(
    people: People, world: World, owner: asyncpg.Connection
) -> None:
    decision = await _decision(people, world)
    before = await database_rows(owner)

    not_lead = refused(
        await call(people.co_gov, APPROVE, decisionId=decision["id"], comment="ok"), "decision"
    )
    no_comment = refused(
        await call(people.co_lead, APPROVE, decisionId=decision["id"], comment="  "), "decision"
    )

    assert not_lead["code"] == "NOT_APPROVER"  # Contoso named none: its LEADs approve
    assert no_comment["code"] == "INVALID"
    assert no_comment["field"] == "comment"
    assert await database_rows(owner) == before


async def test_a_decision_with_a_past_decide_by_or_foreign_approvers_is_refused(
    people: People, world: World, owner: asyncpg.Connection
) -> None:
    from mutual.graphql.ids import to_global_id

    before = await database_rows(owner)
    past = refused(
        await call(
            people.nw_lead, PROPOSE, partnershipId=world.nc_id, title="x", decideBy="2020-01-01"
        ),
        "decision",
    )
    contoso_gov = to_global_id("User", world.user_id("governance@contoso.example"))
    foreign = refused(
        await call(
            people.nw_lead,
            PROPOSE,
            partnershipId=world.nc_id,
            title="x",
            approverIds=[contoso_gov],
        ),
        "decision",
    )

    assert past["code"] == "INVALID" and past["field"] == "decideBy"
    assert foreign["code"] == "INVALID" and foreign["field"] == "approverIds"
    assert await database_rows(owner) == before


async def test_a_stale_expected_version_is_a_conflict(
    people: People, world: World, owner: asyncpg.Connection
) -> None:
    version = await draft(people.nw_gov, world)
    ok(await call(people.nw_gov, UPDATE, versionId=version["id"], expectedVersion=1, body="edited"))
    before = await database_rows(owner)

    error = refused(await call(people.nw_gov, SUBMIT, versionId=version["id"], expectedVersion=1))

    assert error["code"] == "CONFLICT"
    assert error["field"] == "expectedVersion"
    assert await database_rows(owner) == before


async def test_a_new_version_waits_until_the_last_one_is_published(
    people: People, world: World, owner: asyncpg.Connection
) -> None:
    first = await published_disclosure(people.nw_gov, people.nw_lead, world)
    ok(await call(people.nw_gov, NEW_VERSION, disclosureId=first["disclosure"]["id"]))
    before = await database_rows(owner)

    error = refused(await call(people.nw_gov, NEW_VERSION, disclosureId=first["disclosure"]["id"]))
    theirs = refused(await call(people.co_gov, NEW_VERSION, disclosureId=first["disclosure"]["id"]))

    assert error["code"] == "DRAFT_EXISTS"
    assert theirs["code"] == "FORBIDDEN"  # the other side reads it, never versions it
    assert await database_rows(owner) == before


async def test_a_reviewer_returns_a_version_to_draft(people: People, world: World) -> None:
    from tests.governance.factories import RETURN

    version = await draft(people.nw_gov, world)
    submitted = ok(await call(people.nw_gov, SUBMIT, versionId=version["id"], expectedVersion=1))

    returned = ok(await call(people.nw_lead, RETURN, versionId=submitted["id"], expectedVersion=2))
    edited = ok(
        await call(people.nw_gov, UPDATE, versionId=returned["id"], expectedVersion=3, body="v1b")
    )

    assert returned["status"] == "DRAFT"
    assert edited["body"] == "v1b"
