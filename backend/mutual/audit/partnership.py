"""What the audit trail adds to `Partnership`: `auditTrail`, `verifyAuditChain`."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from mutual.audit import service
from mutual.audit.loaders import audit_loaders
from mutual.audit.types import AuditChainVerification, AuditEvent
from mutual.graphql.context import Context
from mutual.graphql.ids import decode_id
from mutual.graphql.limits import cost
from mutual.graphql.loaders import selects_any
from mutual.graphql.pagination import Connection, connection, to_connection
from mutual.kit.pagination import PageRequest
from mutual.tenancy.workspace import Workspace

# The verification walks and hashes every event of the partnership (both sides' INTERNAL ones
# too), however few fields it answers: a fifth of a request's budget (MUTUAL_MAX_COST, 5000)
# and a sixtieth of a principal's minute (MUTUAL_PRINCIPAL_COST_PER_MINUTE, 60000).
VERIFY_AUDIT_CHAIN_COST = 1000


@strawberry.input(description="Which events of the trail to list; every criterion given applies.")
class AuditTrailFilterInput:
    object_types: list[str] | None = strawberry.field(
        default=None,
        description="Events on objects of these types (e.g. Milestone, Commitment, Kpi, "
        "KpiMeasurement, WorkspaceMember, Invitation, ApiToken); an unknown type is refused.",
    )
    party_id: strawberry.ID | None = strawberry.field(
        default=None, description="Events by the people of this side (a Party of the partnership)."
    )
    actor_id: strawberry.ID | None = strawberry.field(
        default=None, description="Events by this person (a User)."
    )
    created_from: datetime | None = strawberry.field(
        default=None, description="Events at or after this moment (without a time zone: UTC)."
    )
    created_before: datetime | None = strawberry.field(
        default=None, description="Events before this moment (without a time zone: UTC)."
    )


# The fields of an event that read its object's current title.
_LABEL_FIELDS = ("objectTitle", "subjectId")


@strawberry.type(name="AuditPartnershipFields")
class PartnershipFields:
    workspace: strawberry.Private[Workspace]

    @strawberry.field(
        description="Every write in this partnership your side may see, newest first."
    )
    @connection
    async def audit_trail(
        self,
        info: Info[Context, None],
        page: PageRequest,
        filter: AuditTrailFilterInput | None = None,  # noqa: A002
    ) -> Connection[AuditEvent]:
        where = None
        if filter is not None:
            where = service.trail_filter(
                self.workspace,
                object_types=filter.object_types or (),
                actor_party_id=decode_id(filter.party_id, "Party", field="filter.partyId")
                if filter.party_id
                else None,
                actor_user_id=decode_id(filter.actor_id, "User", field="filter.actorId")
                if filter.actor_id
                else None,
                created_from=filter.created_from,
                created_before=filter.created_before,
            )
        result = await service.trail(
            info.context.db, workspace=self.workspace, page=page, where=where
        )
        events = to_connection(result, lambda e: AuditEvent.from_model(e, self.workspace))
        if events.nodes and selects_any(info, _LABEL_FIELDS):
            # The page's titles: one statement per type of object on it, not one per event.
            await audit_loaders(info.context).label.load_many([e.label_key for e in events.nodes])
        return events

    @strawberry.field(
        description="Recompute the audit hash chain and report the first break.",
        metadata=cost(VERIFY_AUDIT_CHAIN_COST),
    )
    async def verify_audit_chain(self, info: Info[Context, None]) -> AuditChainVerification:
        result = await service.verify(info.context.db, workspace=self.workspace)
        return AuditChainVerification.from_result(result, self.workspace)
