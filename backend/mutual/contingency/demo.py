"""Contingency's part of the recovery story: a joint plan for delayed commitments, approved by
both sides' LEADs, activated when the "commitments delayed" detector fired on day -40, worked
through (steps, an update, an escalation) and closed with a post-mortem whose follow-up became a
commitment; and a supply-disruption plan drilled on day -10."""

from __future__ import annotations

import uuid
from datetime import timedelta

from mutual.commitments import service as commitments
from mutual.commitments.models import CommitmentAction
from mutual.contingency import repository, service
from mutual.contingency.models import Severity, TriggerKind
from mutual.kit.clock import today
from mutual.kit.demo import CONTOSO, NORTHWIND, Story, moment
from mutual.kit.triggers import Firing


def _content(story: Story, *, detector: str, severity: Severity) -> service.PlanContent:
    nw, co = story.parties[NORTHWIND], story.parties[CONTOSO]
    return service.PlanContent(
        scenario="Deliveries slip or commitments are renegotiated again and again: the partner "
        "learns it late, and trust erodes.",
        severity=severity,
        triggers=[
            service.TriggerSpec(kind=TriggerKind.DETECTOR, detector=detector),
            service.TriggerSpec(kind=TriggerKind.MANUAL),
        ],
        steps=[
            service.StepSpec("Call the partner's lead within the hour", nw, "LEAD", 60),
            service.StepSpec("List every affected order line", nw, "EDITOR", 240),
            service.StepSpec("Confirm the store allocation impact", co, "EDITOR", 480),
            service.StepSpec("Agree the recovery dates together", co, "LEAD", 1440),
        ],
        protocol="Northwind's lead informs Contoso's lead first, by phone; both oversight "
        "groups get the written update in the activation room.",
        cadence_minutes={Severity.HIGH: 240, Severity.CRITICAL: 60},
        oversight_user_ids=[
            story.principal(NORTHWIND, "lead").user_id,
            story.principal(CONTOSO, "lead").user_id,
        ],
    )


async def _approved_plan(story: Story, title: str, content: service.PlanContent, day: int) -> str:
    author = story.principal(NORTHWIND, "editor")
    async with story.acting(author, at=moment(day)) as session:
        _ws, plan = await service.create_plan(
            session,
            actor=author,
            partnership_id=story.partnership_id,
            title=title,
            content=content,
        )
        [version] = await repository.versions_of_plans(session, [plan.id])
        await service.submit_version(session, actor=author, version_id=version.id)
    for side in (NORTHWIND, CONTOSO):
        lead = story.principal(side, "lead")
        async with story.acting(lead, at=moment(day + 1)) as session:
            await service.approve_version(session, actor=lead, version_id=version.id)
    return str(plan.id)


async def seed_story(story: Story) -> None:
    await _approved_plan(
        story,
        "Commitments delayed or renegotiated",
        _content(story, detector="commitments_delayed", severity=Severity.HIGH),
        -60,
    )
    await _approved_plan(
        story,
        "Supply disruption at a plant or carrier",
        _content(story, detector="communication_declining", severity=Severity.CRITICAL),
        -50,
    )
    nw_lead, co_lead = story.principal(NORTHWIND, "lead"), story.principal(CONTOSO, "lead")
    async with story.acting(nw_lead, at=moment(-40)) as session:
        await service.receive_firings(
            session,
            [
                Firing(
                    partnership_id=story.partnership_id,
                    source="detector.commitments_delayed",
                    episode=moment(-40).isoformat(),
                    summary="3 commitments missed and 2 renegotiated twice in 4 weeks.",
                )
            ],
        )
        [activation] = await repository.activations_of(
            session, story.partnership_id, viewer_party_id=story.parties[NORTHWIND]
        )
        steps = await repository.steps_of(session, [activation.id])
    for step in steps:
        side = NORTHWIND if step.owner_party_id == story.parties[NORTHWIND] else CONTOSO
        actor = nw_lead if side == NORTHWIND else co_lead
        async with story.acting(actor, at=moment(-40, step.position)) as session:
            await service.complete_step(session, actor=actor, step_id=step.id)
    async with story.acting(nw_lead, at=moment(-40, 2)) as session:
        await service.post_update(
            session,
            actor=nw_lead,
            activation_id=activation.id,
            body="12 order lines affected; 9 ship Friday, 3 next Wednesday.",
        )
    async with story.acting(co_lead, at=moment(-39)) as session:
        _ws, closed = await service.close_activation(
            session,
            actor=co_lead,
            activation_id=activation.id,
            summary="Both sides knew within the hour; the new dates held.",
            root_causes=["Capacity plan not shared", "Renegotiations agreed by e-mail only"],
            follow_ups=[
                service.FollowUp(
                    title="Share the weekly capacity plan in the workspace",
                    due_date=today() + timedelta(days=80),
                    owner_party_id=story.parties[NORTHWIND],
                )
            ],
        )
    # Northwind agrees to the follow-up Contoso proposed in the post-mortem.
    assert closed.postmortem is not None
    for commitment_id in closed.postmortem["commitmentIds"]:
        async with story.acting(nw_lead, at=moment(-39, 1)) as session:
            await commitments.transition(
                session,
                actor=nw_lead,
                commitment_id=uuid.UUID(commitment_id),
                expected_version=1,
                action=CommitmentAction.ACCEPT,
            )
    story.made["contingency"] = {"plan": activation.plan_id, "activation": activation.id}
