"""The demo: Northwind Components (supplier) and Contoso Retail (customer), plus Fabrikam.

`seed_demo` is the minimal world every test starts from: organizations and users (created as
the owner), partnerships and members (through the services as the app role, so the demo's audit
trail is the real one). `seed_story` adds the Northwind ↔ Contoso recovery story (roadmap,
KPIs with six months of history, commitments kept, missed, renegotiated and disputed) for
`mutual serve` and `mutual seed`; it is too slow to run before every test.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cache

from sqlalchemy import insert, select
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from mutual.auth.passwords import hash_password
from mutual.auth.principal import Principal
from mutual.auth.repository import set_user_identity
from mutual.commitments import service as commitment_service
from mutual.commitments.models import CommitmentAction
from mutual.commitments.service import EvidenceLink
from mutual.config import Settings
from mutual.db import Database, app_url, connect_owner
from mutual.kit.clock import today, utcnow
from mutual.kit.records import Visibility
from mutual.kpis import service as kpi_service
from mutual.kpis.models import Cadence, Direction
from mutual.roadmap import service as roadmap_service
from mutual.roadmap.models import MilestoneStatus, Phase
from mutual.tenancy import service
from mutual.tenancy.models import Organization, OrgRole, Partnership, Party, User, WorkspaceRole

DEMO_PASSWORD = "mutual-demo"
SIDE_ROLES = (
    ("lead", "LEAD", OrgRole.ADMIN),
    ("editor", "EDITOR", OrgRole.MEMBER),
    ("governance", "GOVERNANCE", OrgRole.MEMBER),
    ("viewer", "VIEWER", OrgRole.MEMBER),
)


@dataclass(frozen=True)
class DemoOrg:
    name: str
    slug: str
    domain: str
    people: tuple[tuple[str, str, OrgRole], ...]


DEMO_ORGS = (
    DemoOrg("Northwind Components", "northwind", "northwind.example", SIDE_ROLES),
    DemoOrg("Contoso Retail", "contoso", "contoso.example", SIDE_ROLES),
    DemoOrg("Fabrikam", "fabrikam", "fabrikam.example", (("admin", "LEAD", OrgRole.ADMIN),)),
)


def demo_logins() -> list[str]:
    return [f"{local}@{org.domain}" for org in DEMO_ORGS for local, _role, _org_role in org.people]


def _principal(user: User) -> Principal:
    return Principal(
        user_id=user.id,
        organization_id=user.organization_id,
        org_role=user.org_role,
        email=user.email,
        display_name=user.display_name,
    )


async def is_seeded(owner: URL) -> bool:
    database = Database(owner, pool_size=1)
    try:
        async with database.session() as session:
            return (
                await session.execute(select(col(Organization.id)).limit(1))
            ).first() is not None
    finally:
        await database.dispose()


@cache
def _demo_password_hash() -> str:
    # argon2id is slow on purpose; one hash per process serves every re-seed (the test suite).
    return hash_password(DEMO_PASSWORD)


async def seed_demo(owner: URL, settings: Settings) -> None:
    owner_db = Database(owner, pool_size=1)
    password_hash = _demo_password_hash()
    users: dict[str, User] = {}
    try:
        async with owner_db.session() as session, session.begin():
            for org in DEMO_ORGS:
                created = (
                    await session.execute(
                        insert(Organization)
                        .values(name=org.name, slug=org.slug, email_domain=org.domain)
                        .returning(Organization)
                    )
                ).scalar_one()
                for local, _role, org_role in org.people:
                    email = f"{local}@{org.domain}"
                    users[email] = (
                        await session.execute(
                            insert(User)
                            .values(
                                organization_id=created.id,
                                email=email,
                                display_name=f"{local.title()} ({org.name.split()[0]})",
                                password_hash=password_hash,
                                org_role=org_role,
                            )
                            .returning(User)
                        )
                    ).scalar_one()
    finally:
        await owner_db.dispose()

    app_db = Database(app_url(owner, settings), pool_size=1)
    try:
        await _partner(
            app_db,
            users,
            inviter="lead@northwind.example",
            invitee="lead@contoso.example",
            invitee_slug="contoso",
            name="Northwind ↔ Contoso supply recovery",
            own_label="Supplier",
            invitee_label="Customer",
        )
        await _partner(
            app_db,
            users,
            inviter="admin@fabrikam.example",
            invitee="lead@contoso.example",
            invitee_slug="contoso",
            name="Fabrikam ↔ Contoso logistics",
            own_label="Logistics provider",
            invitee_label="Customer",
        )
    finally:
        await app_db.dispose()


async def _partner(
    database: Database,
    users: dict[str, User],
    *,
    inviter: str,
    invitee: str,
    invitee_slug: str,
    name: str,
    own_label: str,
    invitee_label: str,
) -> None:
    async with database.session() as session, session.begin():
        await set_user_identity(session, users[inviter].id)
        invitation, _ = await service.invite_organization(
            session,
            actor=_principal(users[inviter]),
            invitee_slug=invitee_slug,
            name=name,
            own_label=own_label,
            invitee_label=invitee_label,
            message="Let's keep the evidence of our recovery in one place.",
        )
    async with database.session() as session, session.begin():
        await set_user_identity(session, users[invitee].id)
        await service.decide_invitation(
            session, actor=_principal(users[invitee]), invitation_id=invitation.id, accept=True
        )
    for lead_email in (inviter, invitee):
        domain = lead_email.split("@")[1]
        async with database.session() as session, session.begin():
            await set_user_identity(session, users[lead_email].id)
            for email, user in users.items():
                if email.endswith("@" + domain) and email != lead_email:
                    role = next(r for local, r, _ in SIDE_ROLES if email.startswith(local + "@"))
                    await service.add_member(
                        session,
                        actor=_principal(users[lead_email]),
                        partnership_id=invitation.partnership_id,
                        email=user.email,
                        role=WorkspaceRole(role),
                    )


# ---------------------------------------------------------------------------------------------
# The recovery story of Northwind ↔ Contoso: six months of roadmap, KPIs and commitments.
#
# Everything is created through the services, as the user of the side that would act, so the
# audit trail is the real one. The services stamp "now"; a story whose deliveries happened
# months ago then moves the workspace rows' own timestamps (created/delivered/confirmed, the
# transitions' `at`, measurements' recording times) into the past with one owner-role UPDATE per
# table. audit_event rows are never touched: the trail truthfully says when the seed ran, and
# its hash chain stays intact.
# ---------------------------------------------------------------------------------------------

STORY_PARTNERSHIP = "Northwind ↔ Contoso supply recovery"
NORTHWIND, CONTOSO = "northwind", "contoso"


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


@dataclass(frozen=True)
class StoryKpi:
    key: str
    name: str
    unit: str
    direction: Direction
    cadence: Cadence
    side: str
    target: float
    warning: float
    critical: float
    values: tuple[float, ...]  # oldest first; the newest is the last finished period
    internal: bool = False
    # (index into values, value first reported): reported, then corrected to values[index]
    correction: tuple[int, float, str] | None = None


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


def _other(side: str) -> str:
    return CONTOSO if side == NORTHWIND else NORTHWIND


def _response_times() -> tuple[float, ...]:
    """26 weeks of mean response time falling from 48 h to about 9 h, with weekly noise."""
    return tuple(
        round(9 + 39 * math.exp(-week / 6) + ((week * 7) % 5 - 2) * 0.4 * (week > 0), 1)
        for week in range(26)
    )


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

KPIS = (
    StoryKpi(
        "on-time",
        "On-time delivery",
        "%",
        Direction.HIGHER_IS_BETTER,
        Cadence.MONTHLY,
        NORTHWIND,
        target=92,
        warning=85,
        critical=75,
        values=(55.0, 61.5, 68.0, 74.5, 80.1, 85.2),
    ),
    StoryKpi(
        "response",
        "Mean response time",
        "h",
        Direction.LOWER_IS_BETTER,
        Cadence.WEEKLY,
        NORTHWIND,
        target=6,
        warning=12,
        critical=24,
        values=_response_times(),
    ),
    StoryKpi(
        "csat",
        "Customer satisfaction (CSAT)",
        "/10",
        Direction.HIGHER_IS_BETTER,
        Cadence.MONTHLY,
        CONTOSO,
        target=8.8,
        warning=8.5,
        critical=8.0,
        values=(7.5, 7.6, 7.9, 8.1, 8.2, 8.4),
        correction=(4, 8.0, "Includes the late survey responses of the northern stores."),
    ),
    StoryKpi(
        "defects",
        "Defect rate at goods receipt",
        "%",
        Direction.LOWER_IS_BETTER,
        Cadence.MONTHLY,
        CONTOSO,
        target=0.3,
        warning=0.8,
        critical=1.2,
        values=(1.5, 1.4, 1.15, 0.95, 0.8, 0.6),
    ),
    StoryKpi(
        "freight",
        "Expedited freight cost",
        "k€",
        Direction.LOWER_IS_BETTER,
        Cadence.MONTHLY,
        NORTHWIND,
        target=40,
        warning=60,
        critical=100,
        values=(180, 165, 150, 128, 112, 104),
        internal=True,
    ),
    StoryKpi(
        "stock-outs",
        "Store stock-outs from late supply",
        "count",
        Direction.LOWER_IS_BETTER,
        Cadence.MONTHLY,
        CONTOSO,
        target=15,
        warning=40,
        critical=80,
        values=(142, 120, 96, 75, 58, 47),
        internal=True,
    ),
)


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


@dataclass(frozen=True)
class _Cast:
    """The story's partnership, its two parties and the people who act, by side."""

    partnership_id: uuid.UUID
    parties: dict[str, uuid.UUID]
    users: dict[str, User]

    def principal(self, side: str, role: str) -> Principal:
        return _principal(self.users[f"{role}@{side}.example"])


