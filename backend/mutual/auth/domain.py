"""Sign-in, sessions and API tokens (their GraphQL part; the HTTP routes are auth/routes.py)."""

from mutual.auth import (
    demo,
    queries,  # noqa: F401  (registers the node resolver)
    repository,
)
from mutual.auth.mutations import AuthMutation
from mutual.auth.partnership import PartnershipFields
from mutual.auth.tasks import DELETE_EXPIRED_SESSIONS
from mutual.auth.types import ApiToken
from mutual.kit.domain import Domain

DOMAIN = Domain(
    name="auth",
    mutation=AuthMutation,
    partnership=PartnershipFields,
    node_types=(ApiToken,),
    event_kinds={"ApiToken": "ApiToken"},
    tasks=(DELETE_EXPIRED_SESSIONS,),
    labels={"ApiToken": repository.api_token_labels},
    demo_world=demo.seed_world,
)
