"""Shared query helpers for the domain repositories."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import Column, Executable, Row, Select, bindparam, func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

from mutual.db import fetch_rows, to_completion
from mutual.kit.memo import PerObject
from mutual.kit.pagination import Page, PageRequest

M = TypeVar("M", bound=SQLModel)


def columns_of(model: type[SQLModel]) -> list[Column[Any]]:
    """The model's table columns, in order: `select(*columns_of(M))` reads rows for
    `read_only(M, rows)`."""
    return list(inspect(model).columns)


def read_only(model: type[M], rows: Iterable[Sequence[Any]]) -> list[M]:
    """Rows of `select(*columns_of(model))` as instances of `model` that hold the row's columns
    and nothing else: no session, identity map or change tracking.

    On list reads, the ORM's bookkeeping cost more than the query: a dashboard builds a few
    hundred objects. Nothing here changes a loaded object (every write is an INSERT or UPDATE
    statement, see kit/records.update_versioned), so reads need none of it. A mapped attribute
    reads the instance's dict first, so these read like any instance of the model; changing
    one or adding it to a session fails loudly.
    """
    keys = [column.key for column in inspect(model).columns]
    made = []
    for row in rows:
        instance = object.__new__(model)
        instance.__dict__.update(zip(keys, row, strict=True))
        made.append(instance)
    return made


async def read_rows(
    session: AsyncSession, stmt: Executable, params: Mapping[str, Any] | None = None
) -> Sequence[Row[*tuple[Any, ...]]]:
    """Plain rows through the session's connection, for `read_only`: a select run by the session
    itself goes through the ORM's loading even when it names only columns. SQLAlchemy Core's
    rows (db.fetch_rows), in the session's transaction."""
    return await to_completion(session, _connection_rows(session, stmt, params))


async def _connection_rows(
    session: AsyncSession, stmt: Executable, params: Mapping[str, Any] | None
) -> Sequence[Row[*tuple[Any, ...]]]:
    return await fetch_rows(await session.connection(), stmt, params)


async def _session_rows(
    session: AsyncSession, stmt: Select[Any], params: Mapping[str, Any] | None = None
) -> Sequence[Any]:
    rows: Sequence[Any] = (await session.execute(stmt, params)).all()
    return rows


def _items(
    rows: Sequence[Any], cut: int | None, scalar: bool, model: type[SQLModel] | None
) -> list[Any]:
    if model is not None:
        return read_only(model, (row[:cut] for row in rows))
    return [row[0] if scalar else tuple(row[:cut]) for row in rows]


async def paginate(
    session: AsyncSession,
    stmt: Select[Any],
    page: PageRequest,
    *,
    scalar: bool = True,
    model: type[SQLModel] | None = None,
    params: Mapping[str, Any] | None = None,
    core: bool = False,
) -> Page[Any]:
    """Run an ordered SELECT as a page; forward paging takes one statement (count over()).

    With `scalar`, items are the first column (an entity); otherwise tuples of the columns;
    with `model`, the statement selects `columns_of(model)` and items are `read_only` instances.
    `params` fill the statement's bind parameters (a statement built once has some). With
    `core`, rows are read as SQLAlchemy Core's (as with `model`): for columns, not entities.
    """
    fetch = _session_rows if model is None and not core else read_rows
    window = page.simple_window
    if window is not None:
        offset, limit = window
        window_params = {**(params or {}), "page_offset": offset, "page_limit": limit}
        rows = await fetch(session, _counted(stmt), window_params)
        # No row: the total is 0 only if the page started at the top and asked for something.
        if rows or (offset == 0 and limit > 0):
            total = int(rows[0][-1]) if rows else 0
            return Page(items=_items(rows, -1, scalar, model), offset=offset, total=total)
    total = await count(session, stmt, params)
    offset, limit = page.window(total)
    rows = await fetch(session, stmt.offset(offset).limit(limit), params)
    return Page(items=_items(rows, None, scalar, model), offset=offset, total=total)


def _make_counted(stmt: Select[Any]) -> Select[Any]:
    return (
        stmt.add_columns(func.count().over())
        .offset(bindparam("page_offset"))
        .limit(bindparam("page_limit"))
    )


# Per statement built once (the caller keeps it): its page with the total, made once too, so
# that neither it nor its cache key is built again for every page read. Statements built per
# call (with filters) pass through.
_counted = PerObject(_make_counted, limit=256)


async def count(
    session: AsyncSession, stmt: Select[Any], params: Mapping[str, Any] | None = None
) -> int:
    counted = select(func.count()).select_from(stmt.order_by(None).subquery())
    result = await session.execute(counted, params)
    return int(result.scalar_one())
