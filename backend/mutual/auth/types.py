"""GraphQL types of API tokens."""

from __future__ import annotations

from datetime import datetime

import strawberry

from mutual.auth import models
from mutual.graphql.node import Node
from mutual.kit.clock import utcnow
from mutual.kit.scopes import Scope

ApiTokenScope = Scope
strawberry.enum(Scope, name="ApiTokenScope")


@strawberry.type
class ApiToken(Node):
    name: str
    scopes: list[ApiTokenScope]
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None

    @classmethod
    def from_model(cls, token: models.ApiToken) -> ApiToken:
        return cls(
            raw_id=token.id,
            name=token.name,
            scopes=[Scope(s) for s in token.scopes],
            created_at=token.created_at,
            expires_at=token.expires_at,
            revoked_at=token.revoked_at,
        )

    @strawberry.field
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > utcnow()
