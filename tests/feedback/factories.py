"""Documents and helpers of the feedback tests: submit and step through the API, a recording
notice sink, and the app role's database for running the tasks."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import httpx

from mutual.graphql.ids import parse_global_id
from mutual.kit import notices
from mutual.kit.notices import Notice
from tests.commitments.factories import mutate, only_record
from tests.helpers import World

CLOCK = "clock targetSeconds elapsedSeconds remainingSeconds dueAt paused stoppedAt atRisk breached"
FEEDBACK = f"""
feedback {{ id title body bodyHtml status version severity category rating ratingComment
  resolutionNote reopenCount closesAt submittedByUs viewerActions
  submittedByParty {{ label }} receivingParty {{ label }}
  firstResponseClock {{ {CLOCK} }} resolutionClock {{ {CLOCK} }}
  fixCommitment {{ id title }} fixConfirmed
  comments {{ body internal authorParty {{ label }} }}
  history {{ action fromStatus toStatus note }} }}
userErrors {{ field code message }}
"""

SUBMIT = f"""
mutation($input: SubmitFeedbackInput!) {{ submitFeedback(input: $input) {{ {FEEDBACK} }} }}
"""
ACTION_DOCS = {
    name: f"""mutation($input: FeedbackActionInput!) {{ {name}(input: $input) {{ {FEEDBACK} }} }}"""
    for name in ("acknowledgeFeedback", "startFeedback", "askFeedbackSubmitter", "resumeFeedback")
}
ACKNOWLEDGE = ACTION_DOCS["acknowledgeFeedback"]
START = ACTION_DOCS["startFeedback"]
ASK = ACTION_DOCS["askFeedbackSubmitter"]
RESUME = ACTION_DOCS["resumeFeedback"]
RESOLVE = f"""
mutation($input: ResolveFeedbackInput!) {{ resolveFeedback(input: $input) {{ {FEEDBACK} }} }}
"""
ACCEPT = f"""
mutation($input: AcceptFeedbackResolutionInput!) {{
  acceptFeedbackResolution(input: $input) {{ {FEEDBACK} }}
}}
"""
REOPEN = f"""
mutation($input: ReopenFeedbackInput!) {{ reopenFeedback(input: $input) {{ {FEEDBACK} }} }}
"""
COMMENT = f"""
mutation($input: AddFeedbackCommentInput!) {{
  addFeedbackComment(input: $input) {{ comment {{ body internal }} {FEEDBACK} }}
}}
"""
LIST = """
query($id: ID!, $filter: FeedbackFilterInput) { partnership(id: $id) {
  feedback(first: 100, filter: $filter) { totalCount nodes { id title status severity
    firstResponseClock { breached atRisk } resolutionClock { breached atRisk paused }
    comments { body internal } } } } }
"""
NODE = """
query($id: ID!) { node(id: $id) { ... on Feedback { id title
  comments { body internal } history { action note } } } }
"""
POLICY = """
policy { id number status version businessHours autoCloseDays viewerCanDecide
  proposedByParty { label } targets { severity firstResponseMinutes resolutionMinutes }
  calendars { timeZone workingDays start end holidays party { label } } }
userErrors { field code message }
"""
PROPOSE_POLICY = f"""
mutation($input: ProposeSlaPolicyInput!) {{ proposeSlaPolicy(input: $input) {{ {POLICY} }} }}
"""
ACCEPT_POLICY = f"""
mutation($input: DecideSlaPolicyInput!) {{ acceptSlaPolicy(input: $input) {{ {POLICY} }} }}
"""
DECLINE_POLICY = f"""
mutation($input: DecideSlaPolicyInput!) {{ declineSlaPolicy(input: $input) {{ {POLICY} }} }}
"""
POLICIES = """
query($id: ID!) { partnership(id: $id) { feedbackPolicies { number status } } }
"""
TARGETS = [
    {"severity": "CRITICAL", "firstResponseMinutes": 30, "resolutionMinutes": 240},
    {"severity": "HIGH", "firstResponseMinutes": 120, "resolutionMinutes": 960},
    {"severity": "MEDIUM", "firstResponseMinutes": 480, "resolutionMinutes": 2400},
    {"severity": "LOW", "firstResponseMinutes": 960, "resolutionMinutes": 4800},
]


def raw_id(global_id: str) -> uuid.UUID:
    """The database id of a global id."""
    parsed = parse_global_id(global_id)
    assert parsed is not None, global_id
    return parsed[1]


async def submit(
    client: httpx.AsyncClient, world: World, title: str = "Late pallets", **fields: Any
) -> dict[str, Any]:
    fields.setdefault("severity", "HIGH")
    fields.setdefault("category", "DELIVERY")
    result = await mutate(client, SUBMIT, partnershipId=world.nc_id, title=title, **fields)
    return only_record(result, "feedback")


async def act(
    client: httpx.AsyncClient, document: str, item: dict[str, Any], **fields: Any
) -> dict[str, Any]:
    """One step with the item's id and version; the payload (record and userErrors)."""
    return await mutate(
        client, document, feedbackId=item["id"], expectedVersion=item["version"], **fields
    )


@contextmanager
def recorded_notices() -> Iterator[list[Notice]]:
    """Every notice the services send meanwhile (notify's sink restored after)."""
    sent: list[Notice] = []
    before = list(notices.SINKS)

    async def record(_session: Any, batch: Sequence[Notice]) -> None:
        sent.extend(batch)

    notices.use([record])
    try:
        yield sent
    finally:
        notices.use(before)
