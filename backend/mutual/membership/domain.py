"""Members of a workspace and invitations between organizations."""

from mutual.kit.domain import Domain
from mutual.membership import (
    demo,
    queries,  # noqa: F401  (registers the node resolvers)
)
from mutual.membership.mutations import MembershipMutation
from mutual.membership.partnership import PartnershipFields, ViewerFields
from mutual.membership.types import Invitation, WorkspaceMember

DOMAIN = Domain(
    name="membership",
    mutation=MembershipMutation,
    partnership=PartnershipFields,
    viewer=ViewerFields,
    node_types=(WorkspaceMember, Invitation),
    event_kinds={"WorkspaceMember": "WorkspaceMember", "Invitation": "Invitation"},
    demo_world=demo.seed_world,
)
