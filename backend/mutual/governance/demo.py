"""Governance in the recovery story: Northwind's escalation and decision process, published in
two versions (Contoso acknowledged the first; the second waits for its receipt), Contoso's
supplier code of conduct acknowledged by Northwind, a draft still in review, and the decision
log: one decision approved by both sides, one superseding it waiting, one past its date."""

from __future__ import annotations

import uuid
from datetime import timedelta

from mutual.governance import service
from mutual.governance.models import DisclosureType, Verdict
from mutual.kit.clock import today
from mutual.kit.demo import CONTOSO, NORTHWIND, Story, moment

PROCESS_V1 = """# Escalation and decision process

1. A late order line is flagged to Contoso's planner **within 4 hours**.
2. Northwind's operations lead owns the recovery plan for it.
3. Decisions that change a delivery date need both relationship leads.
"""

PROCESS_V2 = """# Escalation and decision process

1. A late order line is flagged to Contoso's planner **within 2 hours**.
2. Northwind's operations lead owns the recovery plan for it.
3. Decisions that change a delivery date need both relationship leads.
4. Every escalation is reviewed in the Monday status call.
"""

CODE_OF_CONDUCT = """# Supplier code of conduct

Contoso expects its suppliers to report problems early, never to hide a delay, and to keep
commitments they agree to in writing.
"""

NOTES = b"Quarterly review notes: escalations 14, median response 3.1 h, all closed.\n"


async def _publish(story: Story, side: str, version_id: uuid.UUID, version: int, day: int) -> int:
    """Submitted by the side's governance member, approved by its lead; the record's version."""
    async with story.acting(story.principal(side, "governance"), at=moment(day)) as session:
        _w, submitted = await service.submit_for_review(
            session,
            actor=story.principal(side, "governance"),
            version_id=version_id,
            expected_version=version,
        )
    async with story.acting(story.principal(side, "lead"), at=moment(day, 1)) as session:
        _w, published = await service.publish_version(
            session,
            actor=story.principal(side, "lead"),
            version_id=version_id,
            expected_version=submitted.version,
        )
    return published.version


async def _disclosures(story: Story) -> None:
    northwind_gov = story.principal(NORTHWIND, "governance")
    async with story.acting(northwind_gov, at=moment(-60)) as session:
        _w, first = await service.create_disclosure(
            session,
            actor=northwind_gov,
            partnership_id=story.partnership_id,
            type=DisclosureType.DECISION_PROCESS,
            title="Escalation and decision process",
            body=PROCESS_V1,
        )
        await service.add_attachment(
            session,
            actor=northwind_gov,
            version_id=first.id,
            filename="review-notes.txt",
            content_type="text/plain",
            content=NOTES,
        )
    await _publish(story, NORTHWIND, first.id, first.version, -58)
    async with story.acting(story.principal(CONTOSO, "governance"), at=moment(-55)) as session:
        await service.acknowledge_version(
            session, actor=story.principal(CONTOSO, "governance"), version_id=first.id
        )
    async with story.acting(northwind_gov, at=moment(-10)) as session:
        _w, second = await service.create_version(
            session, actor=northwind_gov, disclosure_id=first.disclosure_id
        )
        _w, second = await service.update_draft(
            session,
            actor=northwind_gov,
            version_id=second.id,
            expected_version=second.version,
            body=PROCESS_V2,
        )
    await _publish(story, NORTHWIND, second.id, second.version, -8)

    contoso_gov = story.principal(CONTOSO, "governance")
    async with story.acting(contoso_gov, at=moment(-90)) as session:
        _w, conduct = await service.create_disclosure(
            session,
            actor=contoso_gov,
            partnership_id=story.partnership_id,
            type=DisclosureType.CODE_OF_CONDUCT,
            title="Supplier code of conduct",
            body=CODE_OF_CONDUCT,
        )
    await _publish(story, CONTOSO, conduct.id, conduct.version, -89)
    async with story.acting(northwind_gov, at=moment(-85)) as session:
        await service.acknowledge_version(session, actor=northwind_gov, version_id=conduct.id)

    async with story.acting(northwind_gov, at=moment(-2)) as session:
        _w, draft = await service.create_disclosure(
            session,
            actor=northwind_gov,
            partnership_id=story.partnership_id,
            type=DisclosureType.THIRD_PARTY_ASSESSMENT,
            title="ISO 9001 surveillance audit results",
            body="Draft: the auditor's summary goes here once the report arrives.",
        )
        await service.submit_for_review(
            session, actor=northwind_gov, version_id=draft.id, expected_version=draft.version
        )


async def _decisions(story: Story) -> None:
    now = today()  # the real today: decide-by dates relative to it, judged on the story's days
    northwind_lead = story.principal(NORTHWIND, "lead")
    contoso_lead = story.principal(CONTOSO, "lead")
    async with story.acting(northwind_lead, at=moment(-40)) as session:
        _w, safety = await service.propose_decision(
            session,
            actor=northwind_lead,
            partnership_id=story.partnership_id,
            title="Hold safety stock for the top 40 SKUs",
            context="Late deliveries of the fast movers caused most of Q3's stock-outs.",
            options=["Safety stock at Northwind", "Consignment stock at Contoso", "Do nothing"],
            rationale="Cheapest option that covers two weeks of demand.",
            approval_criteria="Both leads approve; reviewed after one quarter.",
            decide_by=now - timedelta(days=30),
        )
        await service.decide(
            session,
            actor=northwind_lead,
            decision_id=safety.id,
            verdict=Verdict.APPROVE,
            comment="We carry the cost for the first quarter.",
        )
    async with story.acting(contoso_lead, at=moment(-38)) as session:
        await service.decide(
            session,
            actor=contoso_lead,
            decision_id=safety.id,
            verdict=Verdict.APPROVE,
            comment="Agreed; we review the levels in the Monday call.",
        )
    contoso_gov = story.principal(CONTOSO, "governance")
    async with story.acting(contoso_lead, at=moment(-5)) as session:
        await service.propose_decision(
            session,
            actor=contoso_lead,
            partnership_id=story.partnership_id,
            title="Extend safety stock to the top 60 SKUs",
            context="Two more SKUs ran out in the last month.",
            options=["Top 60", "Keep top 40"],
            rationale="The extra 20 SKUs account for 12% of late lines.",
            approval_criteria="Both sides approve; Contoso's governance member approves for it.",
            decide_by=now + timedelta(days=14),
            approver_ids=[contoso_gov.user_id],
            supersedes_id=safety.id,
        )
    async with story.acting(story.principal(NORTHWIND, "editor"), at=moment(-30)) as session:
        await service.propose_decision(
            session,
            actor=story.principal(NORTHWIND, "editor"),
            partnership_id=story.partnership_id,
            title="Move the weekly call to Tuesdays",
            context="Mondays clash with Northwind's production planning.",
            options=["Tuesday 9:00", "Keep Monday"],
            decide_by=now - timedelta(days=20),
        )


async def seed_story(story: Story) -> None:
    await _disclosures(story)
    await _decisions(story)
