"""What a domain adds to the partnership's search and to its "waiting on your side" list:
declared in its `Domain.search` and `Domain.waiting`, gathered by the `search` domain."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Index, func, literal_column, text

# Text search runs in English (stemming: "delivered" finds "delivery").
LANGUAGE = "english"


@dataclass(frozen=True)
class SearchSource:
    """A table whose rows are found by their title and description.

    The table has a GIN index on `search_vector(model)`, the same expression (see the
    migration that added it), so a search is an index scan."""

    object_type: str  # the Node type of its rows
    model: Any  # an OwnedRecord table with `title` and `description`


def search_index(table: str) -> Index:
    """The GIN index a searched table declares (its migration creates it)."""
    # As SQLAlchemy reflects it, so that comparing the models with the database matches.
    document = f"to_tsvector('{LANGUAGE}'::regconfig, (title || ' '::text) || description)"
    return Index(f"{table}_search_idx", text(document), postgresql_using="gin")


def search_vector(model: Any) -> ColumnElement[Any]:
    """The indexed document of a row: its title, then its description."""
    document = model.title + literal_column("' '") + model.description
    return func.to_tsvector(literal_column(f"'{LANGUAGE}'::regconfig"), document)


@dataclass(frozen=True)
class Waiting:
    """An item waiting for one side to act: what it is, and what is asked of that side."""

    object_type: str
    object_id: uuid.UUID
    title: str
    asked: str  # e.g. "Accept or decline the proposal"
    since: datetime


# A domain's items waiting on the workspace's side: (session, workspace) -> items.
WaitingSource = Callable[[Any, Any], Awaitable[Sequence[Waiting]]]
