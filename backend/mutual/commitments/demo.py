"""The commitments of the recovery story: kept, missed, renegotiated and disputed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from mutual.commitments import service as commitment_service
from mutual.commitments.models import CommitmentAction
from mutual.commitments.service import EvidenceLink
from mutual.kit.clock import today
from mutual.kit.demo import CONTOSO, NORTHWIND, Story, moment, other
from mutual.kit.records import Visibility


@dataclass(frozen=True)
class Step:
    action: CommitmentAction
    day: int
    reason: str = ""
    evidence: tuple[EvidenceLink, ...] = ()
    new_due: int | None = None


@dataclass(frozen=True)
class StoryCommitment:
    title: str
    description: str
    side: str  # the accountable (owner) side
    proposer: str
    proposed: int
    due: int
    steps: tuple[Step, ...] = ()
    milestone: str | None = None
    kpi: str | None = None
    internal: bool = False


def _link(url: str, title: str, note: str = "") -> EvidenceLink:
    return EvidenceLink(url=url, title=title, note=note)


A = CommitmentAction


NW_DOCS = "https://docs.northwind.example/recovery"


CT_DOCS = "https://sharepoint.contoso.example/sites/supplier-recovery"


COMMITMENTS = (
    # Kept: confirmed, delivered on or before the due date.
    StoryCommitment(
        "Publish the joint root-cause analysis",
        "Every late order line of Q2 and Q3 with its cause, agreed by both sides.",
        NORTHWIND,
        CONTOSO,
        proposed=-172,
        due=-150,
        milestone="s-rca",
        kpi="on-time",
        steps=(
            Step(A.ACCEPT, -170),
            Step(A.START, -168),
            Step(
                A.DELIVER,
                -153,
                evidence=(
                    _link(
                        f"{NW_DOCS}/rca-late-deliveries.pdf",
                        "Root-cause analysis, final",
                        "Signed off by both operations managers.",
                    ),
                ),
            ),
            Step(A.CONFIRM, -151),
        ),
    ),
    StoryCommitment(
        "Name the oversight group and its weekly cadence",
        "Members, decision rights and the weekly agenda of the joint oversight group.",
        CONTOSO,
        NORTHWIND,
        proposed=-171,
        due=-160,
        milestone="s-oversight",
        steps=(
            Step(A.ACCEPT, -170),
            Step(
                A.DELIVER,
                -162,
                evidence=(
                    _link(f"{CT_DOCS}/oversight-group-charter.docx", "Oversight group charter"),
                ),
            ),
            Step(A.CONFIRM, -161),
        ),
    ),
    # Contoso's recent ones: whatever the day of the month, one of them fell due in the last
    # whole month, so Contoso's built-in on-time KPI has a figure for it (not STALE).
    StoryCommitment(
        "Share the peak-season demand forecast",
        "Store-level weekly forecast for the peak season, so Northwind can plan its lines.",
        CONTOSO,
        NORTHWIND,
        proposed=-60,
        due=-46,
        steps=(
            Step(A.ACCEPT, -58),
            Step(
                A.DELIVER,
                -49,
                evidence=(_link(f"{CT_DOCS}/peak-forecast.xlsx", "Peak-season forecast by week"),),
            ),
            Step(A.CONFIRM, -47),
        ),
    ),
    StoryCommitment(
        "Reserve receiving slots for expedited loads",
        "Two fixed slots a day at the central DC for Northwind's expedited trucks.",
        CONTOSO,
        NORTHWIND,
        proposed=-40,
        due=-24,
        steps=(
            Step(A.ACCEPT, -38),
            Step(
                A.DELIVER,
                -27,
                evidence=(_link(f"{CT_DOCS}/dc-receiving-slots.pdf", "Central DC slot plan"),),
            ),
            Step(A.CONFIRM, -25),
        ),
    ),
    # Kept, but late: confirmed, delivered after the due date.
    StoryCommitment(
        "Daily order-status report for Contoso's buyers",
        "Every open order line with its promised and expected ship date, by 07:00 each day.",
        NORTHWIND,
        CONTOSO,
        proposed=-168,
        due=-148,
        milestone="s-comms",
        kpi="on-time",
        steps=(
            Step(A.ACCEPT, -167),
            Step(A.START, -160),
            Step(
                A.DELIVER,
                -141,
                evidence=(
                    _link(
                        f"{NW_DOCS}/daily-order-status.csv",
                        "Daily order-status feed",
                        "Live since Monday; the first week was sent by hand.",
                    ),
                ),
            ),
            Step(A.CONFIRM, -140),
        ),
    ),
    StoryCommitment(
        "Clear the backlog of 1,200 late order lines",
        "Ship or cancel, with Contoso's agreement, every order line older than its due date.",
        NORTHWIND,
        NORTHWIND,
        proposed=-165,
        due=-125,
        milestone="s-remedies",
        kpi="on-time",
        steps=(
            Step(A.ACCEPT, -164),
            Step(A.START, -164),
            Step(
                A.DELIVER,
                -127,
                evidence=(
                    _link(
                        f"{NW_DOCS}/backlog-burn-down.xlsx",
                        "Backlog burn-down",
                        "Zero open late lines since last Friday.",
                    ),
                ),
            ),
            Step(A.CONFIRM, -126),
        ),
    ),
    StoryCommitment(
        "Share a rolling 13-week forecast every Monday",
        "Store-level demand for the 200 Northwind SKUs, so production can plan ahead.",
        CONTOSO,
        NORTHWIND,
        proposed=-150,
        due=-100,
        milestone="s-comms",
        steps=(
            Step(A.ACCEPT, -149),
            Step(A.START, -140),
            Step(
                A.DELIVER,
                -101,
                evidence=(
                    _link(
                        f"{CT_DOCS}/forecast/rolling-13-weeks.xlsx",
                        "Rolling forecast, shared",
                        "Published every Monday at 08:00 CET.",
                    ),
                ),
            ),
            Step(A.CONFIRM, -99),
        ),
    ),
    StoryCommitment(
        "Staff a support desk for order issues, 06:00 to 22:00",
        "One phone number and one mailbox for Contoso's stores, staffed 16 hours a day.",
        NORTHWIND,
        CONTOSO,
        proposed=-140,
        due=-90,
        milestone="r-process",
        kpi="response",
        steps=(
            Step(A.ACCEPT, -139),
            Step(A.START, -130),
            Step(
                A.DELIVER,
                -95,
                evidence=(_link(f"{NW_DOCS}/support-desk-roster.pdf", "Support desk roster"),),
            ),
            Step(A.CONFIRM, -93),
        ),
    ),
    # Disputed, delivered again, then confirmed (still on time).
    StoryCommitment(
        "Response playbook for priority-1 issues",
        "Who answers a store's priority-1 issue, within which time, and who escalates.",
        NORTHWIND,
        NORTHWIND,
        proposed=-120,
        due=-70,
        milestone="r-process",
        kpi="response",
        steps=(
            Step(A.ACCEPT, -118),
            Step(A.START, -110),
            Step(
                A.DELIVER,
                -78,
                evidence=(_link(f"{NW_DOCS}/p1-playbook-v1.pdf", "Priority-1 playbook v1"),),
            ),
            Step(
                A.DISPUTE,
                -76,
                reason="The playbook has no escalation contacts for weekends, "
                "when most store issues happen.",
            ),
            Step(
                A.DELIVER,
                -72,
                evidence=(
                    _link(
                        f"{NW_DOCS}/p1-playbook-v2.pdf",
                        "Priority-1 playbook v2",
                        "Weekend on-call rota and escalation contacts added.",
                    ),
                ),
            ),
            Step(A.CONFIRM, -71),
        ),
    ),
    # Disputed: the two sides measure differently.
    StoryCommitment(
        "Defect rate below 1% for two consecutive months",
        "Measured at Contoso's goods receipt.",
        NORTHWIND,
        CONTOSO,
        proposed=-110,
        due=-45,
        milestone="r-quality",
        kpi="defects",
        steps=(
            Step(A.ACCEPT, -108),
            Step(A.START, -100),
            Step(
                A.DELIVER,
                -48,
                evidence=(
                    _link(
                        f"{NW_DOCS}/qa-monthly-report.pdf",
                        "Northwind QA monthly report",
                        "0.8% and 0.7% in the last two months.",
                    ),
                ),
            ),
            Step(
                A.DISPUTE,
                -46,
                reason="Our goods-receipt inspection measured 1.15% and 0.95%; "
                "the QA report counts final-assembly defects only.",
            ),
        ),
    ),
    # Renegotiated: a new due date, agreed by the other side.
    StoryCommitment(
        "Install the outbound quality gate",
        "Vision inspection of every outbound pallet at the Brno plant.",
        NORTHWIND,
        NORTHWIND,
        proposed=-100,
        due=-20,
        milestone="r-quality",
        kpi="defects",
        steps=(
            Step(A.ACCEPT, -98),
            Step(A.START, -90),
            Step(
                A.REQUEST_RENEGOTIATION,
                -30,
                new_due=25,
                reason="The camera supplier delayed the vision system by six weeks.",
            ),
            Step(A.ACCEPT_RENEGOTIATION, -28),
        ),
    ),
    StoryCommitment(
        "Fund the independent supply-process assessment",
        "Contoso pays the third-party assessor; both sides get the full report.",
        CONTOSO,
        CONTOSO,
        proposed=-80,
        due=20,
        milestone="r-assessment",
        steps=(
            Step(A.ACCEPT, -78),
            Step(
                A.REQUEST_RENEGOTIATION,
                -15,
                new_due=50,
                reason="The budget approval moved to next quarter's investment committee.",
            ),
            Step(A.ACCEPT_RENEGOTIATION, -12),
        ),
    ),
    # Missed: agreed or in progress, past due, not delivered (derived from the clock).
    StoryCommitment(
        "Automate advance shipping notices (ASN)",
        "An electronic notice for every shipment, sent when the truck leaves.",
        NORTHWIND,
        CONTOSO,
        proposed=-90,
        due=-20,
        milestone="r-process",
        kpi="on-time",
        steps=(Step(A.ACCEPT, -88), Step(A.START, -60)),
    ),
    StoryCommitment(
        "Give Northwind read access to goods-receipt inspection data",
        "So both sides count defects the same way.",
        CONTOSO,
        NORTHWIND,
        proposed=-70,
        due=-10,
        milestone="r-quality",
        kpi="defects",
        steps=(Step(A.ACCEPT, -68),),
    ),
    # Declined.
    StoryCommitment(
        "Accept partial shipments without penalty during the recovery",
        "Contoso waives the penalty for incomplete shipments until on-time delivery passes 80%.",
        CONTOSO,
        NORTHWIND,
        proposed=-130,
        due=-100,
        milestone="s-remedies",
        steps=(
            Step(
                A.DECLINE,
                -127,
                reason="Partial shipments break store replenishment; let's "
                "split deliveries per distribution centre instead.",
            ),
        ),
    ),
    # Delivered, waiting for Contoso's confirmation.
    StoryCommitment(
        "Monthly KPI report to the oversight group",
        "On-time delivery, response time and defect rate with their causes.",
        NORTHWIND,
        CONTOSO,
        proposed=-40,
        due=5,
        milestone="r-kpi-review",
        kpi="on-time",
        steps=(
            Step(A.ACCEPT, -39),
            Step(A.START, -35),
            Step(
                A.DELIVER,
                -2,
                evidence=(_link(f"{NW_DOCS}/kpi-report-latest.pdf", "KPI report, last month"),),
            ),
        ),
    ),
    # Still proposed, waiting for the other side.
    StoryCommitment(
        "Share next year's capacity plan with Contoso's planners",
        "Line capacity per month and planned maintenance windows.",
        NORTHWIND,
        CONTOSO,
        proposed=-5,
        due=90,
        milestone="d-coplanning",
    ),
    StoryCommitment(
        "Define early-warning thresholds for forecast changes",
        "How large a forecast change must be to warn Northwind, and how early.",
        CONTOSO,
        NORTHWIND,
        proposed=-3,
        due=75,
        milestone="d-early-warning",
    ),
    # Each side's own plans.
    StoryCommitment(
        "Hire two quality engineers for the outbound gate",
        "Budget approved; interviews running.",
        NORTHWIND,
        NORTHWIND,
        proposed=-60,
        due=20,
        kpi="freight",
        internal=True,
        steps=(Step(A.START, -40),),
    ),
    StoryCommitment(
        "Qualify a second supplier for the top 10 SKUs",
        "Samples and an audit before the decision on dual sourcing.",
        CONTOSO,
        CONTOSO,
        proposed=-50,
        due=45,
        milestone="r-second-source",
        internal=True,
    ),
)


def _actor_of(action: CommitmentAction, c: StoryCommitment) -> tuple[str, str]:
    """Who takes a step: the side (by the lifecycle's rules) and the role of the person."""
    if c.internal:
        return c.side, "editor"
    if action in (A.ACCEPT, A.DECLINE):
        return other(c.proposer), "lead"
    if action in (A.START, A.DELIVER, A.REQUEST_RENEGOTIATION):
        return c.side, "editor"
    return other(c.side), "lead"


async def seed_story(story: Story) -> None:
    """Commitments kept, missed, renegotiated and disputed, each step by the side whose it is,
    on the story's day of that step (`at`): a commitment due 150 days ago was proposed 172 days
    ago, when its date was still ahead, as the rules ask of anyone proposing one today."""
    milestones, kpis = story.made["milestones"], story.made["kpis"]
    day_zero = today()  # the story's days count from here (inside a step, today() is its day)
    times: dict[uuid.UUID, tuple[datetime, datetime, datetime | None, datetime | None]] = {}
    transitions: list[tuple[uuid.UUID, int, datetime]] = []
    evidence: list[tuple[uuid.UUID, str, datetime]] = []
    for c in COMMITMENTS:
        proposer = story.principal(c.proposer, "editor")
        created = moment(c.proposed)
        async with story.acting(proposer, at=created) as session:
            _workspace, commitment = await commitment_service.propose(
                session,
                actor=proposer,
                partnership_id=story.partnership_id,
                title=c.title,
                due_date=day_zero + timedelta(days=c.due),
                owner_party_id=story.parties[c.side],
                description=c.description,
                milestone_id=milestones[c.milestone] if c.milestone else None,
                kpi_id=kpis[c.kpi] if c.kpi else None,
                visibility=Visibility.INTERNAL if c.internal else Visibility.SHARED,
            )
        transitions.append((commitment.id, 1, created))
        delivered: datetime | None = None
        confirmed: datetime | None = None
        last = created
        for order, step in enumerate(c.steps, start=1):
            side, role = _actor_of(step.action, c)
            actor = story.principal(side, role)
            last = moment(step.day, order)
            async with story.acting(actor, at=last) as session:
                _workspace, commitment = await commitment_service.transition(
                    session,
                    actor=actor,
                    commitment_id=commitment.id,
                    expected_version=commitment.version,
                    action=step.action,
                    reason=step.reason,
                    evidence=step.evidence,
                    new_due_date=day_zero + timedelta(days=step.new_due)
                    if step.new_due is not None
                    else None,
                )
            transitions.append((commitment.id, order + 1, last))
            evidence.extend((commitment.id, link.url, last) for link in step.evidence)
            if step.action == A.DELIVER:
                delivered = last
            elif step.action == A.CONFIRM:
                confirmed = last
        times[commitment.id] = (
            created,
            last,
            delivered if commitment.delivered_at else None,
            confirmed if commitment.confirmed_at else None,
        )
    _backdate(story, times, transitions, evidence)


def _backdate(
    story: Story,
    times: dict[uuid.UUID, tuple[datetime, datetime, datetime | None, datetime | None]],
    transitions: list[tuple[uuid.UUID, int, datetime]],
    evidence: list[tuple[uuid.UUID, str, datetime]],
) -> None:
    moments = list(times.values())
    story.backdate(
        "UPDATE commitment t SET created_at = v.created, updated_at = v.updated, "
        "delivered_at = v.delivered, confirmed_at = v.confirmed "
        "FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], "
        "$4::timestamptz[], $5::timestamptz[]) AS v(id, created, updated, delivered, "
        "confirmed) WHERE t.partnership_id = $6 AND t.id = v.id",
        list(times),
        [t[0] for t in moments],
        [t[1] for t in moments],
        [t[2] for t in moments],
        [t[3] for t in moments],
    )
    # The n-th transition of a commitment (in the order the services wrote them).
    story.backdate(
        "UPDATE commitment_transition t SET at = v.at "
        "FROM (SELECT id, row_number() OVER (PARTITION BY commitment_id ORDER BY at, id) "
        "      AS n FROM commitment_transition WHERE partnership_id = $4) AS r, "
        "     unnest($1::uuid[], $2::int[], $3::timestamptz[]) AS v(commitment_id, n, at) "
        "WHERE t.partnership_id = $4 AND t.id = r.id AND t.commitment_id = v.commitment_id "
        "AND r.n = v.n",
        [s[0] for s in transitions],
        [s[1] for s in transitions],
        [s[2] for s in transitions],
    )
    story.backdate(
        "UPDATE commitment_evidence t SET created_at = v.at "
        "FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) "
        "AS v(commitment_id, url, at) "
        "WHERE t.partnership_id = $4 AND t.commitment_id = v.commitment_id "
        "AND t.url = v.url",
        [e[0] for e in evidence],
        [e[1] for e in evidence],
        [e[2] for e in evidence],
    )
