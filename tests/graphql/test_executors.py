"""The two executors (MUTUAL_EXECUTOR): the fast one is the default and answers the dashboard's
leaf fields itself; graphql-core's standard one gives byte for byte the same answers; a schema
extension that hooks field resolution is refused by the fast one, not silently bypassed."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import strawberry
from graphql import get_named_type, is_leaf_type
from graphql.execution import Executor
from starlette.applications import Starlette
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from bench.dashboard import DASHBOARD
from mutual.config import Settings
from mutual.graphql.execution import FieldHookError, LeafFirstExecutor, _direct
from mutual.schema import build_schema
from tests.graphql.conftest import post_bytes, with_executor
from tests.helpers import World

VIEWER = """
{
  viewer {
    user { id email displayName orgRole organization { name slug hasSso } }
    organization { id name }
    partnerships(first: 10) {
      totalCount
      nodes { id name status createdAt viewerRole parties { label isOwn } counterparty { id } }
    }
    pendingInvitations { id }
  }
}
"""
IDS = """
query($id: ID!) {
  partnership(id: $id) {
    roadmap { phases { milestones { id version } } }
    commitments(first: 3) { nodes { id } }
    kpis(includeBuiltin: false) { id }
    parties { id }
  }
}
"""
NODES = """
query($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename id
    ... on Milestone { title phase status targetDate rank visibility version ownerParty { label } }
    ... on Commitment {
      title commitmentStatus: status dueDate ownerParty { label } milestone { title }
    }
    ... on Kpi { name unit kpiStatus: status measurements(last: 3) { period value } }
    ... on Party { label isOwn organization { name } }
  }
}
"""
NODE = "query($id: ID!) { node(id: $id) { id ... on Milestone { title } } }"
PARTNERSHIP = "query($id: ID!) { partnership(id: $id) { id name } }"
UPDATE_MILESTONE = """
mutation($input: UpdateMilestoneInput!) {
  updateMilestone(input: $input) {
    milestone { id }
    userErrors { field code message current { id title version } }
  }
}
"""


async def test_both_executors_give_byte_identical_answers(
    clients: dict[str, httpx.AsyncClient], world: World
) -> None:
    fast, standard = clients["fast"], clients["standard"]
    ids = httpx.Response(200, content=await post_bytes(fast, IDS, {"id": world.nc_id})).json()
    board = ids["data"]["partnership"]
    milestones = [m for p in board["roadmap"]["phases"] for m in p["milestones"]]
    node_ids = [
        *(m["id"] for m in milestones[:3]),
        *(c["id"] for c in board["commitments"]["nodes"]),
        *(k["id"] for k in board["kpis"]),
        *(p["id"] for p in board["parties"]),
    ]
    stale = {"milestoneId": milestones[0]["id"], "expectedVersion": milestones[0]["version"] + 7}
    operations: list[tuple[str, dict[str, Any], Callable[[dict[str, Any]], bool]]] = [
        (DASHBOARD, {"id": world.nc_id}, lambda b: len(b["data"]["partnership"]["kpis"]) > 4),
        (VIEWER, {}, lambda b: b["data"]["viewer"]["partnerships"]["totalCount"] == 2),
        (NODES, {"ids": node_ids}, lambda b: None not in b["data"]["nodes"]),
        (NODE, {"id": milestones[1]["id"]}, lambda b: b["data"]["node"]["title"] != ""),
        (
            PARTNERSHIP,
            {"id": world.nc_id + "x"},
            lambda b: [e["extensions"]["code"] for e in b["errors"]] == ["NOT_FOUND"],
        ),
        (NODE, {"id": "zzz"}, lambda b: b["data"] == {"node": None} and len(b["errors"]) == 1),
        (
            UPDATE_MILESTONE,
            {"input": {**stale, "title": "Renamed"}},
            lambda b: (
                [e["code"] for e in b["data"]["updateMilestone"]["userErrors"]] == ["CONFLICT"]
            ),
        ),
    ]
    for query, variables, expected in operations:
        fast_answer = await post_bytes(fast, query, variables)
        standard_answer = await post_bytes(standard, query, variables)

        assert fast_answer == standard_answer, query
        assert expected(httpx.Response(200, content=fast_answer).json()), fast_answer


@contextmanager
def _executed_fields(
    monkeypatch: pytest.MonkeyPatch, leaves: dict[str, Any]
) -> Iterator[Counter[str]]:
    """Every field graphql-core's own path executes (Executor.execute_field), by Type.field;
    `leaves` gathers those of a scalar or enum type, with that type."""
    executed: Counter[str] = Counter()
    original = Executor.execute_field

    def counted(self: Executor[Any], parent_type: Any, source: Any, fields: Any, *rest: Any) -> Any:
        field_name = fields[0].node.name.value
        name = f"{parent_type.name}.{field_name}"
        executed[name] += 1
        field = parent_type.fields.get(field_name)  # None for __typename
        if field is not None and is_leaf_type(get_named_type(field.type)):
            leaves[name] = get_named_type(field.type)
        return original(self, parent_type, source, fields, *rest)

    with monkeypatch.context() as patch:
        patch.setattr(Executor, "execute_field", counted)
        yield executed


async def test_the_dashboards_leaf_fields_take_the_fast_path(
    clients: dict[str, httpx.AsyncClient],
    world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = {}
    executed = {}
    leaves: dict[str, Any] = {}
    for name, client in clients.items():
        with _executed_fields(monkeypatch, leaves) as fields:
            answers[name] = await post_bytes(client, DASHBOARD, {"id": world.nc_id})
        executed[name] = fields

    assert answers["fast"] == answers["standard"]
    # every leaf graphql-core would execute for the dashboard, many times over ...
    assert {"Milestone.title", "Commitment.status", "Party.label", "KpiMeasurement.value"} <= set(
        leaves
    )
    assert sum(executed["standard"][leaf] for leaf in leaves) > 100
    # ... is answered by the fast executor's loop: none reaches graphql-core's path
    assert sorted(leaf for leaf in leaves if executed["fast"][leaf]) == []
    # Only the fields that load data take graphql-core's path; every field below them, with
    # arguments (measurements(last: 12)) or a resolver (a KPI's status), is planned.
    assert set(executed["fast"]) == {
        "Query.partnership",
        "Partnership.roadmap",
        "Partnership.commitments",
        "Partnership.kpis",
    }
    # Its leaves' types (enums, Date, String, ID, Float) are converted directly, without
    # graphql-core's coercion: what strawberry's private names (wrapped_cls, isoformat) give.
    direct = {leaf.name: _direct(leaf)[0] for leaf in leaves.values()}
    assert {"String", "ID", "Date", "Float", "CommitmentStatus", "KpiStatus"} <= set(direct)
    assert sorted(name for name, python_type in direct.items() if python_type is None) == ["Int"]


def test_the_fast_executor_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MUTUAL_EXECUTOR", raising=False)
    settings = Settings(env="test")

    assert settings.executor == "fast"
    assert build_schema(settings).execution_context_class is LeafFirstExecutor


def test_mutual_executor_standard_is_graphql_cores_execution(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MUTUAL_EXECUTOR", "standard")
    settings = Settings(env="test")

    assert settings.executor == "standard"
    chosen = build_schema(settings).execution_context_class
    assert chosen is StrawberryGraphQLCoreExecutionContext
    assert not issubclass(chosen, LeafFirstExecutor)
    # what strawberry runs when given no class (the name is not in strawberry's public API)
    assert strawberry.Schema(Query).execution_context_class is chosen


def test_the_harness_runs_the_executor_the_environment_names(app: Starlette) -> None:
    """quickstart's second run (MUTUAL_EXECUTOR=standard) reaches every app the tests build."""
    expected = {"fast": LeafFirstExecutor, "standard": StrawberryGraphQLCoreExecutionContext}

    chosen = app.state.schema.execution_context_class

    assert chosen is expected[os.environ.get("MUTUAL_EXECUTOR", "fast")]


