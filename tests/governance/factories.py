"""Governance test documents and steps through the API: write, submit, publish, version,
acknowledge; propose and decide."""

from __future__ import annotations

import base64
from typing import Any

import httpx

from tests.helpers import World, gql

VERSION_FIELDS = """
id number title body bodyHtml status contentHash version visibility publishedAt
attachments { id filename contentType size sha256 }
acknowledgement { contentHash acknowledgedAt party { label } acknowledgedBy { email } }
supersededBeforeAcknowledgement awaitingYourAcknowledgement previousNumber
diffFromPrevious { kind text }
disclosure { id title type visibility }
"""
PAYLOAD = f"version {{ {VERSION_FIELDS} }} userErrors {{ field code message }}"

CREATE = f"""
mutation($input: CreateDisclosureInput!) {{
  createDisclosure(input: $input) {{ disclosure {{ id }} {PAYLOAD} }}
}}
"""
UPDATE = f"""
mutation($input: UpdateDisclosureDraftInput!) {{
  updateDisclosureDraft(input: $input) {{ {PAYLOAD} }}
}}
"""
ATTACH = f"""
mutation($input: AddDisclosureAttachmentInput!) {{
  addDisclosureAttachment(input: $input) {{ {PAYLOAD} }}
}}
"""
REMOVE = f"""
mutation($input: RemoveDisclosureAttachmentInput!) {{
  removeDisclosureAttachment(input: $input) {{ {PAYLOAD} }}
}}
"""
SUBMIT = f"""
mutation($input: DisclosureVersionStepInput!) {{
  submitDisclosureVersion(input: $input) {{ {PAYLOAD} }}
}}
"""
RETURN = f"""
mutation($input: DisclosureVersionStepInput!) {{
  returnDisclosureVersion(input: $input) {{ {PAYLOAD} }}
}}
"""
PUBLISH = f"""
mutation($input: DisclosureVersionStepInput!) {{
  publishDisclosureVersion(input: $input) {{ {PAYLOAD} }}
}}
"""
NEW_VERSION = f"""
mutation($input: CreateDisclosureVersionInput!) {{
  createDisclosureVersion(input: $input) {{ {PAYLOAD} }}
}}
"""
ACKNOWLEDGE = f"""
mutation($input: AcknowledgeDisclosureVersionInput!) {{
  acknowledgeDisclosureVersion(input: $input) {{ {PAYLOAD} }}
}}
"""
DISCLOSURES = f"""
query($id: ID!) {{ partnership(id: $id) {{
  disclosures(first: 50) {{ totalCount nodes {{
    id title type visibility ownerParty {{ label isOwn }}
    latestPublished {{ number }} versions {{ {VERSION_FIELDS} }} }} }}
  pendingAcknowledgements {{ id number title }}
}} }}
"""
NODE = f"""query($id: ID!) {{
  node(id: $id) {{ __typename ... on DisclosureVersion {{ {VERSION_FIELDS} }} }}
}}"""

DECISION_FIELDS = """
id title context options rationale approvalCriteria decideBy status overdue version
ownerParty { label } supersedes { id } supersededBy { id }
sides { party { label isOwn } namedApprovers { email } canDecide
        verdict { verdict comment by { email } at } }
"""
DECISION_PAYLOAD = f"decision {{ {DECISION_FIELDS} }} userErrors {{ field code message }}"
PROPOSE = f"""
mutation($input: ProposeDecisionInput!) {{
  proposeDecision(input: $input) {{ {DECISION_PAYLOAD} }}
}}
"""
APPROVE = f"""
mutation($input: DecisionVerdictInput!) {{
  approveDecision(input: $input) {{ {DECISION_PAYLOAD} }}
}}
"""
REJECT = f"""
mutation($input: DecisionVerdictInput!) {{
  rejectDecision(input: $input) {{ {DECISION_PAYLOAD} }}
}}
"""
NAME = f"""
mutation($input: NameDecisionApproversInput!) {{
  nameDecisionApprovers(input: $input) {{ {DECISION_PAYLOAD} }}
}}
"""
DECISIONS = f"""
query($id: ID!, $overdue: Boolean! = false) {{ partnership(id: $id) {{
  decisions(first: 50, overdue: $overdue) {{ totalCount nodes {{ {DECISION_FIELDS} }} }}
}} }}
"""


async def call(client: httpx.AsyncClient, document: str, **values: Any) -> dict[str, Any]:
    """The payload of a one-field mutation called with `input: values`."""
    body = await gql(client, document, {"input": values})
    (payload,) = body["data"].values()
    assert isinstance(payload, dict)
    return payload


def ok(payload: dict[str, Any], field: str = "version") -> dict[str, Any]:
    assert payload["userErrors"] == [], payload
    value: dict[str, Any] = payload[field]
    return value


def refused(payload: dict[str, Any], field: str = "version") -> dict[str, Any]:
    assert payload[field] is None, payload
    assert len(payload["userErrors"]) == 1, payload
    error: dict[str, Any] = payload["userErrors"][0]
    return error


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


async def draft(
    author: httpx.AsyncClient, world: World, *, title: str = "Code of conduct", body: str = "v1"
) -> dict[str, Any]:
    return ok(
        await call(
            author,
            CREATE,
            partnershipId=world.nc_id,
            type="CODE_OF_CONDUCT",
            title=title,
            body=body,
        )
    )


async def attach(
    author: httpx.AsyncClient, version: dict[str, Any], filename: str, content: bytes
) -> dict[str, Any]:
    return ok(
        await call(
            author,
            ATTACH,
            versionId=version["id"],
            filename=filename,
            contentType="text/plain",
            contentBase64=b64(content),
        )
    )


async def publish(
    author: httpx.AsyncClient, approver: httpx.AsyncClient, version: dict[str, Any]
) -> dict[str, Any]:
    """Submitted by the author, published by the approver."""
    submitted = ok(
        await call(author, SUBMIT, versionId=version["id"], expectedVersion=version["version"])
    )
    return ok(
        await call(
            approver, PUBLISH, versionId=submitted["id"], expectedVersion=submitted["version"]
        )
    )


async def published_disclosure(
    author: httpx.AsyncClient, approver: httpx.AsyncClient, world: World, **kwargs: Any
) -> dict[str, Any]:
    return await publish(author, approver, await draft(author, world, **kwargs))


async def second_version(
    author: httpx.AsyncClient, approver: httpx.AsyncClient, first: dict[str, Any], body: str
) -> dict[str, Any]:
    created = ok(await call(author, NEW_VERSION, disclosureId=first["disclosure"]["id"]))
    edited = ok(
        await call(
            author, UPDATE, versionId=created["id"], expectedVersion=created["version"], body=body
        )
    )
    return await publish(author, approver, edited)
