"""Factories for the roadmap, commitment and KPI tests: signed-in clients, one mutation call,
commitments driven through their lifecycle by the API, and owner-side counters."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import asyncpg
import httpx
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession

from mutual.db import Database
from mutual.graphql.ids import parse_global_id
from tests.helpers import World, gql
from tests.security.factories import sign_in

ClientFactory = Callable[[], AbstractAsyncContextManager[httpx.AsyncClient]]

COMMITMENT = """
commitment { id title status version dueDate visibility deliveredAt disputeReason
             pendingRenegotiation { proposedDueDate reason }
             ownerParty { label } evidence { url title }
             history { action fromStatus toStatus reason } }
userErrors { field code message current { version status dueDate } }
"""

PROPOSE = f"""
mutation($input: ProposeCommitmentInput!) {{ proposeCommitment(input: $input) {{ {COMMITMENT} }} }}
"""
ACCEPT = f"""
mutation($input: CommitmentActionInput!) {{ acceptCommitment(input: $input) {{ {COMMITMENT} }} }}
"""
DECLINE = f"""
mutation($input: CommitmentActionInput!) {{ declineCommitment(input: $input) {{ {COMMITMENT} }} }}
"""
START = f"""
mutation($input: CommitmentActionInput!) {{ startCommitment(input: $input) {{ {COMMITMENT} }} }}
"""
DELIVER = f"""
mutation($input: DeliverCommitmentInput!) {{ deliverCommitment(input: $input) {{ {COMMITMENT} }} }}
"""
CONFIRM = f"""
mutation($input: CommitmentActionInput!) {{ confirmCommitment(input: $input) {{ {COMMITMENT} }} }}
"""
DISPUTE = f"""
mutation($input: CommitmentActionInput!) {{ disputeCommitment(input: $input) {{ {COMMITMENT} }} }}
"""
RENEGOTIATE = f"""
mutation($input: RequestRenegotiationInput!) {{
  requestCommitmentRenegotiation(input: $input) {{ {COMMITMENT} }}
}}
"""
ACCEPT_RENEGOTIATION = f"""
mutation($input: CommitmentActionInput!) {{
  acceptCommitmentRenegotiation(input: $input) {{ {COMMITMENT} }}
}}
"""
DECLINE_RENEGOTIATION = f"""
mutation($input: CommitmentActionInput!) {{
  declineCommitmentRenegotiation(input: $input) {{ {COMMITMENT} }}
}}
"""

EVIDENCE = [{"url": "https://erp.example/shipments/1", "title": "Shipment log"}]


@asynccontextmanager
async def signed_in(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World, email: str
) -> AsyncIterator[httpx.AsyncClient]:
    """A client with a live session of one demo user (no slow password check)."""
    async with make_client() as client:
        await sign_in(client, owner, world.user_id(email))
        yield client


@asynccontextmanager
async def both_sides(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    *,
    northwind: str = "editor",
    contoso: str = "editor",
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """Clients of `<northwind>@northwind.example` and `<contoso>@contoso.example`, signed in at
    once: most two-sided tests start so."""
    async with (
        signed_in(make_client, owner, world, f"{northwind}@northwind.example") as northwind_client,
        signed_in(make_client, owner, world, f"{contoso}@contoso.example") as contoso_client,
    ):
        yield northwind_client, contoso_client


def only_record(payload: dict[str, Any], record: str) -> dict[str, Any]:
    """The record an accepted mutation answers with; any userError fails the test."""
    assert payload["userErrors"] == [], payload
    value: dict[str, Any] = payload[record]
    return value


def only_error(payload: dict[str, Any], record: str) -> dict[str, Any]:
    """The single userError of a refused mutation, whose `record` field must then be null."""
    assert payload[record] is None, payload
    assert len(payload["userErrors"]) == 1, payload
    error: dict[str, Any] = payload["userErrors"][0]
    return error


def only_payload(body: dict[str, Any]) -> dict[str, Any]:
    """The payload of a document with a single root field."""
    (value,) = body["data"].values()
    assert isinstance(value, dict)
    return value


async def mutate(client: httpx.AsyncClient, document: str, **fields: Any) -> dict[str, Any]:
    """Run a `verbNoun(input: ...)` mutation; top-level errors fail the test."""
    return only_payload(await gql(client, document, {"input": fields}))


def codes(payload: dict[str, Any]) -> list[str]:
    return [error["code"] for error in payload["userErrors"]]


async def propose(
    client: httpx.AsyncClient, world: World, title: str, due: str, **fields: Any
) -> dict[str, Any]:
    result = await mutate(
        client, PROPOSE, partnershipId=world.nc_id, title=title, dueDate=due, **fields
    )
    return only_record(result, "commitment")


async def step(
    client: httpx.AsyncClient, document: str, commitment: dict[str, Any], **fields: Any
) -> dict[str, Any]:
    """One successful lifecycle step at the commitment's current version."""
    result = await mutate(
        client,
        document,
        commitmentId=commitment["id"],
        expectedVersion=commitment["version"],
        **fields,
    )
    return only_record(result, "commitment")


async def agreed(
    proposer: httpx.AsyncClient, counterparty: httpx.AsyncClient, world: World, title: str, due: str
) -> dict[str, Any]:
    """A commitment proposed by one side (which owns it) and accepted by the other."""
    return await step(counterparty, ACCEPT, await propose(proposer, world, title, due))


async def delivered(
    owner_side: httpx.AsyncClient,
    counterparty: httpx.AsyncClient,
    world: World,
    title: str,
    due: str,
) -> dict[str, Any]:
    return await step(
        owner_side,
        DELIVER,
        await agreed(owner_side, counterparty, world, title, due),
        evidence=EVIDENCE,
    )


async def audit_count(owner: asyncpg.Connection, partnership_id: uuid.UUID) -> int:
    count: int = await owner.fetchval(
        "SELECT count(*) FROM audit_event WHERE partnership_id = $1", partnership_id
    )
    return count


async def row_counts(owner: asyncpg.Connection, *tables: str) -> dict[str, int]:
    """Rows per table, as the owner sees them (everything, RLS aside)."""
    return {table: await owner.fetchval(f"SELECT count(*) FROM {table}") for table in tables}


async def commitment_row(owner: asyncpg.Connection, global_id: str) -> dict[str, Any]:
    """The stored row behind a commitment's global id."""
    row = await owner.fetchrow(
        "SELECT status, version, due_date, delivered_at, dispute_reason, renegotiation_due_date "
        "FROM commitment WHERE id = $1",
        raw_id(global_id),
    )
    assert row is not None
    return dict(row)


def raw_id(global_id: str) -> uuid.UUID:
    parsed = parse_global_id(global_id)
    assert parsed is not None
    return parsed[1]


@asynccontextmanager
async def owner_session(owner_url: URL) -> AsyncIterator[AsyncSession]:
    """A session as the table owner with no identity: RLS is out of the picture, so only the
    services stand guard; whatever it writes is rolled back."""
    database = Database(owner_url, pool_size=1)
    try:
        async with database.session() as session:
            yield session
            await session.rollback()
    finally:
        await database.dispose()
