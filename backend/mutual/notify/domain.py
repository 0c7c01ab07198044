"""Live updates (the partnershipEvents subscription) and notifications: the inbox, email,
preferences, webhooks, and the sink that delivers every domain's notices."""

from mutual.kit.domain import Domain
from mutual.notify import demo, inbox, repository
from mutual.notify.delivery import WEBHOOK_DISABLED
from mutual.notify.mutations import NotifyMutation
from mutual.notify.partnership import PartnershipFields, ViewerFields
from mutual.notify.tasks import TASKS
from mutual.notify.types import Notification, Subscription, WebhookDelivery, WebhookEndpoint

DOMAIN = Domain(
    name="notify",
    mutation=NotifyMutation,
    subscription=Subscription,
    partnership=PartnershipFields,
    viewer=ViewerFields,
    node_types=(Notification, WebhookEndpoint, WebhookDelivery),
    event_kinds={
        "WebhookEndpoint": "WebhookEndpoint",
        repository.NOTIFICATIONS: repository.NOTIFICATIONS,
    },
    labels={
        "WebhookEndpoint": repository.endpoint_labels,
        repository.NOTIFICATIONS: repository.inbox_owner_labels,
    },
    tasks=TASKS,
    notice_kinds={WEBHOOK_DISABLED: "A webhook endpoint of your side was disabled"},
    notice_sink=inbox.deliver,
    demo_story=demo.seed_story,
    demo_after=("commitments",),
)
