"""Outside development, errors suggest no names ("Did you mean 'viewer'?"): like introspection,
they would map the schema for a stranger. Every such error keeps its code."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
from sqlalchemy.engine import URL

from mutual.app import create_app
from mutual.config import Settings
from tests.conftest import LiveServer
from tests.helpers import JSON_HEADERS, World, error_codes
from tests.security.factories import sign_in

ADD_MEMBER = """
mutation($input: AddWorkspaceMemberInput!) {
  addWorkspaceMember(input: $input) { member { id } userErrors { code } }
}
"""


def _typos(world: World) -> list[tuple[str, dict[str, Any], str]]:
    """(document, variables, expected code): each a near miss of a real name."""
    member = {"partnershipId": world.nc_id, "email": "viewer@contoso.example", "role": "VIEWER"}
    return [
        ("{ viewr { user { email } } }", {}, "GRAPHQL_VALIDATION_FAILED"),
        ("{ viewer { partnerships(frist: 1) { totalCount } } }", {}, "GRAPHQL_VALIDATION_FAILED"),
        ("{ viewer { user { emial } } }", {}, "GRAPHQL_VALIDATION_FAILED"),
        (
            f'mutation {{ addWorkspaceMember(input: {{partnershipId: "{world.nc_id}", '
            'email: "x@contoso.example", role: VIEWR}) { member { id } } }',
            {},
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (ADD_MEMBER, {"input": {**member, "role": "VIEWR"}}, "BAD_USER_INPUT"),
        (ADD_MEMBER, {"input": {**member, "emial": "x"}}, "BAD_USER_INPUT"),
    ]


async def _answers(client: httpx.AsyncClient, world: World) -> list[tuple[httpx.Response, str]]:
    return [
        (
            await client.post(
                "/graphql", json={"query": query, "variables": variables}, headers=JSON_HEADERS
            ),
            code,
        )
        for query, variables, code in _typos(world)
    ]


async def test_the_production_server_suggests_no_names(
    production_server: LiveServer, world: World, owner: asyncpg.Connection
) -> None:
    async with httpx.AsyncClient(base_url=production_server.url) as client:
        await sign_in(client, owner, world.user_id("lead@contoso.example"))
        answers = await _answers(client, world)

    for response, code in answers:
        body = response.json()
        assert body["data"] is None, body
        assert set(error_codes(body)) == {code}, body
        assert "did you mean" not in response.text.lower(), body


async def test_development_still_suggests_names(
    settings: Settings, app_database_url: URL, world: World, owner: asyncpg.Connection
) -> None:
    development = create_app(
        settings.model_copy(update={"env": "development"}), app_database_url=app_database_url
    )
    transport = httpx.ASGITransport(app=development, client=("127.0.0.1", 50000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url=settings.public_url) as client:
            await sign_in(client, owner, world.user_id("lead@contoso.example"))
            answers = await _answers(client, world)
    finally:
        await development.state.database.dispose()

    messages = [e["message"] for response, _ in answers for e in response.json()["errors"]]
    assert "Cannot query field 'viewr' on type 'Query'. Did you mean 'viewer'?" in messages
    assert sum("Did you mean" in message for message in messages) == len(answers), messages
