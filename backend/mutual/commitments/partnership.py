"""What commitments add to `Partnership`: `commitments`, `commitmentReliability`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from mutual.commitments.queries import (
    CommitmentFilterInput,
    CommitmentOrderInput,
    commitments_for,
    reliability_for,
)
from mutual.commitments.types import Commitment, PartyReliabilityFigures
from mutual.graphql.context import Context
from mutual.graphql.pagination import Connection, connection
from mutual.kit.pagination import PageRequest
from mutual.tenancy.workspace import Workspace


@strawberry.type(name="CommitmentsPartnershipFields")
class PartnershipFields:
    workspace: strawberry.Private[Workspace]

    @strawberry.field(description="Commitments, filtered and sorted (MISSED is derived).")
    @connection
    async def commitments(
        self,
        info: Info[Context, None],
        page: PageRequest,
        filter: CommitmentFilterInput | None = None,  # noqa: A002
        order_by: CommitmentOrderInput | None = None,
    ) -> Connection[Commitment]:
        return await commitments_for(
            info, self.workspace, page=page, filter=filter, order_by=order_by
        )

    @strawberry.field(description="Per party: on-time delivery rate, renegotiations, disputes.")
    async def commitment_reliability(
        self,
        info: Info[Context, None],
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
    ) -> list[PartyReliabilityFigures]:
        return await reliability_for(info, self.workspace, start=from_, end=to)
