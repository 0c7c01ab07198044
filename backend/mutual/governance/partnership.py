"""What governance adds to `Partnership`: disclosures, pending acknowledgements, decisions, and
then its reports' fields (reports/partnership.py)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from mutual.governance.models import DecisionStatus
from mutual.governance.queries import decisions_for, disclosures_for, pending_for
from mutual.governance.reports.partnership import PartnershipFields as ReportFields
from mutual.governance.types import Decision, Disclosure, DisclosureVersion
from mutual.graphql.context import Context
from mutual.graphql.pagination import Connection, connection
from mutual.kit.pagination import PageRequest
from mutual.tenancy.workspace import Workspace


@strawberry.type(name="DisclosurePartnershipFields")
class DisclosureFields:
    workspace: strawberry.Private[Workspace]

    @strawberry.field(description="Disclosures: both sides' published ones, your side's drafts.")
    @connection
    async def disclosures(
        self, info: Info[Context, None], page: PageRequest
    ) -> Connection[Disclosure]:
        return await disclosures_for(info, self.workspace, page=page)

    @strawberry.field(
        description="The other side's latest published versions your side has not acknowledged."
    )
    async def pending_acknowledgements(self, info: Info[Context, None]) -> list[DisclosureVersion]:
        return await pending_for(info, self.workspace)

    @strawberry.field(description="The decision log, newest first.")
    @connection
    async def decisions(
        self,
        info: Info[Context, None],
        page: PageRequest,
        status: list[DecisionStatus] | None = None,
        overdue: bool = False,
    ) -> Connection[Decision]:
        return await decisions_for(info, self.workspace, page=page, status=status, overdue=overdue)


@strawberry.type(name="GovernancePartnershipFields")
class PartnershipFields(DisclosureFields, ReportFields):
    """Disclosures and decisions first, then reports: the order of the fields in `Partnership`."""
