"""Tenancy: organizations, users, partnerships and their parties; the root fields."""

from mutual.kit.domain import Domain
from mutual.tenancy import demo
from mutual.tenancy.queries import TenancyQuery
from mutual.tenancy.types import Organization, Party, User

DOMAIN = Domain(
    name="tenancy",
    query=TenancyQuery,
    node_types=(Party, User, Organization),
    demo_world=demo.seed_world,
)
