"""Finding things across the workspace: text search and what waits on your side."""

from mutual.kit.domain import Domain
from mutual.search.partnership import PartnershipFields

DOMAIN = Domain(name="search", partnership=PartnershipFields)
