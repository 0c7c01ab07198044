"""Risk and compliance reports: frozen, hashed snapshots the partner acknowledges (issue 12's
"Reports"; its own folder beside governance, which keeps disclosures and decisions)."""

from mutual.kit.domain import Domain
from mutual.reports import demo, repository
from mutual.reports.mutations import ReportMutation
from mutual.reports.partnership import PartnershipFields
from mutual.reports.queries import ReportQuery
from mutual.reports.routes import routes
from mutual.reports.service import NOTICE_KINDS
from mutual.reports.tasks import GENERATE_DUE
from mutual.reports.types import Report, ReportSchedule
from mutual.reports.waiting import waiting_on_side

DOMAIN = Domain(
    name="reports",
    query=ReportQuery,
    mutation=ReportMutation,
    partnership=PartnershipFields,
    node_types=(Report, ReportSchedule),
    event_kinds={"Report": "Report", "ReportSchedule": "ReportSchedule"},
    waiting=(waiting_on_side,),
    tasks=(GENERATE_DUE,),
    labels={"Report": repository.report_labels, "ReportSchedule": repository.schedule_labels},
    notice_kinds=NOTICE_KINDS,
    routes=routes,
    demo_story=demo.seed_story,
    demo_after=("roadmap", "kpis", "commitments"),
)
