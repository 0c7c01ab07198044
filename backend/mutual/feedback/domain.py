"""Feedback between the two sides, tracked to closure against SLA clocks."""

from mutual.feedback import demo, repository
from mutual.feedback.builtin import FEEDBACK_KPIS
from mutual.feedback.mutations import FeedbackMutation
from mutual.feedback.partnership import PartnershipFields
from mutual.feedback.report import sla_section
from mutual.feedback.tasks import TASKS
from mutual.feedback.types import Feedback, FeedbackPolicy
from mutual.feedback.waiting import waiting_on_side
from mutual.kit.domain import Domain

DOMAIN = Domain(
    name="feedback",
    mutation=FeedbackMutation,
    partnership=PartnershipFields,
    node_types=(Feedback, FeedbackPolicy),
    event_kinds={"Feedback": "Feedback", "FeedbackPolicy": "FeedbackPolicy"},
    builtin_kpis=(FEEDBACK_KPIS,),
    waiting=(waiting_on_side,),
    tasks=TASKS,
    labels={"Feedback": repository.feedback_labels, "FeedbackPolicy": repository.policy_labels},
    notice_kinds={
        "feedback.submitted": "Feedback submitted to your side",
        "feedback.commented": "A comment on feedback",
        "feedback.waiting": "Feedback waiting for your answer",
        "feedback.at_risk": "A feedback SLA at risk",
        "feedback.breached": "A feedback SLA breached",
        "feedback.resolved": "Your feedback resolved",
        "feedback.reopened": "Feedback reopened",
        "feedback.closed": "Feedback closed and rated",
        "feedback.policy_proposed": "An SLA policy to accept",
    },
    report_sections={"feedback": sla_section},
    demo_story=demo.seed_story,
    demo_after=("roadmap", "commitments"),
)
