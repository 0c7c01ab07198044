"""Live updates: the partnershipEvents subscription."""

from mutual.kit.domain import Domain
from mutual.notify.types import Subscription

DOMAIN = Domain(name="notify", subscription=Subscription)
