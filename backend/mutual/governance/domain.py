"""Governance: disclosures with immutable, acknowledged versions, the two-sided decision log, and
the risk and compliance reports (its `reports` subpackage), plugged in as one domain."""

from typing import Any

from mutual.governance import demo, report, repository, waiting
from mutual.governance.mutations import GovernanceMutation
from mutual.governance.partnership import PartnershipFields
from mutual.governance.reports import demo as reports_demo
from mutual.governance.reports import repository as reports_repository
from mutual.governance.reports.queries import ReportQuery
from mutual.governance.reports.routes import routes
from mutual.governance.reports.service import NOTICE_KINDS as REPORT_NOTICE_KINDS
from mutual.governance.reports.tasks import GENERATE_DUE
from mutual.governance.reports.types import Report, ReportSchedule
from mutual.governance.reports.waiting import waiting_on_side as reports_waiting
from mutual.governance.service import ACKNOWLEDGEMENT_DUE, DECISION_AWAITING
from mutual.governance.tasks import REMIND_ACKNOWLEDGEMENTS
from mutual.governance.types import Decision, Disclosure, DisclosureVersion
from mutual.kit.domain import Domain


async def seed_story(story: Any) -> None:
    """Disclosures and decisions first; then the reports, which snapshot them."""
    await demo.seed_story(story)
    await reports_demo.seed_story(story)


DOMAIN = Domain(
    name="governance",
    query=ReportQuery,
    mutation=GovernanceMutation,
    partnership=PartnershipFields,
    node_types=(Disclosure, DisclosureVersion, Decision, Report, ReportSchedule),
    event_kinds={
        "Disclosure": "Disclosure",
        "DisclosureVersion": "DisclosureVersion",
        "Decision": "Decision",
        "Report": "Report",
        "ReportSchedule": "ReportSchedule",
    },
    labels={
        "Disclosure": repository.disclosure_labels,
        "DisclosureVersion": repository.version_labels,
        "Decision": repository.decision_labels,
        "Report": reports_repository.report_labels,
        "ReportSchedule": reports_repository.schedule_labels,
    },
    waiting=(waiting.waiting_on_side, reports_waiting),
    tasks=(REMIND_ACKNOWLEDGEMENTS, GENERATE_DUE),
    notice_kinds={
        ACKNOWLEDGEMENT_DUE: "A published disclosure waits for your side's acknowledgement",
        DECISION_AWAITING: "A decision waits for your side's approval",
        **REPORT_NOTICE_KINDS,
    },
    report_sections={
        "disclosures": report.disclosures_section,
        "decisions": report.decisions_section,
    },
    routes=routes,
    demo_story=seed_story,
    demo_after=("roadmap", "kpis", "commitments"),
)
