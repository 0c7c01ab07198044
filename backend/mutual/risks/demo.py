"""The risk register of the recovery story: shared risks scored by both sides (and where they
disagree), one accepted with an expiry, one whose review is overdue, one INTERNAL to Northwind."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from mutual.kit.clock import today
from mutual.kit.demo import CONTOSO, NORTHWIND, Story, moment
from mutual.kit.records import Visibility
from mutual.risks import repository, service
from mutual.risks.models import RiskCategory, Treatment

# (side, inherent likelihood, impact, residual likelihood, impact, why)
Score = tuple[str, int, int, int, int, str]


@dataclass(frozen=True)
class StoryRisk:
    key: str
    title: str
    description: str
    category: RiskCategory
    side: str
    scores: tuple[Score, ...]
    treatment: Treatment | None = None
    plan: str = ""
    internal: bool = False
    milestones: tuple[str, ...] = ()
    kpis: tuple[str, ...] = ()
    actions: tuple[tuple[str, str, int], ...] = field(default=())  # title, side, due in days
    review_days: int = 90
    overdue_by: int = 0  # days the review is past due


RISKS = (
    StoryRisk(
        "peak-capacity",
        "Peak-season capacity at the Brno plant",
        "Demand in November may exceed what two shifts can build; late lines would follow.",
        RiskCategory.DELIVERY,
        NORTHWIND,
        scores=(
            (NORTHWIND, 4, 4, 3, 3, "Second shift helps, but peak demand is still a guess."),
            (CONTOSO, 4, 5, 4, 4, "Last peak we lost two weeks of sales on 30 SKUs."),
        ),
        treatment=Treatment.MITIGATE,
        plan="Safety stock for the top 40 SKUs and a weekly forecast from Contoso.",
        milestones=("s-remedies", "d-coplanning"),
        kpis=("on-time",),
        actions=(
            ("Build safety stock for the top 40 SKUs", NORTHWIND, 20),
            ("Send the rolling 13-week forecast every Monday", CONTOSO, 7),
        ),
    ),
    StoryRisk(
        "defects",
        "Defects reaching Contoso's stores",
        "Damaged or faulty units found at goods receipt or by customers.",
        RiskCategory.QUALITY,
        NORTHWIND,
        scores=(
            (NORTHWIND, 3, 3, 2, 3, "The vision gate catches most pallet damage now."),
            (CONTOSO, 4, 3, 3, 3, "Goods receipt still finds 1% defective in some weeks."),
        ),
        treatment=Treatment.MITIGATE,
        plan="Outbound quality gate with vision inspection of every pallet.",
        milestones=("r-quality",),
        kpis=("defects",),
        actions=(("Vision inspection live on line 2", NORTHWIND, 25),),
    ),
    StoryRisk(
        "freight-cost",
        "Expedited freight costs",
        "Expedited trucks to recover late orders cost three times a normal load.",
        RiskCategory.FINANCIAL,
        CONTOSO,
        scores=(
            (CONTOSO, 3, 2, 3, 2, "Within the recovery budget agreed for this year."),
            (NORTHWIND, 3, 2, 3, 2, "Agreed."),
        ),
        treatment=Treatment.ACCEPT,
        plan="Accepted within the recovery budget.",
    ),
    StoryRisk(
        "trust-erosion",
        "Buyers lose confidence in the recovery",
        "Contoso's category buyers move volume to the second supplier if updates stop.",
        RiskCategory.RELATIONSHIP,
        CONTOSO,
        scores=((CONTOSO, 3, 4, 2, 4, "The weekly call keeps buyers informed."),),
        treatment=Treatment.MITIGATE,
        plan="Candid weekly status call and the daily order-status report.",
        milestones=("s-comms",),
        kpis=("csat",),
        overdue_by=6,
        review_days=30,
    ),
    StoryRisk(
        "edi-outage",
        "Order system outage during the migration",
        "Orders could be lost or duplicated while the EDI link moves to the new system.",
        RiskCategory.SECURITY,
        NORTHWIND,
        scores=(
            (NORTHWIND, 2, 4, 2, 2, "Parallel run for two weeks; rollback plan tested."),
            (CONTOSO, 2, 4, 2, 3, "We want the rollback tested on our side too."),
        ),
        treatment=Treatment.TRANSFER,
        plan="The integration partner carries the outage cost under its contract.",
        milestones=("r-process",),
    ),
    StoryRisk(
        "staffing",
        "Second-shift staffing turnover",
        "Our own: agency staff on the second shift leave within weeks.",
        RiskCategory.OTHER,
        NORTHWIND,
        scores=((NORTHWIND, 4, 3, 3, 3, "Retention bonus from next month."),),
        internal=True,
        treatment=Treatment.MITIGATE,
        plan="Retention bonus and training for agency staff.",
    ),
)


async def seed_story(story: Story) -> None:
    ids: dict[str, uuid.UUID] = {}
    milestones, kpis = story.made.get("milestones", {}), story.made.get("kpis", {})
    for r in RISKS:
        keeper = story.principal(r.side, "editor")
        async with story.acting(keeper, at=moment(-40)) as session:
            _ws, risk = await service.create_risk(
                session,
                actor=keeper,
                partnership_id=story.partnership_id,
                title=r.title,
                description=r.description,
                category=r.category,
                visibility=Visibility.INTERNAL if r.internal else Visibility.SHARED,
                review_every_days=r.review_days,
                # The story's day is 40 days ago: an overdue review fell due before today.
                next_review_on=today() + timedelta(days=40 - r.overdue_by)
                if r.overdue_by
                else None,
            )
            await service.set_links(
                session,
                actor=keeper,
                risk_id=risk.id,
                targets=service.LinkTargets(
                    milestone_ids=[milestones[k] for k in r.milestones if k in milestones],
                    kpi_ids=[kpis[k] for k in r.kpis if k in kpis],
                ),
            )
        ids[r.key] = risk.id
        for day, (side, il, ii, rl, ri, why) in enumerate(r.scores):
            scorer = story.principal(side, "editor")
            async with story.acting(scorer, at=moment(-30 + day * 3)) as session:
                await service.assess_risk(
                    session,
                    actor=scorer,
                    risk_id=risk.id,
                    inherent_likelihood=il,
                    inherent_impact=ii,
                    residual_likelihood=rl,
                    residual_impact=ri,
                    rationale=why,
                )
        if r.treatment is not None:
            async with story.acting(keeper, at=moment(-20)) as session:
                current = await repository.risk(session, risk.id)
                assert current is not None
                approver = story.principal(r.side, "lead")
                await service.set_treatment(
                    session,
                    actor=keeper,
                    risk_id=risk.id,
                    expected_version=current.version,
                    treatment=r.treatment,
                    plan=r.plan,
                    acceptance=service.AcceptanceTerms(
                        approver_user_id=approver.user_id,
                        reason=r.plan,
                        expires_on=today() + timedelta(days=150),
                    )
                    if r.treatment == Treatment.ACCEPT
                    else None,
                )
                for title, side, due in r.actions:
                    await service.add_action(
                        session,
                        actor=keeper,
                        risk_id=risk.id,
                        title=title,
                        owner_party_id=story.parties[side],
                        due_date=today() + timedelta(days=due),
                    )
    story.made["risks"] = ids
