"""What feedback adds to `Partnership`: `feedback`, `feedbackPolicies`, `feedbackFigures`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from mutual.feedback.queries import (
    FeedbackFilterInput,
    feedback_for,
    figures_for,
    policies_for,
)
from mutual.feedback.types import Feedback, FeedbackFigures, FeedbackPolicy
from mutual.graphql.context import Context
from mutual.graphql.pagination import Connection, connection
from mutual.kit.pagination import PageRequest
from mutual.tenancy.workspace import Workspace


@strawberry.type(name="FeedbackPartnershipFields")
class PartnershipFields:
    workspace: strawberry.Private[Workspace]

    @strawberry.field(description="Feedback either side submitted, earliest due time first.")
    @connection
    async def feedback(
        self,
        info: Info[Context, None],
        page: PageRequest,
        filter: FeedbackFilterInput | None = None,  # noqa: A002
    ) -> Connection[Feedback]:
        return await feedback_for(info, self.workspace, page=page, filter=filter)

    @strawberry.field(description="Every version of the SLA policy, newest first.")
    async def feedback_policies(self, info: Info[Context, None]) -> list[FeedbackPolicy]:
        return await policies_for(info, self.workspace)

    @strawberry.field(
        description="Per receiving side: SLA attainment, median times, CSAT and reopen rate "
        "of the feedback submitted in the period."
    )
    async def feedback_figures(
        self,
        info: Info[Context, None],
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
    ) -> list[FeedbackFigures]:
        return await figures_for(info, self.workspace, start=from_, end=to)
