"""Feedback in the recovery story: Contoso (the customer) tells Northwind what went wrong, each
item answered, worked on and rated or still open, against the SLA policy both LEADs agreed on.
Every step goes through the services on its story day, so the clocks ran as they would have."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from mutual.feedback import service
from mutual.feedback.models import FeedbackAction, FeedbackCategory, Severity
from mutual.feedback.service import CalendarTerms
from mutual.kit.demo import CONTOSO, NORTHWIND, Story, moment

A = FeedbackAction


@dataclass(frozen=True)
class Step:
    hours: float  # after submission
    action: FeedbackAction | None  # None: a comment
    side: str
    note: str = ""
    rating: int | None = None
    internal: bool = False


@dataclass(frozen=True)
class Item:
    title: str
    body: str
    category: FeedbackCategory
    severity: Severity
    day: int
    submitter: str
    steps: tuple[Step, ...] = ()


ITEMS = (
    Item(
        "Pallets arrived without ASN labels",
        "Three deliveries last week came **without ASN labels**; receiving had to key them in.",
        FeedbackCategory.DELIVERY,
        Severity.HIGH,
        -60,
        CONTOSO,
        (
            Step(1, A.ACKNOWLEDGE, NORTHWIND),
            Step(
                2, None, NORTHWIND, "The label printer at dock 3 failed; replaced.", internal=True
            ),
            Step(5, A.START, NORTHWIND),
            Step(20, A.RESOLVE, NORTHWIND, "Dock 3 printer replaced; labels checked per pallet."),
            Step(30, A.ACCEPT, CONTOSO, "Labels fine since Monday.", rating=4),
        ),
    ),
    Item(
        "Invoice totals do not match the PO",
        "Invoices 4411 and 4412 bill list prices, not the contract prices.",
        FeedbackCategory.BILLING,
        Severity.MEDIUM,
        -40,
        CONTOSO,
        (
            Step(3, A.ACKNOWLEDGE, NORTHWIND),
            Step(4, A.RESOLVE, NORTHWIND, "Credit notes issued for both invoices."),
            Step(6, A.REOPEN, CONTOSO, "Invoice 4415 has the same problem."),
            Step(30, A.RESOLVE, NORTHWIND, "Contract prices loaded in the billing system."),
            Step(40, A.ACCEPT, CONTOSO, rating=3),
        ),
    ),
    Item(
        "Weekly status calls keep being cancelled",
        "Two of the last three calls were cancelled the same morning.",
        FeedbackCategory.COMMUNICATION,
        Severity.LOW,
        -20,
        CONTOSO,
        (
            Step(2, A.ACKNOWLEDGE, NORTHWIND),
            Step(3, A.START, NORTHWIND),
            Step(4, A.ASK_SUBMITTER, NORTHWIND, "Which time slot suits your team best?"),
        ),
    ),
    Item(
        "Defect rate on batch 77 above 2 %",
        "Incoming inspection rejected 2.4 % of batch 77 (limit 1.5 %).",
        FeedbackCategory.QUALITY,
        Severity.CRITICAL,
        -1,
        CONTOSO,
        (Step(0.5, None, NORTHWIND, "We are pulling the retained samples now."),),
    ),
    Item(
        "Forecast for Q3 still missing",
        "We need the Q3 demand forecast to plan capacity.",
        FeedbackCategory.COMMUNICATION,
        Severity.MEDIUM,
        -3,
        NORTHWIND,
    ),
)


async def _policy(story: Story) -> None:
    lead = story.principal(NORTHWIND, "lead")
    async with story.acting(lead, at=moment(-90)) as session:
        _w, policy = await service.propose_policy(
            session,
            actor=lead,
            partnership_id=story.partnership_id,
            targets={
                Severity.CRITICAL: (60, 8 * 60),
                Severity.HIGH: (4 * 60, 3 * 8 * 60),
                Severity.MEDIUM: (8 * 60, 5 * 8 * 60),
                Severity.LOW: (16 * 60, 10 * 8 * 60),
            },
            business_hours=True,
            calendars=[
                CalendarTerms(
                    party_id=story.parties[NORTHWIND],
                    time_zone="Europe/Berlin",
                    working_days=(1, 2, 3, 4, 5),
                    start=datetime.strptime("08:00", "%H:%M").time(),
                    end=datetime.strptime("17:00", "%H:%M").time(),
                ),
                CalendarTerms(
                    party_id=story.parties[CONTOSO],
                    time_zone="America/New_York",
                    working_days=(1, 2, 3, 4, 5),
                    start=datetime.strptime("09:00", "%H:%M").time(),
                    end=datetime.strptime("18:00", "%H:%M").time(),
                ),
            ],
            note="Targets from the recovery plan's first workshop.",
        )
    other = story.principal(CONTOSO, "lead")
    async with story.acting(other, at=moment(-89)) as session:
        await service.decide_policy(
            session, actor=other, policy_id=policy.id, expected_version=policy.version, accept=True
        )


async def seed_story(story: Story) -> None:
    await _policy(story)
    made: dict[str, uuid.UUID] = {}
    created: list[tuple[uuid.UUID, datetime]] = []
    steps: list[tuple[uuid.UUID, int, datetime]] = []  # the n-th transition of an item
    comments: list[tuple[uuid.UUID, str, datetime]] = []
    for item in ITEMS:
        submitter = story.principal(item.submitter, "editor")
        start = moment(item.day)
        async with story.acting(submitter, at=start) as session:
            _w, record = await service.submit(
                session,
                actor=submitter,
                partnership_id=story.partnership_id,
                title=item.title,
                body=item.body,
                category=item.category,
                severity=item.severity,
            )
        made[item.title] = record.id
        created.append((record.id, start))
        steps.append((record.id, 1, start))
        for step in item.steps:
            at = start + timedelta(hours=step.hours)
            actor = story.principal(step.side, "editor")
            async with story.acting(actor, at=at) as session:
                if step.action is None:
                    comments.append((record.id, step.note, at))
                    await service.add_comment(
                        session,
                        actor=actor,
                        feedback_id=record.id,
                        body=step.note,
                        internal=step.internal,
                    )
                    continue
                _w, record = await service.transition(
                    session,
                    actor=actor,
                    feedback_id=record.id,
                    expected_version=record.version,
                    action=step.action,
                    note=step.note,
                    rating=step.rating,
                )
            steps.append((record.id, len([s for s in steps if s[0] == record.id]) + 1, at))
    story.made["feedback"] = made
    _backdate(story, created, steps, comments)


def _backdate(
    story: Story,
    created: list[tuple[uuid.UUID, datetime]],
    steps: list[tuple[uuid.UUID, int, datetime]],
    comments: list[tuple[uuid.UUID, str, datetime]],
) -> None:
    """The timeline's own timestamps on the story's days (the services wrote now)."""
    story.backdate(
        "UPDATE feedback t SET created_at = v.at "
        "FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, at) "
        "WHERE t.partnership_id = $3 AND t.id = v.id",
        [c[0] for c in created],
        [c[1] for c in created],
    )
    story.backdate(
        "UPDATE feedback_transition t SET at = v.at "
        "FROM (SELECT id, row_number() OVER (PARTITION BY feedback_id ORDER BY at, id) AS n "
        "      FROM feedback_transition WHERE partnership_id = $4) AS r, "
        "     unnest($1::uuid[], $2::int[], $3::timestamptz[]) AS v(feedback_id, n, at) "
        "WHERE t.partnership_id = $4 AND t.id = r.id AND t.feedback_id = v.feedback_id "
        "AND r.n = v.n",
        [s[0] for s in steps],
        [s[1] for s in steps],
        [s[2] for s in steps],
    )
    story.backdate(
        "UPDATE feedback_comment t SET created_at = v.at "
        "FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS v(feedback_id, body, at) "
        "WHERE t.partnership_id = $4 AND t.feedback_id = v.feedback_id AND t.body = v.body",
        [c[0] for c in comments],
        [c[1] for c in comments],
        [c[2] for c in comments],
    )
