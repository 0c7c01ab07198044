"""Members of a workspace and invitations between organizations."""

from mutual.kit.domain import Domain
from mutual.membership import (
    demo,
    queries,  # noqa: F401  (registers the node resolvers)
    repository,
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
    labels={
        "WorkspaceMember": repository.member_labels,
        "Invitation": repository.invitation_labels,
    },
    demo_world=demo.seed_world,
)
