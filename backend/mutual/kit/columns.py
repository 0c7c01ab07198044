"""Column helpers shared by the domain models."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, func


def timestamp_column(nullable: bool = False) -> Column[datetime]:
    """A timestamptz column; NOT NULL ones default to now() in the database."""
    default = None if nullable else func.now()
    return Column(DateTime(timezone=True), nullable=nullable, server_default=default)
