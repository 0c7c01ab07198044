"""`mutual verify-report FILE --as EMAIL`: check a report's PDF or JSON against the database, as
a member of the partnerships it may belong to (the same rule as verifyReport)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import URL
from sqlmodel import col

from mutual.db import Database
from mutual.governance.reports import service
from mutual.kit.errors import DomainError
from mutual.kit.identity import set_user_identity
from mutual.kit.principal import user_principal
from mutual.tenancy.models import User


async def verify_report_file(database_url: URL, path: Path, email: str) -> tuple[int, str]:
    """(exit code, message): 0 when the file matches a report, 1 when it does not, 2 when it
    cannot be checked (no such file or user)."""
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as error:
        return 2, f"Cannot read {path}: {error.strerror}."
    database = Database(database_url, pool_size=1)
    try:
        async with database.session() as session, session.begin():
            user = (
                await session.execute(select(User).where(col(User.email) == email.strip().lower()))
            ).scalar_one_or_none()
            if user is None or not user.is_active:
                return 2, f"No active user {email}."
            await set_user_identity(session, user.id)
            try:
                found = await service.verify_file(session, actor=user_principal(user), data=data)
            except DomainError as error:
                return 1, f"NOT VERIFIED ({error.code}): {error.message}"
    finally:
        await database.dispose()
    report = found.report
    side = found.workspace.party(report.owner_party_id).label
    generated = report.created_at.isoformat(timespec="seconds")
    return 0, (
        f"VERIFIED: this {found.kind} is the report “{report.title}” of "
        f"{found.workspace.partnership.name}, as of {report.as_of.isoformat()}, generated "
        f"{generated} by {side}; sha256 {report.sha256}."
    )