class Tracing(SchemaExtension):
    """What a tracing extension does: it sees each field resolved."""

    seen: list[str] = []

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        Tracing.seen.append(f"{info.parent_type.name}.{info.field_name}")
        return _next(root, info, *args, **kwargs)


class Quiet(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        yield None


@strawberry.type
class Leaf:
    name: str


@strawberry.type
class Query:
    @strawberry.field
    def leaves(self) -> list[Leaf]:
        return [Leaf(name="a"), Leaf(name="b")]


@pytest.mark.parametrize(
    "extension", [Tracing, Tracing(), lambda: Tracing()], ids=["class", "instance", "factory"]
)
def test_a_fast_schema_with_a_field_hook_is_refused_when_built(extension: Any) -> None:
    with pytest.raises(FieldHookError, match="MUTUAL_EXECUTOR=standard"):
        LeafFirstExecutor.for_setting("fast", [Quiet, extension])


def test_extensions_without_a_field_hook_keep_the_fast_executor(settings: Settings) -> None:
    assert LeafFirstExecutor.for_setting("fast", [Quiet, lambda: Quiet()]) is LeafFirstExecutor
    fast = build_schema(with_executor(settings, "fast"))
    assert fast.execution_context_class is LeafFirstExecutor


async def test_the_standard_executor_runs_a_field_hook_on_every_field() -> None:
    executor = LeafFirstExecutor.for_setting("standard", [Tracing])
    schema = strawberry.Schema(Query, extensions=[Tracing], execution_context_class=executor)
    Tracing.seen.clear()

    result = await schema.execute("{ leaves { name } }")

    assert result.errors is None
    assert Tracing.seen == ["Query.leaves", "Leaf.name", "Leaf.name"]


async def test_a_field_hook_reaching_the_fast_executor_fails_the_operation() -> None:
    schema = strawberry.Schema(
        Query, extensions=[Tracing], execution_context_class=LeafFirstExecutor
    )
    Tracing.seen.clear()

    result = await schema.execute("{ leaves { name } }")

    assert result.data is None
    assert result.errors is not None
    assert "MUTUAL_EXECUTOR=standard" in result.errors[0].message
    assert Tracing.seen == []
