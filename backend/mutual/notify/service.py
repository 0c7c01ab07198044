"""Who may keep listening: a live subscription's access, checked when it starts and again
whenever it may have ended — the database announced a change of the user's access (sign-out,
token revoked, removed from the workspace, deactivated), the live feed was interrupted, the
session or token expires, and in any case every `live_access_check_seconds`."""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from mutual.db import Database
from mutual.kit.clock import utcnow
from mutual.kit.errors import DomainError, Unauthenticated
from mutual.kit.principal import Principal
from mutual.tenancy.workspace import Workspace, load_workspace

# Whom the operation's credentials name now, with that identity set in the session's
# transaction (graphql.context.Context.authenticate).
Authenticate = Callable[[AsyncSession], Awaitable[Principal | None]]

CREDENTIALS_ENDED = (
    "Your sign-in has ended (signed out or expired), or the API token was revoked or has "
    "expired: live updates stop here."
)
NOT_VISIBLE = "No partnership with this id is visible to you."


class LiveAccess:
    """One subscription's right to a partnership's events."""

    def __init__(
        self,
        *,
        database: Database,
        authenticate: Authenticate,
        partnership_id: uuid.UUID,
        check_seconds: float,
    ) -> None:
        self._database = database
        self._authenticate = authenticate
        self.partnership_id = partnership_id
        self._check_seconds = check_seconds
        self._next_check = 0.0
        self._expires_at: float | None = None
        self.principal: Principal | None = None
        self.workspace: Workspace | None = None

    async def check(self, session: AsyncSession) -> Workspace:
        """The caller's workspace now; raises Unauthenticated when the credentials have ended
        and NOT_FOUND when the partnership is no longer visible to them."""
        principal = await self._authenticate(session)
        if principal is None:
            raise Unauthenticated(CREDENTIALS_ENDED)
        try:
            workspace = await load_workspace(
                session, actor=principal, partnership_id=self.partnership_id
            )
        except DomainError:
            raise DomainError("NOT_FOUND", NOT_VISIBLE, field="partnershipId") from None
        self.principal, self.workspace = principal, workspace
        now = time.monotonic()
        self._next_check = now + self._check_seconds
        self._expires_at = None
        if principal.expires_at is not None:
            self._expires_at = now + (principal.expires_at - utcnow()).total_seconds()
        return workspace

    async def check_again(self) -> Workspace:
        """`check` in a transaction of its own (the subscription holds no connection). A
        pooled connection that a database restart killed is replaced once: the first use of
        one invalidates the pool's older connections too."""
        try:
            return await self._check_in_new_session()
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
        return await self._check_in_new_session()

    async def _check_in_new_session(self) -> Workspace:
        async with self._database.session() as session, session.begin():
            return await self.check(session)

    def seconds_to_check(self) -> float:
        """How long the access holds without another check: the periodic one, or expiry."""
        due = self._next_check
        if self._expires_at is not None:
            due = min(due, self._expires_at)
        return max(due - time.monotonic(), 0.0)

    @property
    def due(self) -> bool:
        return self.seconds_to_check() <= 0.0
