"""Lists answered by PostgreSQL (graphql/json_lists.py): commitments' nodes and the roadmap's
milestones, built as JSON in SQL, are byte for byte what the objects give (the standard
executor builds objects); the SQL path is really taken, takes the ordinary one for anything a
shape does not declare, and keeps the other side's INTERNAL records out."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import asyncpg
import httpx
import orjson
import pytest
from graphql import (
    GraphQLNonNull,
    GraphQLObjectType,
    OperationDefinitionNode,
    build_schema,
    get_named_type,
    parse,
)
from sqlalchemy import text

from mutual.commitments import repository as commitments_repository
from mutual.commitments.repository import CommitmentFilter, CommitmentOrder
from mutual.commitments.shapes import COMMITMENT, COMMITMENT_NODES
from mutual.config import REPO_ROOT
from mutual.db import Database, counting
from mutual.graphql.json_lists import JsonList, Nested, Shape
from mutual.kit.clock import today
from mutual.kit.pagination import PageRequest
from mutual.roadmap import repository as roadmap_repository
from mutual.roadmap.shapes import ROADMAP_MILESTONES
from tests.graphql.conftest import EXECUTOR_SHAPE, post_bytes
from tests.helpers import World, fill_shape, login

# Every control character, quotes, a backslash, non-ASCII and a line separator: PostgreSQL's
# to_json must escape them as orjson does.
AWKWARD = "".join(chr(i) for i in range(1, 32)) + ' "quoted" \\ / é € 😀 \u2028 \x7f <b>&'

PARTY = "id label isOwn __typename"
MILESTONE = (
    f"id title description targetDate phase status visibility version ownerParty {{ {PARTY} }}"
)
COMMITMENTS = f"""
query($id: ID!, $after: String, $order: CommitmentOrderInput, $filter: CommitmentFilterInput) {{
  partnership(id: $id) {{
    commitments(first: 7, after: $after, orderBy: $order, filter: $filter) {{
      totalCount
      pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
      nodes {{
        __typename id title description dueDate status visibility version disputeReason
        ownerParty {{ {PARTY} }} proposedByParty {{ label isOwn }}
        milestone {{ {MILESTONE} }}
      }}
    }}
  }}
}}
"""
ROADMAP = f"""
query($id: ID!) {{
  partnership(id: $id) {{
    roadmap {{ phases {{ phase milestones {{ {MILESTONE} }} }} }}
  }}
}}
"""
# Aliases, a named fragment and an inline one, spread into the objects in document order.
FRAGMENTS = """
query($id: ID!) {
  partnership(id: $id) {
    commitments(first: 100) {
      nodes {
        ...Brief heading: title
        ... on Commitment { due: dueDate owner: ownerParty { label } }
      }
    }
    roadmap { phases { milestones { ...Stage } } }
  }
}
fragment Brief on Commitment { id status milestone { name: title } }
fragment Stage on Milestone { phase title }
"""
# Selections a shape does not declare: each takes the ordinary path.
ORDINARY = [
    "commitments(first: 5) { edges { cursor node { id } } nodes { id } }",
    "commitments(first: 5) { nodes { id kpi { name } } }",
    "commitments(first: 5) { nodes { id viewerActions } }",
    "commitments(first: 5) { nodes { id createdAt } }",
    "commitments(first: 5) { nodes { id title @include(if: true) } }",
    "commitments(first: 5) { nodes { id ownerParty { organization { name } } } }",
    "commitments(first: 5) { nodes { id } again: nodes { title } }",
    "roadmap { phases { milestones { id rank } } }",
    "roadmap { phases { milestones { id history(first: 2) { totalCount } } } }",
]


async def _prepare(owner: asyncpg.Connection, world: World) -> dict[str, Any]:
    """An awkward title, a commitment past due (MISSED), and a Contoso commitment naming a
    milestone INTERNAL to Northwind: Contoso must see no milestone there."""
    nc = world.northwind_contoso.id
    northwind = world.parties[("nc", "northwind")].id
    contoso = world.parties[("nc", "contoso")].id
    hidden = await owner.fetchrow(
        "UPDATE milestone SET visibility = 'INTERNAL', title = 'Northwind only' "
        "WHERE id = (SELECT id FROM milestone WHERE partnership_id = $1 AND owner_party_id = $2 "
        "ORDER BY sort_key LIMIT 1) RETURNING id",
        nc,
        northwind,
    )
    commitment = await owner.fetchval(
        "SELECT id FROM commitment WHERE partnership_id = $1 AND owner_party_id = $2 "
        "AND visibility = 'SHARED' ORDER BY due_date LIMIT 1",
        nc,
        contoso,
    )
    await owner.execute(
        "UPDATE commitment SET milestone_id = $2, title = $3, status = 'AGREED', "
        "due_date = current_date - 3 WHERE id = $1",
        commitment,
        hidden["id"],
        AWKWARD,
    )
    await owner.execute(
        "UPDATE milestone SET description = $2 WHERE partnership_id = $1 AND visibility = 'SHARED'",
        nc,
        AWKWARD,
    )
    return {"commitment": commitment, "hidden": hidden["id"]}


async def _both(
    clients: dict[str, httpx.AsyncClient], query: str, variables: dict[str, Any]
) -> tuple[bytes, list[str], list[str]]:
    """The fast app's answer, with both apps' statements; the answers must be equal."""
    async with counting() as fast_statements:
        fast = await post_bytes(clients["fast"], query, variables)
    async with counting() as standard_statements:
        standard = await post_bytes(clients["standard"], query, variables)
    assert "errors" not in orjson.loads(fast), fast
    assert fast == standard, query
    return fast, fast_statements.statements, standard_statements.statements


def _json_built(statements: list[str]) -> bool:
    return any("to_json(" in s for s in statements)


@pytest.mark.parametrize("email", ["lead@contoso.example", "lead@northwind.example"])
async def test_lists_built_in_sql_equal_the_objects_byte_for_byte(
    clients: dict[str, httpx.AsyncClient],
    world: World,
    owner: asyncpg.Connection,
    email: str,
) -> None:
    await _prepare(owner, world)
    for client in clients.values():
        client.cookies.clear()
    await login(clients["fast"], email)
    clients["standard"].cookies = clients["fast"].cookies
    by_id = {"id": world.nc_id}

    first, statements, standard = await _both(clients, COMMITMENTS, by_id)
    assert _json_built(statements) and not _json_built(standard)
    page = orjson.loads(first)["data"]["partnership"]["commitments"]
    assert len(page["nodes"]) == 7 and page["pageInfo"]["hasNextPage"]
    later = {**by_id, "after": page["pageInfo"]["endCursor"]}
    await _both(clients, COMMITMENTS, later)
    ordered = {"order": {"field": "UPDATED_AT", "descending": True}}
    await _both(clients, COMMITMENTS, {**later, **ordered})
    missed, _, _ = await _both(clients, COMMITMENTS, {**by_id, "filter": {"status": ["MISSED"]}})
    await _both(clients, COMMITMENTS, {**by_id, "filter": {"status": ["CONFIRMED"]}})

    # What the user reads: the awkward title whole, MISSED past due, and for Contoso no sign
    # of the milestone only Northwind may see.
    nodes = orjson.loads(missed)["data"]["partnership"]["commitments"]["nodes"]
    awkward = next(n for n in nodes if n["title"] == AWKWARD)
    assert awkward["status"] == "MISSED"
    roadmap, statements, _ = await _both(clients, ROADMAP, by_id)
    assert _json_built(statements)
    phases = orjson.loads(roadmap)["data"]["partnership"]["roadmap"]["phases"]
    assert [p["phase"] for p in phases] == ["STABILIZE", "REBUILD", "DEEPEN"]
    titles = {m["title"] for p in phases for m in p["milestones"]}
    descriptions = {m["description"] for p in phases for m in p["milestones"]}
    assert AWKWARD in descriptions
    if email.startswith("lead@contoso"):
        assert awkward["milestone"] is None
        assert b"Northwind only" not in roadmap and b"Northwind only" not in missed
        assert "Northwind only" not in titles
    else:
        assert awkward["milestone"]["title"] == "Northwind only"
        assert "Northwind only" in titles

    fragments, statements, _ = await _both(clients, FRAGMENTS, by_id)
    assert _json_built(statements)
    node = orjson.loads(fragments)["data"]["partnership"]["commitments"]["nodes"][0]
    assert list(node) == ["id", "status", "milestone", "heading", "due", "owner"]


@pytest.mark.parametrize("selection", ORDINARY)
async def test_what_a_shape_does_not_declare_takes_the_ordinary_path(
    clients: dict[str, httpx.AsyncClient], world: World, selection: str
) -> None:
    query = f"query($id: ID!) {{ partnership(id: $id) {{ {selection} }} }}"
    answer, statements, _ = await _both(clients, query, {"id": world.nc_id})
    assert not _json_built(statements)
    assert orjson.loads(answer)["data"]["partnership"]


async def test_another_partnership_gets_no_list_from_sql(
    clients: dict[str, httpx.AsyncClient], world: World
) -> None:
    # Northwind's lead has no seat in Fabrikam ↔ Contoso.
    for client in clients.values():
        client.cookies.clear()
    await login(clients["fast"], "lead@northwind.example")
    clients["standard"].cookies = clients["fast"].cookies
    answer = await post_bytes(clients["fast"], COMMITMENTS, {"id": world.fc_id})
    body = orjson.loads(answer)
    assert body["data"]["partnership"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]
    assert answer == await post_bytes(clients["standard"], COMMITMENTS, {"id": world.fc_id})


def _shapes(shape: Shape, seen: dict[str, Shape]) -> dict[str, Shape]:
    seen[shape.type_name] = shape
    for read in shape.fields.values():
        if isinstance(read, Nested):
            _shapes(read.shape, seen)
    return seen


def test_every_declared_field_is_a_plain_field_of_its_type() -> None:
    """A renamed or retyped GraphQL field fails here, not in an answer (the SDL file is the
    code's: tests/graphql/test_schema_file.py)."""
    schema = build_schema((REPO_ROOT / "schema" / "schema.graphql").read_text())
    shapes = _shapes(COMMITMENT, {})
    assert set(shapes) == {"Commitment", "Milestone", "Party"}
    for shape in shapes.values():
        graphql_type = schema.get_type(shape.type_name)
        assert isinstance(graphql_type, GraphQLObjectType)
        for name, read in shape.fields.items():
            field = graphql_type.fields[name]
            assert not field.args, f"{shape.type_name}.{name}"
            named = get_named_type(field.type)
            if isinstance(read, Nested):
                assert named.name == read.shape.type_name, f"{shape.type_name}.{name}"
            else:
                assert not isinstance(named, GraphQLObjectType), f"{shape.type_name}.{name}"
                assert named.name in {"ID", "String", "Boolean", "Int", "Date"} or (
                    named.name.endswith(("Status", "Visibility", "Phase"))
                ), f"{shape.type_name}.{name}: {named.name}"
            if not isinstance(field.type, GraphQLNonNull):
                assert name in {"targetDate", "disputeReason", "milestone"}, name


async def test_the_sql_keeps_internal_records_out_without_row_level_security(
    world: World, owner: asyncpg.Connection, seed_databases: tuple[Database, Database]
) -> None:
    """The service check alone: the statements run as the owner, whom RLS does not limit, and
    still name no milestone INTERNAL to Northwind for Contoso (RLS alone: tests/security)."""
    await fill_shape(owner, world.northwind_contoso, EXECUTOR_SHAPE)
    await _prepare(owner, world)
    owner_db = seed_databases[0]
    nc = world.northwind_contoso.id
    contoso = world.parties[("nc", "contoso")].id
    commitments = "{ commitments(first: 100) { nodes { title milestone { title } } } }"
    roadmap = "{ roadmap { phases { milestones { title } } } }"
    async with owner_db.session() as session:
        texts = await commitments_repository.commitments_json_page(
            session,
            nc,
            PageRequest.parse(first=100, after=None, last=None, before=None, max_size=100),
            json=_sql(COMMITMENT_NODES, commitments, "commitment"),
            where=CommitmentFilter(),
            order=CommitmentOrder.DUE_DATE,
            descending=False,
            today=today(),
            viewer_party_id=contoso,
        )
        milestones = await roadmap_repository.milestones_json_of(
            session,
            nc,
            viewer_party_id=contoso,
            json=_sql(ROADMAP_MILESTONES, roadmap, "milestone"),
        )
        every = await session.execute(
            text("SELECT count(*) FROM milestone WHERE title = 'Northwind only'")
        )
    assert every.scalar_one() == 1  # the owner could read it
    nodes = [orjson.loads(t) for t in texts.items]
    assert next(n for n in nodes if n["title"] == AWKWARD)["milestone"] is None
    assert len(nodes) == texts.total > 0
    titles = [orjson.loads(m)["title"] for _, m in milestones]
    assert titles and "Northwind only" not in titles


def _sql(json_list: JsonList, query: str, alias: str) -> str:
    """The list's SQL for the first field of `query`, as a resolver's info would give it."""
    document = parse(query)
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    info = SimpleNamespace(
        context=SimpleNamespace(splices_json=True),
        _raw_info=SimpleNamespace(
            field_nodes=[operation.selection_set.selections[0]], fragments={}
        ),
    )
    sql = json_list.sql(info, alias)  # type: ignore[arg-type]
    assert sql is not None
    return sql
