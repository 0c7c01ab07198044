"""Bad input and limits: each gets a clear error with a code, changes nothing, never a 500."""

from __future__ import annotations

import base64
import json
import logging
import uuid
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import URL
from starlette.applications import Starlette

from mutual.config import Settings
from mutual.graphql.ids import to_global_id
from mutual.membership import service
from tests.graphql.conftest import NcObjects, SignIn, add_organization, add_user, database_rows
from tests.helpers import JSON_HEADERS, World, error_codes, gql, login

PARTNERSHIP = "query($id: ID!) { partnership(id: $id) { id name } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"

MEMBERS_PAGE = """
query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  partnership(id: $id) {
    members(first: $first, after: $after, last: $last, before: $before) { totalCount }
  }
}
"""

ADD_MEMBER = """
mutation($input: AddWorkspaceMemberInput!) {
  addWorkspaceMember(input: $input) { member { id } userErrors { field code message } }
}
"""

CHANGE_ROLE = """
mutation($input: ChangeWorkspaceMemberRoleInput!) {
  changeWorkspaceMemberRole(input: $input) { member { id } userErrors { field code message } }
}
"""

REMOVE_MEMBER = """
mutation($input: RemoveWorkspaceMemberInput!) {
  removeWorkspaceMember(input: $input) { removedMemberId userErrors { field code message } }
}
"""

INVITE = """
mutation($input: InviteOrganizationInput!) {
  inviteOrganization(input: $input) {
    invitation { id status }
    userErrors { field code message }
  }
}
"""

ACCEPT = """
mutation($input: DecideInvitationInput!) {
  acceptInvitation(input: $input) {
    invitation { status }
    partnership { status }
    userErrors { field code message }
  }
}
"""

DECLINE = """
mutation($input: DecideInvitationInput!) {
  declineInvitation(input: $input) { invitation { status } userErrors { field code message } }
}
"""

CREATE_TOKEN = """
mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { secret userErrors { field code message } }
}
"""

REVOKE_TOKEN = """
mutation($input: RevokeApiTokenInput!) {
  revokeApiToken(input: $input) { apiToken { id } userErrors { field code message } }
}
"""

# Writes two things: the first mutation succeeds, the second one fails unexpectedly.
REMOVE_THEN_ADD = """
mutation($remove: RemoveWorkspaceMemberInput!, $add: AddWorkspaceMemberInput!) {
  removeWorkspaceMember(input: $remove) { removedMemberId userErrors { code } }
  addWorkspaceMember(input: $add) { member { id } userErrors { code } }
}
"""

# The deepest selection the schema allows today: ten levels.
DEEP = """
{ viewer { partnerships(first: 1) { edges { node { auditTrail(first: 1) {
    edges { node { actor { organization { name } } } } } } } } } }
"""

INTROSPECTION = "{ __schema { queryType { name } types { name } } }"

COSTLY = """
{ viewer { partnerships(first: 100) { nodes {
    members(first: 100) { nodes { id user { email } } }
    auditTrail(first: 100) { nodes { id actor { email } } }
} } } }
"""


def invite_input(slug: str) -> dict[str, Any]:
    return {
        "input": {
            "inviteeOrganizationSlug": slug,
            "name": "Bad input trial",
            "ownLabel": "Us",
            "inviteeLabel": "Them",
        }
    }


async def post(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> httpx.Response:
    return await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=JSON_HEADERS
    )


