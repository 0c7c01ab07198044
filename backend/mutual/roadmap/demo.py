"""The roadmap of the recovery story: three phases of milestones, by the side that owns each."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from mutual.kit.clock import today
from mutual.kit.demo import CONTOSO, NORTHWIND, Story, moment
from mutual.kit.records import Visibility
from mutual.roadmap import service as roadmap_service
from mutual.roadmap.models import MilestoneStatus, Phase


@dataclass(frozen=True)
class StoryMilestone:
    key: str
    phase: Phase
    title: str
    description: str
    side: str  # the owner side, which also creates it
    status: MilestoneStatus
    target: int  # days from today
    created: int
    internal: bool = False


MILESTONES = (
    StoryMilestone(
        "s-comms",
        Phase.STABILIZE,
        "Candid weekly status call",
        "Both leads, every Monday: what slipped, why, and what happens next. No slides.",
        side=CONTOSO,
        status=MilestoneStatus.DONE,
        target=-165,
        created=-175,
    ),
    StoryMilestone(
        "s-oversight",
        Phase.STABILIZE,
        "Temporary joint oversight group",
        "Both leads and one operations manager per side review the recovery every week until "
        "on-time delivery passes 80%.",
        side=CONTOSO,
        status=MilestoneStatus.DONE,
        target=-160,
        created=-175,
    ),
    StoryMilestone(
        "s-rca",
        Phase.STABILIZE,
        "Joint root-cause analysis of the late deliveries",
        "Trace every late order line of Q2 and Q3 to its cause, together, and agree on the list.",
        side=NORTHWIND,
        status=MilestoneStatus.DONE,
        target=-150,
        created=-174,
    ),
    StoryMilestone(
        "s-remedies",
        Phase.STABILIZE,
        "First remedies: backlog cleared, safety stock in place",
        "Clear the backlog of late order lines and hold safety stock for the top 40 SKUs.",
        side=NORTHWIND,
        status=MilestoneStatus.DONE,
        target=-120,
        created=-174,
    ),
    StoryMilestone(
        "s-staffing",
        Phase.STABILIZE,
        "Second shift at the Brno plant",
        "Our own plan: staff a second shift until the backlog is gone.",
        side=NORTHWIND,
        status=MilestoneStatus.DONE,
        target=-135,
        created=-173,
        internal=True,
    ),
    StoryMilestone(
        "r-process",
        Phase.REBUILD,
        "Fix the order-to-dispatch process",
        "One order system, advance shipping notices, and a support desk that answers within hours.",
        side=NORTHWIND,
        status=MilestoneStatus.IN_PROGRESS,
        target=30,
        created=-140,
    ),
    StoryMilestone(
        "r-kpi-review",
        Phase.REBUILD,
        "Monthly KPI review with the oversight group",
        "On-time delivery, response time, CSAT and defect rate, reviewed every month.",
        side=CONTOSO,
        status=MilestoneStatus.IN_PROGRESS,
        target=60,
        created=-140,
    ),
    StoryMilestone(
        "r-quality",
        Phase.REBUILD,
        "Outbound quality gate",
        "Vision inspection of every outbound pallet; defect rate below 0.5% at goods receipt.",
        side=NORTHWIND,
        status=MilestoneStatus.AT_RISK,
        target=25,
        created=-138,
    ),
    StoryMilestone(
        "r-assessment",
        Phase.REBUILD,
        "Independent assessment of the supply process",
        "A third party assesses the order-to-delivery process and publishes its findings to both.",
        side=CONTOSO,
        status=MilestoneStatus.PLANNED,
        target=75,
        created=-120,
    ),
    StoryMilestone(
        "r-second-source",
        Phase.REBUILD,
        "Decide whether to keep a second supplier",
        "Our own decision: keep dual sourcing for the top 10 SKUs, or end it.",
        side=CONTOSO,
        status=MilestoneStatus.PLANNED,
        target=45,
        created=-110,
        internal=True,
    ),
    StoryMilestone(
        "d-coplanning",
        Phase.DEEPEN,
        "Strategic co-planning of next year's demand",
        "Contoso's demand plan and Northwind's capacity plan, built together each quarter.",
        side=CONTOSO,
        status=MilestoneStatus.PLANNED,
        target=120,
        created=-60,
    ),
    StoryMilestone(
        "d-early-warning",
        Phase.DEEPEN,
        "Joint early-warning indicators",
        "Agreed thresholds on forecast changes, late orders and open issues, watched by both.",
        side=NORTHWIND,
        status=MilestoneStatus.PLANNED,
        target=100,
        created=-60,
    ),
    StoryMilestone(
        "d-contingency",
        Phase.DEEPEN,
        "Joint contingency plan for supply disruption",
        "Who does what, in which order, when a plant or a carrier fails.",
        side=NORTHWIND,
        status=MilestoneStatus.PLANNED,
        target=140,
        created=-55,
    ),
    StoryMilestone(
        "d-growth",
        Phase.DEEPEN,
        "Joint growth: pilot of the new product line",
        "Launch the outdoor range in 40 stores with Northwind as the sole supplier.",
        side=CONTOSO,
        status=MilestoneStatus.PLANNED,
        target=180,
        created=-55,
    ),
)


async def seed_story(story: Story) -> None:
    """The roadmap's milestones, by the side that owns each; commitments name them by key."""
    ids: dict[str, uuid.UUID] = {}
    created: dict[uuid.UUID, datetime] = {}
    for m in MILESTONES:
        actor = story.principal(m.side, "editor")
        async with story.acting(actor) as session:
            _workspace, milestone = await roadmap_service.create_milestone(
                session,
                actor=actor,
                partnership_id=story.partnership_id,
                title=m.title,
                phase=m.phase,
                description=m.description,
                target_date=today() + timedelta(days=m.target),
                owner_party_id=story.parties[m.side],
                visibility=Visibility.INTERNAL if m.internal else Visibility.SHARED,
                status=m.status,
            )
        ids[m.key] = milestone.id
        created[milestone.id] = moment(m.created)
    story.made["milestones"] = ids
    story.backdate(
        "UPDATE milestone t SET created_at = v.at, updated_at = v.at "
        "FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, at) "
        "WHERE t.partnership_id = $3 AND t.id = v.id",
        list(created),
        list(created.values()),
    )
