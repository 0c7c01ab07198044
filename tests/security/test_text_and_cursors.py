"""Input PostgreSQL cannot take never reaches it: a NUL character in any text (a variable at any
depth, or a literal in the document) and a cursor past any offset this API issues are coded
errors, and nothing is written."""

from __future__ import annotations

import base64
from typing import Any

import asyncpg
import httpx
import pytest

from tests.graphql.conftest import database_rows
from tests.helpers import JSON_HEADERS, World, error_codes
from tests.security.factories import sign_in

CREATE_MILESTONE = """
mutation($input: CreateMilestoneInput!) {
  createMilestone(input: $input) { milestone { id } userErrors { field code message } }
}
"""

PROPOSE_WITH_LITERAL = """
mutation($id: ID!) {
  proposeCommitment(input: {
    partnershipId: $id, title: "Weekly report", dueDate: "2030-01-31",
    description: "first line\\u0000second line"
  }) { commitment { id } userErrors { field code message } }
}
"""

NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"

MEMBERS_AFTER = """
query($id: ID!, $after: String) {
  partnership(id: $id) { members(first: 5, after: $after) { totalCount nodes { id } } }
}
"""


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


async def _post(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> httpx.Response:
    return await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=JSON_HEADERS
    )


def _only_code(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] is None or not any(body["data"].values()), body
    codes = error_codes(body)
    assert len(codes) == 1, body
    return codes[0]


@pytest.mark.parametrize(
    "field", ["title", "description"], ids=["milestone-title", "milestone-description"]
)
async def test_a_nul_in_a_mutations_text_variable_is_bad_user_input_and_writes_nothing(
    field: str, client: httpx.AsyncClient, world: World, owner: asyncpg.Connection
) -> None:
    # given an editor, and a milestone whose text carries U+0000
    await sign_in(client, owner, world.user_id("lead@contoso.example"))
    before = await database_rows(owner)
    milestone = {"partnershipId": world.nc_id, "title": "Recover", "phase": "STABILIZE"}
    milestone[field] = "Recover\x00 the backlog"

    # when
    response = await _post(client, CREATE_MILESTONE, {"input": milestone})

    # then
    assert _only_code(response) == "BAD_USER_INPUT"
    assert "NUL" in response.json()["errors"][0]["message"]
    assert await database_rows(owner) == before


async def test_a_nul_in_a_documents_string_literal_is_bad_user_input_and_writes_nothing(
    client: httpx.AsyncClient, world: World, owner: asyncpg.Connection
) -> None:
    await sign_in(client, owner, world.user_id("lead@contoso.example"))
    before = await database_rows(owner)

    response = await _post(client, PROPOSE_WITH_LITERAL, {"id": world.nc_id})

    assert _only_code(response) == "BAD_USER_INPUT"
    assert await database_rows(owner) == before


async def test_a_nul_deep_in_any_variable_is_bad_user_input(
    client: httpx.AsyncClient, world: World, owner: asyncpg.Connection
) -> None:
    await sign_in(client, owner, world.user_id("lead@contoso.example"))

    in_a_list = await _post(client, NODES, {"ids": [world.nc_id, "x\x00y"]})
    in_an_id = await _post(client, MEMBERS_AFTER, {"id": "\x00"})
    in_a_cursor = await _post(client, MEMBERS_AFTER, {"id": world.nc_id, "after": "\x00"})

    for response in (in_a_list, in_an_id, in_a_cursor):
        assert _only_code(response) == "BAD_USER_INPUT"


async def test_a_cursor_past_any_issued_offset_is_an_invalid_cursor(
    client: httpx.AsyncClient, world: World, owner: asyncpg.Connection
) -> None:
    # given the cursor: base64 of offset:99999999999999999999999 (23 nines)
    await sign_in(client, owner, world.user_id("lead@contoso.example"))
    huge = "b2Zmc2V0Ojk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5"
    assert base64.b64decode(huge) == b"offset:" + b"9" * 23

    answers = [
        await _post(client, MEMBERS_AFTER, {"id": world.nc_id, "after": cursor})
        for cursor in (huge, _cursor(f"offset:{2**63}"), _cursor(f"offset:{2**31}"))
    ]
    inline = f'{{ viewer {{ partnerships(first: 2, after: "{huge}") {{ totalCount }} }} }}'
    viewer = await _post(client, inline, {})

    for response in [*answers, viewer]:
        assert _only_code(response) == "INVALID_CURSOR"


async def test_a_cursor_just_past_the_end_is_an_empty_page(
    client: httpx.AsyncClient, world: World, owner: asyncpg.Connection
) -> None:
    await sign_in(client, owner, world.user_id("lead@contoso.example"))

    after = _cursor("offset:1000")
    response = await _post(client, MEMBERS_AFTER, {"id": world.nc_id, "after": after})

    body = response.json()
    assert "errors" not in body, body
    members = body["data"]["partnership"]["members"]
    assert members["nodes"] == [] and members["totalCount"] > 0


async def test_a_nul_in_the_login_form_is_a_bad_request(
    client: httpx.AsyncClient, world: World, owner: asyncpg.Connection
) -> None:
    before = await database_rows(owner)

    response = await client.post(
        "/auth/login",
        json={"email": "lead@contoso.example\x00", "password": "mutual-demo"},
        headers=JSON_HEADERS,
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "BAD_REQUEST"
    assert await database_rows(owner) == before