@dataclass
class _Backdates:
    """When each story record really happened, applied after the services stamped "now"."""

    milestones: dict[uuid.UUID, datetime] = field(default_factory=dict)
    kpis: dict[uuid.UUID, datetime] = field(default_factory=dict)
    measurements: dict[uuid.UUID, tuple[datetime, datetime]] = field(default_factory=dict)
    revisions: dict[uuid.UUID, tuple[datetime, datetime]] = field(default_factory=dict)
    commitments: dict[uuid.UUID, tuple[datetime, datetime, datetime | None, datetime | None]] = (
        field(default_factory=dict)
    )
    transitions: list[tuple[uuid.UUID, int, datetime]] = field(default_factory=list)
    evidence: list[tuple[uuid.UUID, str, datetime]] = field(default_factory=list)


def _moment(day: int, order: int = 0) -> datetime:
    """A time on the story's day `day` (relative to today), never later than an hour ago."""
    at = datetime.combine(today() + timedelta(days=day), time(8, 0), UTC)
    return min(at + timedelta(minutes=40 * order), utcnow() - timedelta(hours=1))


async def _load_cast(owner: URL) -> _Cast:
    database = Database(owner, pool_size=1)
    try:
        async with database.session() as session:
            partnership = (
                await session.execute(
                    select(Partnership).where(col(Partnership.name) == STORY_PARTNERSHIP)
                )
            ).scalar_one()
            parties = (
                await session.execute(
                    select(col(Organization.slug), col(Party.id))
                    .join(Organization, col(Organization.id) == col(Party.organization_id))
                    .where(col(Party.partnership_id) == partnership.id)
                )
            ).all()
            users = (
                await session.execute(
                    select(User).where(
                        col(User.email).in_(
                            [
                                f"{role}@{side}.example"
                                for side in (NORTHWIND, CONTOSO)
                                for role in ("lead", "editor")
                            ]
                        )
                    )
                )
            ).scalars()
            return _Cast(
                partnership_id=partnership.id,
                parties={slug: party_id for slug, party_id in parties},
                users={u.email: u for u in users},
            )
    finally:
        await database.dispose()


