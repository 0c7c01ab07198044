"""The co-edited recovery roadmap: phases and milestones."""

from mutual.kit.domain import Domain
from mutual.kit.search import SearchSource
from mutual.roadmap import demo, repository
from mutual.roadmap.models import Milestone as MilestoneRecord
from mutual.roadmap.mutations import RoadmapMutation
from mutual.roadmap.partnership import PartnershipFields
from mutual.roadmap.types import Milestone

DOMAIN = Domain(
    name="roadmap",
    mutation=RoadmapMutation,
    partnership=PartnershipFields,
    node_types=(Milestone,),
    event_kinds={"Milestone": "Milestone"},
    search=(SearchSource("Milestone", MilestoneRecord),),
    labels={"Milestone": repository.milestone_labels},
    demo_story=demo.seed_story,
)
