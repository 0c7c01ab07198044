"""What API tokens add to `Partnership`: `apiTokens`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from mutual.auth import service
from mutual.auth.types import ApiToken
from mutual.graphql.context import Context
from mutual.tenancy.workspace import Workspace


@strawberry.type(name="AuthPartnershipFields")
class PartnershipFields:
    workspace: strawberry.Private[Workspace]

    @strawberry.field(description="Your side's API tokens (leads and org admins only).")
    async def api_tokens(self, info: Info[Context, None]) -> list[ApiToken]:
        tokens = await service.list_api_tokens(
            info.context.db, actor=info.context.actor, partnership_id=self.workspace.id
        )
        return [ApiToken.from_model(t) for t in tokens]
