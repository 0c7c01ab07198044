"""The leaf-first executor answers exactly as graphql-core's own: same data, same errors with
the same paths, for plain attributes, `self`-only resolvers, record fields (read through their
attrgetter), enums, nulls and failures."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, cast

import strawberry

from mutual.graphql.execution import LeafFirstExecutor
from mutual.graphql.records import record_field


@dataclass
class Row:
    title: str | None
    code: Any  # an int where a String is declared: coerced, not passed as it is
    score: Decimal | None


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    GREEN = "green"


@strawberry.type
class Owner:
    label: str
    broken: str | None
    strict: str


@strawberry.type
class Item:
    owner: Owner
    maybe_owner: Owner | None
    name: str
    colour: Colour
    due: date | None
    seen: datetime
    ratio: float  # one is infinite: not a Float graphql-core will answer
    broken_name: str  # holds None on purpose: a non-null field without a value
    raw: strawberry.Private[int]
    record: strawberry.Private[Row]
    title: str = record_field("title", str)
    code: str = record_field("code", str)
    score: float | None = record_field("score", float | None, convert=float)

    @strawberry.field
    def doubled(self) -> int:
        return self.raw * 2

    @strawberry.field
    def failing(self) -> str:
        raise ValueError(f"item {self.raw} cannot say")

    @strawberry.field
    def scaled(self, by: int) -> int:
        return self.raw * by

    @strawberry.field
    def eventually(self) -> int:
        """Declared synchronous, answered later (as prefetch-or-load fields do)."""

        async def later() -> int:
            return self.raw * 10

        return cast(int, later())

    @strawberry.field
    def owner_again(self) -> Owner:
        return self.owner


def _items() -> list[Item]:
    good = Owner(label="Northwind", broken=None, strict="s")
    bad = Owner(label="Contoso", broken=None, strict=None)  # type: ignore[arg-type]
    return [
        Item(
            owner=good,
            maybe_owner=None,
            name="a",
            colour=Colour.RED,
            due=date(2026, 1, 2),
            seen=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
            ratio=0.25,
            broken_name="x",
            raw=1,
            record=Row(title="First", code=7, score=Decimal("1.5")),
        ),
        Item(
            owner=bad,
            maybe_owner=good,
            name="b",
            colour=Colour.GREEN,
            due=None,
            seen=datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC),
            ratio=float("inf"),
            broken_name=None,  # type: ignore[arg-type]
            raw=2,
            record=Row(title=None, code="B-2", score=None),
        ),
    ]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return _items()

    @strawberry.field
    def strict_items(self) -> list[Item | None]:
        return list(_items())


QUERIES = [
    "{ items { name colour due doubled scaled(by: 3) __typename } }",
    "{ items { n: name alias: doubled ...F } } fragment F on Item { colour due }",
    "{ items { name failing } }",
    "{ strictItems { name brokenName } }",
    "{ items { name } strictItems { brokenName doubled } }",
    "{ items { owner { label broken } maybeOwner { label } } }",
    "{ strictItems { name owner { label strict } } }",
    "{ items { owner { label __typename } maybeOwner { ... on Owner { strict } } } }",
    "{ items { name colour } }",
    "{ items { name brokenName } }",
    "{ items { eventually scaled(by: 2) ownerAgain { label } } }",
    "query($by: Int!) { items { scaled(by: $by) owner { label } } }",
    "{ items { code score } }",
    "{ strictItems { title code score } }",
    "{ items { name title } }",
    "{ items { seen colour due } }",
    "{ items { ratio } }",
    "{ strictItems { name ratio } }",
]


async def _run(executor: Any, query: str) -> dict[str, Any]:
    schema = strawberry.Schema(Query, execution_context_class=executor)
    result = await schema.execute(query, variable_values={"by": 4})
    errors = [
        {"message": e.message, "path": e.path, "locations": e.locations}
        for e in result.errors or []
    ]
    return {"data": result.data, "errors": errors}


async def test_every_query_answers_as_graphql_core_does() -> None:
    for query in QUERIES:
        assert await _run(LeafFirstExecutor, query) == await _run(None, query), query


async def test_a_null_in_a_non_null_leaf_is_an_error_at_its_path() -> None:
    result = await _run(LeafFirstExecutor, "{ strictItems { name brokenName } }")

    assert result["data"] == {"strictItems": [{"name": "a", "brokenName": "x"}, None]}
    assert [e["path"] for e in result["errors"]] == [["strictItems", 1, "brokenName"]]
    assert "Cannot return null for non-nullable field" in result["errors"][0]["message"]


async def test_a_failing_self_resolver_is_reported_with_its_message() -> None:
    result = await _run(LeafFirstExecutor, "{ items { name failing } }")

    assert result["data"] is None  # non-null all the way up
    assert [e["message"] for e in result["errors"]] == ["item 1 cannot say"]
    assert result["errors"][0]["path"] == ["items", 0, "failing"]


async def test_an_object_of_leaves_with_a_null_in_a_non_null_leaf_errors_at_its_path() -> None:
    result = await _run(LeafFirstExecutor, "{ strictItems { name owner { label strict } } }")

    assert result["data"] == {
        "strictItems": [{"name": "a", "owner": {"label": "Northwind", "strict": "s"}}, None]
    }
    assert [e["path"] for e in result["errors"]] == [["strictItems", 1, "owner", "strict"]]


async def test_a_list_of_leaf_objects_with_one_bad_item_errors_at_that_item() -> None:
    result = await _run(LeafFirstExecutor, "{ items { name brokenName } }")

    assert result["data"] is None  # [Item!]! all the way up
    assert [e["path"] for e in result["errors"]] == [["items", 1, "brokenName"]]


async def test_record_fields_read_through_their_attrgetter_as_their_resolvers_do() -> None:
    result = await _run(LeafFirstExecutor, "{ strictItems { title code score } }")

    assert result["data"] == {"strictItems": [{"title": "First", "code": "7", "score": 1.5}, None]}
    assert [e["path"] for e in result["errors"]] == [["strictItems", 1, "title"]]


async def test_leaves_answered_directly_are_what_graphql_core_answers() -> None:
    result = await _run(LeafFirstExecutor, "{ strictItems { colour due seen ratio } }")

    first = {"colour": "RED", "due": "2026-01-02", "seen": "2026-01-02T03:04:05+00:00"}
    assert result["data"] == {"strictItems": [{**first, "ratio": 0.25}, None]}
    # an infinite float is graphql-core's to refuse, at its path
    assert [e["path"] for e in result["errors"]] == [["strictItems", 1, "ratio"]]
