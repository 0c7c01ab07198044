"""Finding things in a partnership: text search over the domains' records, and the items that
wait for the caller's side to act."""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.kit.errors import Invalid
from mutual.kit.search import Waiting
from mutual.search import repository
from mutual.search.repository import Hit
from mutual.search.sources import SEARCHED, WAITING
from mutual.tenancy.workspace import Workspace

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
MAX_RESULTS = 50


def prefix_query(text: str) -> str:
    """A tsquery in which every word of the text matches the words it begins ("deliv" finds
    "delivery"), all of them required. Only letters and digits reach PostgreSQL's parser."""
    words = re.findall(r"[^\W_]+", text.lower())[:MAX_WORDS]
    return " & ".join(f"{word}:*" for word in words)


async def search(
    session: AsyncSession, workspace: Workspace, *, text: str, first: int
) -> list[Hit]:
    if len(text) > MAX_QUERY_LENGTH:
        raise Invalid(f"Search for at most {MAX_QUERY_LENGTH} characters.", field="text")
    if not 1 <= first <= MAX_RESULTS:
        raise Invalid(f"Ask for 1 to {MAX_RESULTS} results.", field="first")
    query = prefix_query(text)
    if not query:
        return []
    return await repository.search(
        session,
        SEARCHED,
        workspace.id,
        viewer_party_id=workspace.own_party.id,
        query=query,
        limit=first,
    )


async def waiting_on_side(session: AsyncSession, workspace: Workspace) -> list[Waiting]:
    """Every domain's items waiting for the workspace's side, the longest waiting first."""
    items: list[Waiting] = []
    for source in WAITING:  # one session: one statement at a time
        items.extend(await source(session, workspace))
    return sorted(items, key=lambda item: item.since)
