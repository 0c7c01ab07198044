"""Shared query helpers for the domain repositories."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mutual.kit.pagination import Page, PageRequest


def _shape(columns: Sequence[Any], scalar: bool) -> Any:
    return columns[0] if scalar else tuple(columns)


async def paginate(
    session: AsyncSession,
    stmt: Select[Any],
    page: PageRequest,
    *,
    scalar: bool = True,
    params: Mapping[str, Any] | None = None,
) -> Page[Any]:
    """Run an ordered SELECT as a page; forward paging takes one statement (count over()).

    With `scalar`, items are the first column (an entity); otherwise tuples of the columns.
    `params` fill the statement's bind parameters (a statement built once has some).
    """
    window = page.simple_window
    if window is not None:
        offset, limit = window
        counted = stmt.add_columns(func.count().over()).offset(offset).limit(limit)
        rows: Sequence[Any] = (await session.execute(counted, params)).all()
        # No row: the total is 0 only if the page started at the top and asked for something.
        if rows or (offset == 0 and limit > 0):
            total = int(rows[0][-1]) if rows else 0
            items = [_shape(row[:-1], scalar) for row in rows]
            return Page(items=items, offset=offset, total=total)
    total = await count(session, stmt, params)
    offset, limit = page.window(total)
    rows = (await session.execute(stmt.offset(offset).limit(limit), params)).all()
    return Page(items=[_shape(row, scalar) for row in rows], offset=offset, total=total)


async def count(
    session: AsyncSession, stmt: Select[Any], params: Mapping[str, Any] | None = None
) -> int:
    counted = select(func.count()).select_from(stmt.order_by(None).subquery())
    result = await session.execute(counted, params)
    return int(result.scalar_one())
