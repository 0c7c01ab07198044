"""Reports' demo: Northwind's lead publishes a report, which Contoso's lead acknowledges, and a
board pack still waiting for Contoso; and a monthly schedule."""

from __future__ import annotations

from mutual.governance.reports import service
from mutual.governance.reports.models import ReportCadence
from mutual.kit.demo import CONTOSO, NORTHWIND, Story


async def seed_story(story: Story) -> None:
    northwind = story.principal(NORTHWIND, "lead")
    contoso = story.principal(CONTOSO, "lead")
    async with story.acting(northwind) as session:
        _ws, earlier = await service.generate_report(
            session,
            actor=northwind,
            partnership_id=story.partnership_id,
            title="Risk and compliance report",
        )
    async with story.acting(contoso) as session:
        await service.acknowledge_report(
            session, actor=contoso, report_id=earlier.id, sha256=earlier.sha256
        )
    async with story.acting(northwind) as session:
        _ws, current = await service.generate_report(
            session, actor=northwind, partnership_id=story.partnership_id, title="Board pack"
        )
        await service.create_schedule(
            session,
            actor=northwind,
            partnership_id=story.partnership_id,
            cadence=ReportCadence.MONTHLY,
        )
    story.made["reports"] = {"earlier": earlier.id, "current": current.id}