@asynccontextmanager
async def _acting(database: Database, actor: Principal) -> AsyncIterator[AsyncSession]:
    """One transaction as `actor`, as one request of theirs would be."""
    async with database.session() as session, session.begin():
        await set_user_identity(session, actor.user_id)
        yield session


async def seed_story(owner: URL, settings: Settings) -> None:
    """The Northwind ↔ Contoso recovery story, on top of `seed_demo` (for `mutual serve`)."""
    cast = await _load_cast(owner)
    backdates = _Backdates()
    database = Database(app_url(owner, settings), pool_size=1)
    try:
        milestones = await _story_milestones(database, cast, backdates)
        kpis = await _story_kpis(database, cast, backdates)
        await _story_commitments(database, cast, backdates, milestones=milestones, kpis=kpis)
    finally:
        await database.dispose()
    await _backdate(owner, cast.partnership_id, backdates)


async def _story_milestones(
    database: Database, cast: _Cast, backdates: _Backdates
) -> dict[str, uuid.UUID]:
    ids = {}
    for m in MILESTONES:
        actor = cast.principal(m.side, "editor")
        async with _acting(database, actor) as session:
            _workspace, milestone = await roadmap_service.create_milestone(
                session,
                actor=actor,
                partnership_id=cast.partnership_id,
                title=m.title,
                phase=m.phase,
                description=m.description,
                target_date=today() + timedelta(days=m.target),
                owner_party_id=cast.parties[m.side],
                visibility=Visibility.INTERNAL if m.internal else Visibility.SHARED,
                status=m.status,
            )
        ids[m.key] = milestone.id
        backdates.milestones[milestone.id] = _moment(m.created)
    return ids


