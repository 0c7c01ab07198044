"""Crisis contingency plans both sides approve, activated by a trigger or by hand."""

from mutual.contingency import demo, repository, service
from mutual.contingency.mutations import ContingencyMutation
from mutual.contingency.partnership import PartnershipFields
from mutual.contingency.tasks import TASKS
from mutual.contingency.types import Activation, ContingencyPlan, PlanVersion
from mutual.kit.domain import Domain

DOMAIN = Domain(
    name="contingency",
    mutation=ContingencyMutation,
    partnership=PartnershipFields,
    node_types=(ContingencyPlan, PlanVersion, Activation),
    event_kinds={"ContingencyPlan": "ContingencyPlan", "Activation": "Activation"},
    labels={
        "ContingencyPlan": repository.plan_labels,
        "Activation": repository.activation_labels,
    },
    tasks=TASKS,
    notice_kinds=service.KINDS,
    trigger_sink=service.receive_firings,
    demo_story=demo.seed_story,
    demo_after=("commitments",),
)
