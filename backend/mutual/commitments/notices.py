"""What commitments tell a side (kit/notices.py; the notify domain delivers): a proposal to
accept (to the side that did not propose it), a delivery to confirm (to the counterparty), and
once a day reminders of commitments due in three days or overdue (to the accountable side).
INTERNAL commitments are one side's own plan: no notice but the reminders, to that side."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.commitments import repository
from mutual.commitments.models import Commitment
from mutual.kit import notices
from mutual.kit.clock import today
from mutual.kit.jobs import JobContext, Task
from mutual.kit.records import Visibility
from mutual.tenancy.workspace import Workspace

PROPOSAL = "commitments.proposal_to_accept"
DELIVERY = "commitments.delivery_to_confirm"
DUE_SOON = "commitments.reminder_due_soon"
OVERDUE = "commitments.reminder_overdue"
KINDS = {
    PROPOSAL: "A commitment proposed to your side, to accept or decline",
    DELIVERY: "A commitment delivered to your side, to confirm or dispute",
    DUE_SOON: "Reminder: your side's commitment is due in 3 days",
    OVERDUE: "Reminder: your side's commitment is overdue",
}
REMIND_DAYS = 3


async def proposed(session: AsyncSession, workspace: Workspace, commitment: Commitment) -> None:
    if commitment.visibility != Visibility.SHARED or workspace.counterparty is None:
        return
    await notices.send(
        session,
        notices.Notice(
            partnership_id=commitment.partnership_id,
            kind=PROPOSAL,
            party_id=workspace.counterparty.id,
            subject_type="Commitment",
            subject_id=commitment.id,
            title=f"{workspace.own_party.label} proposes: {commitment.title}",
            body=f"Due {commitment.due_date.isoformat()}. Accept or decline it.",
        ),
    )


async def delivered(session: AsyncSession, workspace: Workspace, commitment: Commitment) -> None:
    if commitment.visibility != Visibility.SHARED:
        return
    recipient = next((p for p in workspace.parties if p.id != commitment.owner_party_id), None)
    if recipient is None:
        return
    await notices.send(
        session,
        notices.Notice(
            partnership_id=commitment.partnership_id,
            kind=DELIVERY,
            party_id=recipient.id,
            subject_type="Commitment",
            subject_id=commitment.id,
            title=f"Delivered, to confirm: {commitment.title}",
            body="Review the evidence, then confirm the delivery or dispute it.",
        ),
    )


async def send_reminders(session: AsyncSession, *, on: date) -> int:
    """The day's reminders, once per commitment and day (the notice's dedupe key)."""
    due = await repository.commitments_to_remind(session, today=on, days=REMIND_DAYS)
    for item in due:
        kind = OVERDUE if item.overdue else DUE_SOON
        when = (
            f"was due {item.due_date.isoformat()}"
            if item.overdue
            else f"is due {item.due_date.isoformat()}"
        )
        await notices.send(
            session,
            notices.Notice(
                partnership_id=item.partnership_id,
                kind=kind,
                party_id=item.owner_party_id,
                subject_type="Commitment",
                subject_id=item.commitment_id,
                title=f"{item.title} {when}",
                body="Deliver it, or ask the other side to renegotiate its date.",
                dedupe_key=f"{item.commitment_id}:{on.isoformat()}",
            ),
        )
    return len(due)


async def remind(job: JobContext) -> None:
    async with job.database.session() as session, session.begin():
        await send_reminders(session, on=today())


# Hourly, so a day's reminders go out early and a missed run is made up within the hour.
REMINDERS = Task(name="commitments.reminders", run=remind, cron="0 * * * *")
