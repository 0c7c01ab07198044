"""Who is calling: a user through a session cookie, or a user's API token."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mutual.kit.errors import Forbidden

# tenancy.models.OrgRole.ADMIN (a test keeps them equal): the kit imports no domain.
ORG_ADMIN = "ADMIN"


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    organization_id: uuid.UUID
    org_role: str
    email: str
    display_name: str
    token_id: uuid.UUID | None = None
    token_partnership_id: uuid.UUID | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    # When the session or token presented ends (None: not known, e.g. in jobs and the demo).
    expires_at: datetime | None = None

    @property
    def is_org_admin(self) -> bool:
        # A token acts for a partnership, never with its creator's organization powers.
        return self.org_role == ORG_ADMIN and self.token_id is None

    @property
    def key(self) -> str:
        """Identifies the principal for per-principal budgets."""
        return f"token:{self.token_id}" if self.token_id else f"user:{self.user_id}"

    def require_scope(self, scope: str) -> None:
        """Sessions may do anything their roles allow; tokens only what their scopes name."""
        if self.token_id is not None and scope not in self.scopes:
            raise Forbidden(f"This API token lacks the `{scope}` scope.")

    def require_session(self, action: str) -> None:
        if self.token_id is not None:
            raise Forbidden(f"{action} needs a signed-in user, not an API token.")


def user_principal(user: Any) -> Principal:
    """A signed-in user's principal, from anything with the user's columns (a User, a row)."""
    return Principal(
        user_id=user.id,
        organization_id=user.organization_id,
        org_role=user.org_role,
        email=user.email,
        display_name=user.display_name,
    )
