"""Governance: disclosures with immutable, acknowledged versions, and the two-sided decision log."""

from mutual.governance import demo, reports, repository, waiting
from mutual.governance.mutations import GovernanceMutation
from mutual.governance.partnership import PartnershipFields
from mutual.governance.service import ACKNOWLEDGEMENT_DUE, DECISION_AWAITING
from mutual.governance.tasks import REMIND_ACKNOWLEDGEMENTS
from mutual.governance.types import Decision, Disclosure, DisclosureVersion
from mutual.kit.domain import Domain

DOMAIN = Domain(
    name="governance",
    mutation=GovernanceMutation,
    partnership=PartnershipFields,
    node_types=(Disclosure, DisclosureVersion, Decision),
    event_kinds={
        "Disclosure": "Disclosure",
        "DisclosureVersion": "DisclosureVersion",
        "Decision": "Decision",
    },
    labels={
        "Disclosure": repository.disclosure_labels,
        "DisclosureVersion": repository.version_labels,
        "Decision": repository.decision_labels,
    },
    waiting=(waiting.waiting_on_side,),
    tasks=(REMIND_ACKNOWLEDGEMENTS,),
    notice_kinds={
        ACKNOWLEDGEMENT_DUE: "A published disclosure waits for your side's acknowledgement",
        DECISION_AWAITING: "A decision waits for your side's approval",
    },
    report_sections={
        "disclosures": reports.disclosures_section,
        "decisions": reports.decisions_section,
    },
    demo_story=demo.seed_story,
    demo_after=("commitments",),
)
