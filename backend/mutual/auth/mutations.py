"""API token mutations."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from mutual.auth import service
from mutual.auth.types import ApiToken, ApiTokenScope
from mutual.graphql.context import Context
from mutual.graphql.errors import MutationAnswer
from mutual.graphql.ids import decode_id
from mutual.kit.principal import Principal
from mutual.kit.scopes import Scope
from mutual.tenancy.errors import TenancyErrorCode
from mutual.tenancy.types import TenancyError


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


def _issued(issued: service.IssuedToken) -> dict[str, Any]:
    return {"api_token": ApiToken.from_model(issued.token), "secret": issued.secret}


TOKEN_CREATED: MutationAnswer[service.IssuedToken, CreateApiTokenPayload] = MutationAnswer(
    CreateApiTokenPayload,
    shape=_issued,
    empty=lambda: {"api_token": None, "secret": None},
    error=TenancyError,
    codes=TenancyErrorCode,
)
TOKEN_REVOKED: MutationAnswer[ApiToken, RevokeApiTokenPayload] = MutationAnswer(
    RevokeApiTokenPayload,
    field="api_token",
    shape=lambda token: token,
    error=TenancyError,
    codes=TenancyErrorCode,
)


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

        return await TOKEN_CREATED.run(info, call)

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

        return await TOKEN_REVOKED.run(info, call)
