"""Node resolution of API tokens: visible to the LEADs and admins of the token's side only."""

from __future__ import annotations

import uuid

from mutual.auth import repository
from mutual.auth.types import ApiToken
from mutual.graphql.context import Context
from mutual.graphql.node import Node, node_resolver
from mutual.tenancy.loaders import tenancy_loaders


@node_resolver("ApiToken")
async def _api_token_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    token = await repository.api_token(context.db, raw_id)
    if token is None:
        return None
    workspace = await tenancy_loaders(context).workspace(context.actor, token.partnership_id)
    if not workspace.manages_members or token.party_id != workspace.own_party.id:
        return None
    return ApiToken.from_model(token)
