"""The search's one statement: every source's matching rows the viewer's side may read."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, func, literal, literal_column, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from mutual.kit.repository import read_rows
from mutual.kit.search import LANGUAGE, SearchSource, search_vector
from mutual.kit.visibility import PARTNERSHIP, VIEWER_PARTY, readable_bound

EXCERPT_LENGTH = 160


class Hit(NamedTuple):
    object_type: str
    object_id: uuid.UUID
    title: str
    excerpt: str


def _matches(source: SearchSource) -> Select[Any]:
    model = source.model
    query = func.to_tsquery(literal_column(f"'{LANGUAGE}'::regconfig"), bindparam("query"))
    vector = search_vector(model)
    columns: tuple[Any, ...] = (
        literal(source.object_type).label("object_type"),
        col(model.id).label("object_id"),
        col(model.title).label("title"),
        func.left(col(model.description), EXCERPT_LENGTH).label("excerpt"),
        func.ts_rank(vector, query).label("rank"),
        col(model.updated_at).label("updated_at"),
    )
    return select(*columns).where(readable_bound(model), vector.op("@@")(query))


async def search(
    session: AsyncSession,
    sources: Sequence[SearchSource],
    partnership_id: uuid.UUID,
    *,
    viewer_party_id: uuid.UUID,
    query: str,
    limit: int,
) -> list[Hit]:
    """Best matches first (text rank, then the latest changed), across every source."""
    if not sources:
        return []
    matches = union_all(*(_matches(s) for s in sources)).subquery()
    stmt = (
        select(matches.c.object_type, matches.c.object_id, matches.c.title, matches.c.excerpt)
        .order_by(matches.c.rank.desc(), matches.c.updated_at.desc())
        .limit(limit)
    )
    params = {PARTNERSHIP: partnership_id, VIEWER_PARTY: viewer_party_id, "query": query}
    return [Hit._make(row) for row in await read_rows(session, stmt, params)]
