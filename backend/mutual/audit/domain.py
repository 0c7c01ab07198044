"""The hash-chained audit trail of every write."""

from mutual.audit import queries  # noqa: F401  (registers the node resolver)
from mutual.audit.partnership import PartnershipFields
from mutual.audit.types import AuditChainVerification, AuditEvent
from mutual.kit.domain import Domain

DOMAIN = Domain(
    name="audit",
    partnership=PartnershipFields,
    node_types=(AuditEvent, AuditChainVerification),
)
