"""The joint risk register: both sides score each risk, treat it, and review it."""

from mutual.kit.domain import Domain
from mutual.kit.search import SearchSource
from mutual.risks import demo, repository, tasks
from mutual.risks.models import Risk as RiskRecord
from mutual.risks.mutations import RiskMutation
from mutual.risks.partnership import PartnershipFields
from mutual.risks.report import risk_register_section
from mutual.risks.types import Risk
from mutual.risks.waiting import reviews_waiting

DOMAIN = Domain(
    name="risks",
    mutation=RiskMutation,
    partnership=PartnershipFields,
    node_types=(Risk,),
    event_kinds={"Risk": "Risk"},
    search=(SearchSource("Risk", RiskRecord),),
    waiting=(reviews_waiting,),
    labels={"Risk": repository.risk_labels},
    tasks=(tasks.DAILY,),
    notice_kinds={
        tasks.REVIEW_DUE: "A risk's review is overdue",
        tasks.ACCEPTANCE_EXPIRED: "A risk's acceptance expired",
    },
    report_sections={"risks": risk_register_section},
    demo_story=demo.seed_story,
    demo_after=("roadmap", "kpis", "commitments"),
)
