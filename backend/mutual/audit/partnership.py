"""What the audit trail adds to `Partnership`: `auditTrail`, `verifyAuditChain`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from mutual.audit import service
from mutual.audit.types import AuditChainVerification, AuditEvent
from mutual.graphql.context import Context
from mutual.graphql.limits import cost
from mutual.graphql.pagination import Connection, connection, to_connection
from mutual.kit.pagination import PageRequest
from mutual.tenancy.workspace import Workspace

# The verification walks and hashes every event of the partnership (both sides' INTERNAL ones
# too), however few fields it answers: a fifth of a request's budget (MUTUAL_MAX_COST, 5000)
# and a sixtieth of a principal's minute (MUTUAL_PRINCIPAL_COST_PER_MINUTE, 60000).
VERIFY_AUDIT_CHAIN_COST = 1000


@strawberry.type(name="AuditPartnershipFields")
class PartnershipFields:
    workspace: strawberry.Private[Workspace]

    @strawberry.field(description="Every write in this partnership, newest first.")
    @connection
    async def audit_trail(
        self, info: Info[Context, None], page: PageRequest
    ) -> Connection[AuditEvent]:
        result = await service.trail(info.context.db, workspace=self.workspace, page=page)
        return to_connection(result, lambda e: AuditEvent.from_model(e, self.workspace))

    @strawberry.field(
        description="Recompute the audit hash chain and report the first break.",
        metadata=cost(VERIFY_AUDIT_CHAIN_COST),
    )
    async def verify_audit_chain(self, info: Info[Context, None]) -> AuditChainVerification:
        result = await service.verify(info.context.db, workspace=self.workspace)
        return AuditChainVerification.from_result(result, self.workspace)
