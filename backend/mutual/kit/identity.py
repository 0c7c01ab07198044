"""The caller's identity inside a transaction, for PostgreSQL row-level security."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


async def set_user_identity(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Set for this transaction only (`set_config(..., true)`), as a bound parameter."""
    await session.execute(
        text("SELECT set_config('mutual.user_id', :user_id, true)"), {"user_id": str(user_id)}
    )
