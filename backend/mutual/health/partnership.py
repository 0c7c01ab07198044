"""What the health domain adds to `Partnership`: `health` (the index, its components, the
detectors) and `healthSummary` (the index and trend the partnership list shows)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.health.loaders import health_loaders
from mutual.health.types import Health, HealthSummary
from mutual.tenancy.workspace import Workspace


@strawberry.type(name="HealthPartnershipFields")
class PartnershipFields:
    workspace: strawberry.Private[Workspace]

    @strawberry.field(description="The trust health index and the early-warning detectors.")
    async def health(self, info: Info[Context, None]) -> Health:
        computed = await health_loaders(info.context).health(self.workspace)
        return Health(workspace=self.workspace, computed=computed)

    @strawberry.field(
        description="The latest daily index and its trend (one statement for a whole list)."
    )
    async def health_summary(self, info: Info[Context, None]) -> HealthSummary | None:
        rows = await health_loaders(info.context).latest.load(self.workspace.id)
        if not rows:
            return None
        latest = rows[0]
        week_before = next((r for r in rows[1:] if (latest.day - r.day).days >= 7), None)
        trend = (
            round(latest.value - week_before.value, 1)
            if week_before is not None
            and latest.value is not None
            and week_before.value is not None
            else None
        )
        return HealthSummary(day=latest.day, value=latest.value, trend=trend)
