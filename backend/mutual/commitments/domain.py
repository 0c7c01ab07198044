"""Commitments each side makes, and whether they were kept."""

from mutual.commitments import demo
from mutual.commitments.mutations import CommitmentMutation
from mutual.commitments.ontime import on_time_kpis
from mutual.commitments.partnership import PartnershipFields
from mutual.commitments.types import Commitment
from mutual.kit.domain import Domain

DOMAIN = Domain(
    name="commitments",
    mutation=CommitmentMutation,
    partnership=PartnershipFields,
    node_types=(Commitment,),
    event_kinds={"Commitment": "Commitment"},
    builtin_kpis=(on_time_kpis,),
    demo_story=demo.seed_story,
    demo_after=("roadmap", "kpis"),
)