def _periods(cadence: Cadence, count: int) -> list[date]:
    """The starts of the last `count` finished periods, oldest first."""
    periods = [cadence.previous_period_start(today())]
    while len(periods) < count:
        periods.append(cadence.previous_period_start(periods[-1]))
    return periods[::-1]


NEXT_PERIOD_DAYS = {Cadence.WEEKLY: 7, Cadence.MONTHLY: 32, Cadence.QUARTERLY: 95}


def _reported(cadence: Cadence, period: date) -> datetime:
    """A measurement is reported on the day after its period ends."""
    next_start = cadence.period_start(period + timedelta(days=NEXT_PERIOD_DAYS[cadence]))
    return _moment((next_start - today()).days + 1, 1)


async def _story_kpis(
    database: Database, cast: _Cast, backdates: _Backdates
) -> dict[str, uuid.UUID]:
    ids = {}
    for k in KPIS:
        actor = cast.principal(k.side, "lead")
        cadence = k.cadence
        periods = _periods(cadence, len(k.values))
        async with _acting(database, actor) as session:
            _workspace, kpi = await kpi_service.create_kpi(
                session,
                actor=actor,
                partnership_id=cast.partnership_id,
                definition={
                    "name": k.name,
                    "unit": k.unit,
                    "direction": k.direction,
                    "baseline_value": Decimal(str(k.values[0])),
                    "baseline_date": periods[0],
                    "target_value": Decimal(str(k.target)),
                    "target_date": today() + timedelta(days=180),
                    "warning_threshold": Decimal(str(k.warning)),
                    "critical_threshold": Decimal(str(k.critical)),
                    "cadence": cadence,
                },
                owner_party_id=cast.parties[k.side],
                visibility=Visibility.INTERNAL if k.internal else Visibility.SHARED,
            )
        ids[k.key] = kpi.id
        backdates.kpis[kpi.id] = _moment((periods[0] - today()).days - 3)
        first_values = list(k.values)
        if k.correction is not None:
            first_values[k.correction[0]] = k.correction[1]
        rows = [
            kpi_service.MeasurementRow(kpi_id=kpi.id, period=period, value=value)
            for period, value in zip(periods, first_values, strict=True)
        ]
        async with _acting(database, actor) as session:
            _workspace, result = await kpi_service.record_measurements(
                session, actor=actor, partnership_id=cast.partnership_id, rows=rows
            )
        for measurement in result.created:
            at = _reported(cadence, measurement.period_start)
            backdates.measurements[measurement.id] = (at, at)
        if k.correction is not None:
            index, _first, note = k.correction
            fix = kpi_service.MeasurementRow(
                kpi_id=kpi.id, period=periods[index], value=k.values[index], note=note
            )
            async with _acting(database, actor) as session:
                _workspace, result = await kpi_service.record_measurements(
                    session, actor=actor, partnership_id=cast.partnership_id, rows=[fix]
                )
            (corrected,) = result.corrected
            reported, _ = backdates.measurements[corrected.id]
            replaced = min(reported + timedelta(days=6), _moment(-1))
            backdates.measurements[corrected.id] = (reported, replaced)
            backdates.revisions[corrected.id] = (reported, replaced)
    return ids


def _actor_of(action: CommitmentAction, c: StoryCommitment) -> tuple[str, str]:
    """Who takes a step: the side (by the lifecycle's rules) and the role of the person."""
    if c.internal:
        return c.side, "editor"
    if action in (A.ACCEPT, A.DECLINE):
        return _other(c.proposer), "lead"
    if action in (A.START, A.DELIVER, A.REQUEST_RENEGOTIATION):
        return c.side, "editor"
    return _other(c.side), "lead"


