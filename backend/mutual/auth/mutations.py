"""API token mutations."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from mutual.auth import service
from mutual.auth.types import ApiToken, ApiTokenScope
from mutual.graphql.context import Context
from mutual.graphql.errors import attempt
from mutual.graphql.ids import decode_id
from mutual.kit.principal import Principal
from mutual.kit.scopes import Scope
from mutual.tenancy.types import TenancyError, tenancy_user_errors


@strawberry.input
class CreateApiTokenInput:
    partnership_id: strawberry.ID
    name: str
    scopes: list[ApiTokenScope]
    expires_in_days: int = 90


@strawberry.type
class CreateApiTokenPayload:
    api_token: ApiToken | None
    secret: str | None = strawberry.field(description="Shown once; store it now.")
    user_errors: list[TenancyError]


@strawberry.input
class RevokeApiTokenInput:
    token_id: strawberry.ID


@strawberry.type
class RevokeApiTokenPayload:
    api_token: ApiToken | None
    user_errors: list[TenancyError]


@strawberry.type
class AuthMutation:
    @strawberry.mutation(description="A LEAD creates a scoped, expiring token for a partnership.")
    async def create_api_token(
        self,
        info: Info[Context, None],
        input: CreateApiTokenInput,  # noqa: A002
    ) -> CreateApiTokenPayload:
        async def call(session: AsyncSession, actor: Principal) -> service.IssuedToken:
            partnership_id = decode_id(input.partnership_id, "Partnership", field="partnershipId")
            return await service.create_api_token(
                session,
                actor=actor,
                partnership_id=partnership_id,
                name=input.name,
                scopes=[Scope(s) for s in input.scopes],
                expires_in_days=input.expires_in_days,
            )

        outcome = await attempt(info, call)
        issued = outcome.value
        return CreateApiTokenPayload(
            api_token=ApiToken.from_model(issued.token) if issued else None,
            secret=issued.secret if issued else None,
            user_errors=tenancy_user_errors(outcome.errors),
        )

    @strawberry.mutation(description="Revoke one of your side's API tokens at once.")
    async def revoke_api_token(
        self,
        info: Info[Context, None],
        input: RevokeApiTokenInput,  # noqa: A002
    ) -> RevokeApiTokenPayload:
        async def call(session: AsyncSession, actor: Principal) -> ApiToken:
            token_id = decode_id(input.token_id, "ApiToken", field="tokenId")
            return ApiToken.from_model(
                await service.revoke_api_token(session, actor=actor, token_id=token_id)
            )

        outcome = await attempt(info, call)
        return RevokeApiTokenPayload(
            api_token=outcome.value, user_errors=tenancy_user_errors(outcome.errors)
        )
