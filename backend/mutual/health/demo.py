"""Health's demo: both LEADs agree tighter thresholds for delayed commitments, six months of
daily index history are taken from the records as they stood on each day, and today's
evaluation finds the commitments-delayed detector FIRING (its trigger fires)."""

from __future__ import annotations

from datetime import timedelta

from mutual.health import service
from mutual.health.models import DetectorName
from mutual.kit.clock import today
from mutual.kit.demo import CONTOSO, NORTHWIND, Story, moment
from mutual.tenancy.workspace import load_workspace


async def seed_story(story: Story) -> None:
    northwind = story.principal(NORTHWIND, "lead")
    contoso = story.principal(CONTOSO, "lead")
    async with story.acting(contoso, at=moment(-40)) as session:
        _ws, proposal = await service.propose_thresholds(
            session,
            actor=contoso,
            partnership_id=story.partnership_id,
            detector=DetectorName.COMMITMENTS_DELAYED,
            watch=1,
            fire=2,
        )
    async with story.acting(northwind, at=moment(-39)) as session:
        await service.decide_thresholds(
            session, actor=northwind, threshold_id=proposal.id, accept=True
        )
    async with story.acting(northwind) as session:
        workspace = await load_workspace(
            session, actor=northwind, partnership_id=story.partnership_id
        )
        start = today() - timedelta(days=182)
        for offset in range(0, 183):
            day = start + timedelta(days=offset)
            await service.take_snapshot(session, workspace, day, detectors_too=day == today())
        await service.fire_pending(session)
    story.made["health"] = {"threshold": proposal.id}