async def _story_commitments(
    database: Database,
    cast: _Cast,
    backdates: _Backdates,
    *,
    milestones: dict[str, uuid.UUID],
    kpis: dict[str, uuid.UUID],
) -> None:
    for c in COMMITMENTS:
        proposer = cast.principal(c.proposer, "editor")
        async with _acting(database, proposer) as session:
            _workspace, commitment = await commitment_service.propose(
                session,
                actor=proposer,
                partnership_id=cast.partnership_id,
                title=c.title,
                due_date=today() + timedelta(days=c.due),
                owner_party_id=cast.parties[c.side],
                description=c.description,
                milestone_id=milestones[c.milestone] if c.milestone else None,
                kpi_id=kpis[c.kpi] if c.kpi else None,
                visibility=Visibility.INTERNAL if c.internal else Visibility.SHARED,
            )
        created = _moment(c.proposed)
        backdates.transitions.append((commitment.id, 1, created))
        delivered: datetime | None = None
        confirmed: datetime | None = None
        last = created
        for order, step in enumerate(c.steps, start=1):
            side, role = _actor_of(step.action, c)
            actor = cast.principal(side, role)
            async with _acting(database, actor) as session:
                _workspace, commitment = await commitment_service.transition(
                    session,
                    actor=actor,
                    commitment_id=commitment.id,
                    expected_version=commitment.version,
                    action=step.action,
                    reason=step.reason,
                    evidence=step.evidence,
                    new_due_date=today() + timedelta(days=step.new_due)
                    if step.new_due is not None
                    else None,
                )
            last = _moment(step.day, order)
            backdates.transitions.append((commitment.id, order + 1, last))
            backdates.evidence.extend((commitment.id, link.url, last) for link in step.evidence)
            if step.action == A.DELIVER:
                delivered = last
            elif step.action == A.CONFIRM:
                confirmed = last
        backdates.commitments[commitment.id] = (
            created,
            last,
            delivered if commitment.delivered_at else None,
            confirmed if commitment.confirmed_at else None,
        )


async def _backdate(owner: URL, partnership_id: uuid.UUID, backdates: _Backdates) -> None:
    """Move the story's own timestamps into the past (owner role; audit_event untouched)."""
    conn = await connect_owner(owner)
    try:
        async with conn.transaction():
            for table, moments in (("milestone", backdates.milestones), ("kpi", backdates.kpis)):
                await conn.execute(
                    f"UPDATE {table} t SET created_at = v.at, updated_at = v.at "
                    "FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, at) "
                    "WHERE t.partnership_id = $3 AND t.id = v.id",
                    list(moments),
                    list(moments.values()),
                    partnership_id,
                )
            measured = backdates.measurements
            await conn.execute(
                "UPDATE kpi_measurement t SET created_at = v.created, updated_at = v.updated "
                "FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) "
                "AS v(id, created, updated) WHERE t.partnership_id = $4 AND t.id = v.id",
                list(measured),
                [m[0] for m in measured.values()],
                [m[1] for m in measured.values()],
                partnership_id,
            )
            revised = backdates.revisions
            await conn.execute(
                "UPDATE kpi_measurement_revision t SET reported_at = v.reported, "
                "replaced_at = v.replaced "
                "FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) "
                "AS v(id, reported, replaced) "
                "WHERE t.partnership_id = $4 AND t.measurement_id = v.id",
                list(revised),
                [r[0] for r in revised.values()],
                [r[1] for r in revised.values()],
                partnership_id,
            )
            times = list(backdates.commitments.values())
            await conn.execute(
                "UPDATE commitment t SET created_at = v.created, updated_at = v.updated, "
                "delivered_at = v.delivered, confirmed_at = v.confirmed "
                "FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], "
                "$4::timestamptz[], $5::timestamptz[]) AS v(id, created, updated, delivered, "
                "confirmed) WHERE t.partnership_id = $6 AND t.id = v.id",
                list(backdates.commitments),
                [t[0] for t in times],
                [t[1] for t in times],
                [t[2] for t in times],
                [t[3] for t in times],
                partnership_id,
            )
            # The n-th transition of a commitment (in the order the services wrote them).
            steps = backdates.transitions
            await conn.execute(
                "UPDATE commitment_transition t SET at = v.at "
                "FROM (SELECT id, row_number() OVER (PARTITION BY commitment_id ORDER BY at, id) "
                "      AS n FROM commitment_transition WHERE partnership_id = $4) AS r, "
                "     unnest($1::uuid[], $2::int[], $3::timestamptz[]) AS v(commitment_id, n, at) "
                "WHERE t.partnership_id = $4 AND t.id = r.id AND t.commitment_id = v.commitment_id "
                "AND r.n = v.n",
                [s[0] for s in steps],
                [s[1] for s in steps],
                [s[2] for s in steps],
                partnership_id,
            )
            links = backdates.evidence
            await conn.execute(
                "UPDATE commitment_evidence t SET created_at = v.at "
                "FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) "
                "AS v(commitment_id, url, at) "
                "WHERE t.partnership_id = $4 AND t.commitment_id = v.commitment_id "
                "AND t.url = v.url",
                [e[0] for e in links],
                [e[1] for e in links],
                [e[2] for e in links],
                partnership_id,
            )
    finally:
        await conn.close()
