"""Column helpers shared by the domain models: they declare what the migrations' SQL has."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, DateTime, Text, text
from sqlmodel import Field


def timestamp_column(
    nullable: bool = False, *, server_default: str | None = "now()"
) -> Column[datetime]:
    """A timestamptz column; NOT NULL ones default to `server_default` (SQL) in the database."""
    default = None if nullable or server_default is None else text(server_default)
    return Column(DateTime(timezone=True), nullable=nullable, server_default=default)


def server_default(sql: str) -> dict[str, Any]:
    """sa_column_kwargs for a column whose database default is the SQL expression `sql`."""
    return {"server_default": text(sql)}


def text_field(default: Any = ..., *, server_default: str | None = None, **kwargs: Any) -> Any:
    """A text column (sqlmodel maps str to an unbounded VARCHAR); `server_default` is the
    database's default as SQL, e.g. "''"."""
    column_kwargs = {} if server_default is None else {"server_default": text(server_default)}
    return Field(default, sa_type=Text, sa_column_kwargs=column_kwargs, **kwargs)


def uuid_key(**kwargs: Any) -> Any:
    """A uuid key: made by the application (uuid4); gen_random_uuid() is the database's default."""
    return Field(
        default_factory=uuid.uuid4, sa_column_kwargs=server_default("gen_random_uuid()"), **kwargs
    )
