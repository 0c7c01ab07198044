"""What one side may read of a partnership, in SQL, written once for every repository: SHARED
records and its own INTERNAL ones (PostgreSQL row-level security is only the backstop)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, or_
from sqlalchemy.dialects.postgresql import UUID
from sqlmodel import col

from mutual.kit.records import Visibility

# The names of the bind parameters of `readable_bound` statements.
PARTNERSHIP = "partnership_id"
VIEWER_PARTY = "viewer_party_id"


def readable(
    model: Any,
    *,
    partnership_id: uuid.UUID | ColumnElement[uuid.UUID],
    viewer_party_id: uuid.UUID | ColumnElement[uuid.UUID],
) -> ColumnElement[bool]:
    """The rows of `model` (partnership_id, visibility, owner_party_id) the viewer's side may
    read in one partnership."""
    return and_(
        col(model.partnership_id) == partnership_id,
        or_(
            col(model.visibility) == Visibility.SHARED,
            col(model.owner_party_id) == viewer_party_id,
        ),
    )


def readable_bound(model: Any) -> ColumnElement[bool]:
    """`readable` with bind parameters, for statements built once and run with
    `{PARTNERSHIP: ..., VIEWER_PARTY: ...}`."""
    return readable(
        model,
        partnership_id=bindparam(PARTNERSHIP, type_=UUID(as_uuid=True)),
        viewer_party_id=bindparam(VIEWER_PARTY, type_=UUID(as_uuid=True)),
    )