def only_code(response: httpx.Response) -> str:
    """The single top-level error code of a 200 answer that carries no data."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] is None or not any(body["data"].values()), body
    codes = error_codes(body)
    assert len(codes) == 1, body
    return codes[0]


def user_errors(body: dict[str, Any], field: str) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = body["data"][field]["userErrors"]
    return errors


async def test_malformed_graphql_is_a_parse_error_and_changes_nothing(
    sign_in: SignIn, nc: NcObjects, owner: asyncpg.Connection
) -> None:
    lead = await sign_in("lead@contoso.example")
    before = await database_rows(owner)

    query = await post(lead, "{ viewer { partnerships(first: 20) { totalCount }")  # unclosed
    mutation = await post(lead, 'mutation { removeWorkspaceMember(input: {memberId: "x"}) {')

    assert only_code(query) == "GRAPHQL_PARSE_FAILED"
    assert only_code(mutation) == "GRAPHQL_PARSE_FAILED"
    assert "Syntax Error" in mutation.json()["errors"][0]["message"]
    assert await database_rows(owner) == before


async def test_an_unknown_field_fails_validation_and_changes_nothing(
    sign_in: SignIn, nc: NcObjects, owner: asyncpg.Connection
) -> None:
    lead = await sign_in("lead@contoso.example")
    before = await database_rows(owner)
    member = nc.members["viewer@contoso.example"]

    response = await post(
        lead,
        "mutation($input: RemoveWorkspaceMemberInput!) "
        "{ removeWorkspaceMember(input: $input) { removedMemberId secretField } }",
        {"input": {"memberId": member}},
    )

    assert only_code(response) == "GRAPHQL_VALIDATION_FAILED"
    assert "secretField" in response.json()["errors"][0]["message"]
    assert await database_rows(owner) == before


async def test_wrong_variable_types_are_bad_user_input_and_change_nothing(
    sign_in: SignIn, nc: NcObjects, owner: asyncpg.Connection
) -> None:
    lead = await sign_in("lead@contoso.example")
    before = await database_rows(owner)
    good = {"partnershipId": nc.partnership, "email": "viewer@contoso.example", "role": "VIEWER"}

    wrong_enum = await post(lead, ADD_MEMBER, {"input": {**good, "role": "BOSS"}})
    wrong_scalar = await post(lead, ADD_MEMBER, {"input": {**good, "role": 7}})
    missing = await post(lead, ADD_MEMBER, {"input": {"partnershipId": nc.partnership}})
    not_an_object = await post(lead, ADD_MEMBER, {"input": "everyone"})
    wrong_int = await post(lead, MEMBERS_PAGE, {"id": nc.partnership, "first": "many"})
    missing_variable = await post(lead, PARTNERSHIP, {})

    for response in (wrong_enum, wrong_scalar, missing, not_an_object, wrong_int, missing_variable):
        assert response.status_code == 200
        body = response.json()
        assert body["data"] is None
        assert set(error_codes(body)) == {"BAD_USER_INPUT"}, body
        assert all(e["message"].startswith("Variable '$") for e in body["errors"])
    assert await database_rows(owner) == before


async def test_unknown_and_foreign_ids_get_the_same_not_found(
    sign_in: SignIn, world: World, owner: asyncpg.Connection
) -> None:
    # Fabrikam ↔ Contoso and Fabrikam's admin's membership exist, but not for Northwind.
    northwind = await sign_in("lead@northwind.example")
    foreign_member = await owner.fetchval(
        "SELECT id FROM workspace_member WHERE partnership_id = $1 AND user_id = $2",
        world.fabrikam_contoso.id,
        world.user_id("admin@fabrikam.example"),
    )
    foreign = {"Partnership": world.fabrikam_contoso.id, "WorkspaceMember": foreign_member}
    before = await database_rows(owner)

    async def answers(type_name: str, raw: uuid.UUID) -> list[dict[str, Any]]:
        gid = to_global_id(type_name, raw)
        calls: list[tuple[str, dict[str, Any]]] = [(NODE, {"id": gid}), (NODES, {"ids": [gid]})]
        if type_name == "Partnership":
            calls += [
                (PARTNERSHIP, {"id": gid}),
                (ADD_MEMBER, {"input": {"partnershipId": gid, "email": "x@y", "role": "VIEWER"}}),
                (CREATE_TOKEN, {"input": {"partnershipId": gid, "name": "t", "scopes": ["READ"]}}),
            ]
        else:
            calls += [
                (REMOVE_MEMBER, {"input": {"memberId": gid}}),
                (CHANGE_ROLE, {"input": {"memberId": gid, "role": "LEAD"}}),
            ]
        bodies = []
        for query, variables in calls:
            response = await post(northwind, query, variables)
            assert response.status_code == 200
            bodies.append(response.json())
        return bodies

    for type_name, raw in foreign.items():
        of_foreign = await answers(type_name, raw)
        of_unknown = await answers(type_name, uuid.uuid4())

        assert of_foreign == of_unknown
        flat = repr(of_foreign)
        assert "NOT_FOUND" in flat
        assert str(raw) not in flat
        assert "Fabrikam" not in flat
    assert await database_rows(owner) == before


async def test_garbage_ids_are_not_found(
    sign_in: SignIn, nc: NcObjects, world: World, owner: asyncpg.Connection
) -> None:
    northwind = await sign_in("lead@northwind.example")
    garbage = [
        "",
        "zzz",
        "!!!",
        base64.urlsafe_b64encode(b"Partnership:not-a-uuid").decode(),
        to_global_id("User", world.northwind_contoso.id),  # a real uuid under the wrong type
        nc.partnership + "x",
    ]
    before = await database_rows(owner)

    for gid in garbage:
        partnership = (await post(northwind, PARTNERSHIP, {"id": gid})).json()
        node = (await post(northwind, NODE, {"id": gid})).json()
        nodes = (await post(northwind, NODES, {"ids": [gid, nc.partnership]})).json()
        added = (
            await post(
                northwind,
                ADD_MEMBER,
                {"input": {"partnershipId": gid, "email": "x@northwind.example", "role": "LEAD"}},
            )
        ).json()

        assert partnership["data"] == {"partnership": None}
        assert [e["extensions"] for e in partnership["errors"]] == [
            {"code": "NOT_FOUND", "field": "id"}
        ]
        assert node["data"] == {"node": None}
        assert error_codes(node) == ["NOT_FOUND"]
        assert nodes == {"data": {"nodes": [None, {"id": nc.partnership}]}}
        errors = user_errors(added, "addWorkspaceMember")
        assert [(e["code"], e["field"]) for e in errors] == [("NOT_FOUND", "partnershipId")]
    assert await database_rows(owner) == before


async def test_a_query_deeper_than_the_limit_is_refused(
    app: Starlette,
    settings: Settings,
    app_database_url: URL,
    world: World,
    owner: asyncpg.Connection,
) -> None:
    # given the real app with a depth limit below the schema's deepest selection
    from mutual.app import create_app

    shallow = create_app(
        settings.model_copy(update={"max_depth": 6}), app_database_url=app_database_url
    )
    before = await database_rows(owner)
    try:
        async with _client_of(shallow) as client, _client_of(app) as default:
            await login(client, "lead@contoso.example")
            await login(default, "lead@contoso.example")

            # when
            refused = await post(client, DEEP)
            allowed = await post(default, DEEP)
            invalid_and_deep = await post(default, "{ viewer " + "{ user " * 12 + "}" * 13)
    finally:
        await shallow.state.database.dispose()

    # then
    assert only_code(refused) == "QUERY_TOO_DEEP"
    assert "exceeds maximum operation depth of 6" in refused.json()["errors"][0]["message"]
    assert "errors" not in allowed.json()
    assert invalid_and_deep.status_code == 200
    assert "QUERY_TOO_DEEP" in error_codes(invalid_and_deep.json())
    assert await database_rows(owner) == before


async def test_too_many_aliases_are_refused(sign_in: SignIn, nc: NcObjects) -> None:
    lead = await sign_in("lead@contoso.example")
    aliased = " ".join(f"a{i}: viewer {{ user {{ email }} }}" for i in range(16))

    response = await post(lead, "{ " + aliased + " }")

    assert only_code(response) == "TOO_MANY_ALIASES"


async def test_too_many_tokens_are_refused(sign_in: SignIn, nc: NcObjects) -> None:
    lead = await sign_in("lead@contoso.example")

    response = await post(lead, "{ viewer { user { " + "email " * 2000 + "} } }")

    assert only_code(response) == "TOO_MANY_TOKENS"


async def test_an_over_costly_query_is_refused_before_it_runs(
    sign_in: SignIn, nc: NcObjects, owner: asyncpg.Connection
) -> None:
    lead = await sign_in("lead@contoso.example")
    before = await database_rows(owner)

    response = await post(lead, COSTLY)

    assert only_code(response) == "QUERY_TOO_COSTLY"
    extensions = response.json()["errors"][0]["extensions"]
    assert extensions["cost"] > extensions["limit"] == 5000
    assert await database_rows(owner) == before


async def test_oversized_pages_are_refused(sign_in: SignIn, nc: NcObjects) -> None:
    lead = await sign_in("lead@contoso.example")
    too_many_ids = [nc.partnership] * 101

    answers = [
        await post(lead, MEMBERS_PAGE, {"id": nc.partnership, "first": 101}),
        await post(lead, MEMBERS_PAGE, {"id": nc.partnership, "last": 101}),
        await post(lead, "{ viewer { partnerships(first: 101) { totalCount } } }"),
        await post(lead, NODES, {"ids": too_many_ids}),
    ]

    for response in answers:
        assert only_code(response) == "PAGE_TOO_LARGE"
    assert "at most 100" in answers[0].json()["errors"][0]["message"]


async def test_negative_page_sizes_are_refused(sign_in: SignIn, nc: NcObjects) -> None:
    lead = await sign_in("lead@contoso.example")

    first = await post(lead, MEMBERS_PAGE, {"id": nc.partnership, "first": -1})
    last = await post(lead, MEMBERS_PAGE, {"id": nc.partnership, "last": -5})

    assert only_code(first) == "INVALID_PAGE"
    assert only_code(last) == "INVALID_PAGE"


async def test_forged_cursors_are_refused(sign_in: SignIn, nc: NcObjects) -> None:
    lead = await sign_in("lead@contoso.example")
    forged = [
        "zzz",
        base64.urlsafe_b64encode(b"offset:-3").decode(),
        base64.urlsafe_b64encode(b"offset:three").decode(),
        base64.urlsafe_b64encode(b"limit:3").decode(),
        nc.partnership,
    ]

    for cursor in forged:
        after = await post(lead, MEMBERS_PAGE, {"id": nc.partnership, "first": 2, "after": cursor})
        before = await post(lead, MEMBERS_PAGE, {"id": nc.partnership, "last": 2, "before": cursor})

        assert only_code(after) == "INVALID_CURSOR", cursor
        assert only_code(before) == "INVALID_CURSOR", cursor


async def test_a_duplicate_invitation_is_refused_in_either_direction(
    sign_in: SignIn, world: World, owner: asyncpg.Connection
) -> None:
    # given Fabrikam has invited Northwind
    fabrikam = await sign_in("admin@fabrikam.example")
    northwind = await sign_in("lead@northwind.example")
    first = await gql(fabrikam, INVITE, invite_input("northwind"))
    assert user_errors(first, "inviteOrganization") == []
    after_first = await database_rows(owner)

    # when both sides invite again
    again = await gql(fabrikam, INVITE, invite_input("northwind"))
    reverse = await gql(northwind, INVITE, invite_input("fabrikam"))

    # then
    for body in (again, reverse):
        errors = user_errors(body, "inviteOrganization")
        assert len(errors) == 1
        assert errors[0]["code"] == "DUPLICATE_INVITATION"
        assert errors[0]["field"] == "inviteeOrganizationSlug"
        assert body["data"]["inviteOrganization"]["invitation"] is None
    assert await database_rows(owner) == after_first


async def _invitation_to_northwind(sign_in: SignIn) -> str:
    fabrikam = await sign_in("admin@fabrikam.example")
    body = await gql(fabrikam, INVITE, invite_input("northwind"))
    assert user_errors(body, "inviteOrganization") == []
    invitation_id: str = body["data"]["inviteOrganization"]["invitation"]["id"]
    return invitation_id


async def _partnership_of(owner: asyncpg.Connection, invitation_gid: str) -> tuple[str, int]:
    raw = uuid.UUID(base64.urlsafe_b64decode(invitation_gid + "==").decode().split(":")[1])
    row = await owner.fetchrow(
        "SELECT p.status, (SELECT count(*) FROM workspace_member m WHERE m.partnership_id = p.id)"
        " AS members FROM invitation i JOIN partnership p ON p.id = i.partnership_id"
        " WHERE i.id = $1",
        raw,
    )
    assert row is not None
    return str(row["status"]), int(row["members"])


async def test_accepting_an_expired_invitation_is_refused(
    sign_in: SignIn, world: World, owner: asyncpg.Connection
) -> None:
    # given an invitation to Northwind that expired yesterday
    invitation = await _invitation_to_northwind(sign_in)
    await owner.execute(
        "UPDATE invitation SET expires_at = now() - interval '1 day' WHERE status = 'PENDING'"
    )
    northwind = await sign_in("lead@northwind.example")
    before = await database_rows(owner)

    # when Northwind's admin accepts it
    body = await gql(northwind, ACCEPT, {"input": {"invitationId": invitation}})

    # then
    errors = user_errors(body, "acceptInvitation")
    assert len(errors) == 1
    assert errors[0]["code"] == "INVITATION_EXPIRED"
    assert errors[0]["field"] == "invitationId"
    assert body["data"]["acceptInvitation"]["partnership"] is None
    assert await _partnership_of(owner, invitation) == ("INVITED", 1)  # only Fabrikam's admin
    assert await database_rows(owner) == before


async def test_accepting_an_invitation_twice_is_refused_the_second_time(
    sign_in: SignIn, world: World, owner: asyncpg.Connection
) -> None:
    # given Northwind accepted Fabrikam's invitation
    invitation = await _invitation_to_northwind(sign_in)
    northwind = await sign_in("lead@northwind.example")
    first = await gql(northwind, ACCEPT, {"input": {"invitationId": invitation}})
    assert user_errors(first, "acceptInvitation") == []
    assert first["data"]["acceptInvitation"]["partnership"] == {"status": "ACTIVE"}
    after_first = await database_rows(owner)

    # when it accepts (or declines) again
    again = await gql(northwind, ACCEPT, {"input": {"invitationId": invitation}})
    declined = await gql(northwind, DECLINE, {"input": {"invitationId": invitation}})

    # then
    for body, field in ((again, "acceptInvitation"), (declined, "declineInvitation")):
        errors = user_errors(body, field)
        assert len(errors) == 1
        assert errors[0]["code"] == "INVITATION_CLOSED"
    assert await _partnership_of(owner, invitation) == ("ACTIVE", 2)
    assert await database_rows(owner) == after_first


async def test_a_viewer_attempts_each_write_and_is_forbidden(
    sign_in: SignIn, nc: NcObjects, world: World, owner: asyncpg.Connection
) -> None:
    # given inputs that would succeed for a LEAD or an org admin: a new colleague to add, a
    # new organization to invite, and a pending invitation to Contoso
    await add_user(owner, email="new@contoso.example", org_slug="contoso")
    await add_organization(owner, name="Tailspin Toys", slug="tailspin")
    await add_organization(owner, name="Litware", slug="litware")
    await add_user(owner, email="admin@tailspin.example", org_slug="tailspin", org_role="ADMIN")
    tailspin = await sign_in("admin@tailspin.example")
    invited = await gql(tailspin, INVITE, invite_input("contoso"))
    invitation = invited["data"]["inviteOrganization"]["invitation"]["id"]
    viewer = await sign_in("viewer@contoso.example")
    editor_member = nc.members["editor@contoso.example"]
    writes: list[tuple[str, str, dict[str, Any]]] = [
        (
            ADD_MEMBER,
            "addWorkspaceMember",
            {"partnershipId": nc.partnership, "email": "new@contoso.example", "role": "LEAD"},
        ),
        (CHANGE_ROLE, "changeWorkspaceMemberRole", {"memberId": editor_member, "role": "VIEWER"}),
        (REMOVE_MEMBER, "removeWorkspaceMember", {"memberId": editor_member}),
        (INVITE, "inviteOrganization", invite_input("litware")["input"]),
        (ACCEPT, "acceptInvitation", {"invitationId": invitation}),
        (DECLINE, "declineInvitation", {"invitationId": invitation}),
        (
            CREATE_TOKEN,
            "createApiToken",
            {"partnershipId": nc.partnership, "name": "mine", "scopes": ["READ"]},
        ),
        (REVOKE_TOKEN, "revokeApiToken", {"tokenId": nc.api_token}),
    ]
    before = await database_rows(owner)

    for document, field, variables in writes:
        # when
        body = await gql(viewer, document, {"input": variables})

        # then
        errors = user_errors(body, field)
        assert len(errors) == 1, (field, errors)
        assert errors[0]["code"] == "FORBIDDEN", (field, errors)
        payload = {k: v for k, v in body["data"][field].items() if k != "userErrors"}
        assert all(value is None for value in payload.values()), (field, payload)
    assert await database_rows(owner) == before


async def test_an_unexpected_exception_is_masked_and_rolls_the_request_back(
    sign_in: SignIn,
    nc: NcObjects,
    owner: asyncpg.Connection,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given adding a member writes, then fails with a bug
    await add_user(owner, email="new@contoso.example", org_slug="contoso")
    lead = await sign_in("lead@contoso.example")
    add_member = service.add_member

    async def add_then_fail(*args: Any, **kwargs: Any) -> Any:
        await add_member(*args, **kwargs)
        raise RuntimeError("secret internals: bucket s3://private")

    monkeypatch.setattr(service, "add_member", add_then_fail)
    before = await database_rows(owner)

    # when one operation first removes a member (fine), then adds one (fails)
    with caplog.at_level(logging.ERROR, logger="mutual.graphql"):
        response = await post(
            lead,
            REMOVE_THEN_ADD,
            {
                "remove": {"memberId": nc.members["viewer@contoso.example"]},
                "add": {
                    "partnershipId": nc.partnership,
                    "email": "new@contoso.example",
                    "role": "VIEWER",
                },
            },
        )

    # then the client gets a masked error quoting the request id, and nothing was written
    assert response.status_code == 200
    body = response.json()
    request_id = response.headers["x-request-id"]
    assert body["data"] is None
    assert len(body["errors"]) == 1
    error = body["errors"][0]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    assert request_id in error["message"]
    assert "secret" not in response.text
    assert await database_rows(owner) == before
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert len(logged) == 1
    assert logged[0].exc_info is not None


async def test_a_mutation_over_get_is_refused(
    sign_in: SignIn, nc: NcObjects, owner: asyncpg.Connection
) -> None:
    lead = await sign_in("lead@contoso.example")
    before = await database_rows(owner)
    variables = {"input": {"memberId": nc.members["viewer@contoso.example"]}}

    response = await lead.get(
        "/graphql", params={"query": REMOVE_MEMBER, "variables": json.dumps(variables)}
    )

    assert response.status_code == 400
    assert error_codes(response.json()) == ["OPERATION_NOT_ALLOWED"]
    assert await database_rows(owner) == before


async def test_a_body_that_is_not_a_graphql_request_is_a_400(app: Starlette) -> None:
    bodies = [b"not json", b'{"query": ', b'"a string"', b"null", b"42", b"{}", b'{"query": 5}']

    async with _client_of(app) as client:
        responses = [
            await client.post("/graphql", content=body, headers=JSON_HEADERS) for body in bodies
        ]

    for body, response in zip(bodies, responses, strict=True):
        assert response.status_code == 400, body
        assert error_codes(response.json()) == ["BAD_REQUEST"], body


async def test_introspection_and_graphiql_are_refused_outside_development(
    sign_in: SignIn, nc: NcObjects, settings: Settings
) -> None:
    assert settings.env == "test"
    lead = await sign_in("lead@contoso.example")

    introspection = await post(lead, INTROSPECTION)
    one_type = await post(lead, '{ __type(name: "Partnership") { name } }')
    graphiql = await lead.get("/graphql", headers={"accept": "text/html"})

    for response in (introspection, one_type):
        body = response.json()
        assert body["data"] is None
        assert set(error_codes(body)) == {"GRAPHQL_VALIDATION_FAILED"}
        assert "introspection has been disabled" in body["errors"][0]["message"]
    assert graphiql.status_code == 404
    assert "graphiql" not in graphiql.text.lower()


async def test_introspection_and_graphiql_are_allowed_in_development(
    settings: Settings, app_database_url: URL
) -> None:
    from mutual.app import create_app

    development = create_app(
        settings.model_copy(update={"env": "development"}), app_database_url=app_database_url
    )
    try:
        async with _client_of(development) as client:
            introspection = await post(client, INTROSPECTION)
            graphiql = await client.get("/graphql", headers={"accept": "text/html"})
    finally:
        await development.state.database.dispose()

    body = introspection.json()
    assert "errors" not in body, body
    assert body["data"]["__schema"]["queryType"] == {"name": "Query"}
    assert {"Partnership", "WorkspaceMember", "Mutation"} <= {
        t["name"] for t in body["data"]["__schema"]["types"]
    }
    assert graphiql.status_code == 200
    assert "graphiql" in graphiql.text.lower()


def _client_of(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 50001)),
        base_url="http://127.0.0.1:8000",
    )
