"""The reminder of acknowledgements still due: periodic, across partnerships (through the
SECURITY DEFINER function of migration 0015, since a job has no identity), one notice per
version and day."""

from __future__ import annotations

from datetime import timedelta

from mutual.governance import repository
from mutual.governance.models import DisclosureVersion
from mutual.governance.service import acknowledgement_notice
from mutual.kit import notices
from mutual.kit.clock import today
from mutual.kit.jobs import JobContext, Task


async def remind_acknowledgements(job: JobContext) -> int:
    """Sends the reminders; returns how many versions were pending."""
    async with job.database.session() as session, session.begin():
        rows = await repository.pending_everywhere(session)
        on = today()
        reminders = [
            acknowledgement_notice(
                DisclosureVersion(
                    partnership_id=row.partnership_id,
                    id=row.version_id,
                    disclosure_id=row.disclosure_id,
                    number=row.number,
                    title=row.title,
                    owner_party_id=row.owner_party_id,
                ),
                to_party_id=row.party_id,
                on=on,
            )
            for row in rows
        ]
        await notices.send(session, *reminders)
    return len(rows)


async def _run(job: JobContext) -> None:
    await remind_acknowledgements(job)


REMIND_ACKNOWLEDGEMENTS = Task(
    name="governance.remind_acknowledgements", run=_run, every=timedelta(hours=1)
)
