"""Signed-in clients of both sides' governance members and leads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass

import asyncpg
import httpx
import pytest

from tests.commitments.factories import ClientFactory, signed_in
from tests.helpers import World


@dataclass(frozen=True)
class People:
    nw_gov: httpx.AsyncClient
    nw_lead: httpx.AsyncClient
    nw_editor: httpx.AsyncClient
    co_gov: httpx.AsyncClient
    co_lead: httpx.AsyncClient
    co_viewer: httpx.AsyncClient


@pytest.fixture
async def people(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> AsyncIterator[People]:
    async with AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(signed_in(make_client, owner, world, email))
            for email in (
                "governance@northwind.example",
                "lead@northwind.example",
                "editor@northwind.example",
                "governance@contoso.example",
                "lead@contoso.example",
                "viewer@contoso.example",
            )
        ]
        yield People(*clients)
