"""Commitments each side makes, and whether they were kept."""

from mutual.commitments import demo, notices, repository
from mutual.commitments.models import Commitment as CommitmentRecord
from mutual.commitments.mutations import CommitmentMutation
from mutual.commitments.ontime import ON_TIME_KPIS
from mutual.commitments.partnership import PartnershipFields
from mutual.commitments.report import reliability_section
from mutual.commitments.types import Commitment
from mutual.commitments.waiting import waiting_on_side
from mutual.kit.domain import Domain
from mutual.kit.search import SearchSource

DOMAIN = Domain(
    name="commitments",
    mutation=CommitmentMutation,
    partnership=PartnershipFields,
    node_types=(Commitment,),
    event_kinds={"Commitment": "Commitment"},
    builtin_kpis=(ON_TIME_KPIS,),
    search=(SearchSource("Commitment", CommitmentRecord),),
    waiting=(waiting_on_side,),
    labels={"Commitment": repository.commitment_labels},
    report_sections={"commitment_reliability": reliability_section},
    tasks=(notices.REMINDERS,),
    notice_kinds=notices.KINDS,
    demo_story=demo.seed_story,
    demo_after=("roadmap", "kpis"),
)
