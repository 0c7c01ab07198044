"""Notification tests: the app role's database, a clean queue, a real SMTP server (aiosmtpd)
that keeps what it receives, a real local HTTP receiver for webhooks, and a job worker of the
notify tasks in the test's event loop."""

from __future__ import annotations

import asyncio
import email
import json
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession

from mutual.config import Settings
from mutual.db import Database, connect_owner
from mutual.devserver import free_port
from mutual.kit.demo import acting
from mutual.kit.principal import Principal, user_principal
from mutual.kit.worker import Worker
from mutual.notify.tasks import TASKS
from tests.helpers import World

JOB_TABLES = ("pgqueuer", "pgqueuer_log", "pgqueuer_schedules", "pgqueuer_statistics")


@pytest.fixture(autouse=True)
async def empty_queue(owner_url: URL) -> None:
    conn = await connect_owner(owner_url)
    try:
        for table in JOB_TABLES:
            await conn.execute(f"DELETE FROM {table}")
    finally:
        await conn.close()


@pytest.fixture
async def app_database(app_database_url: URL) -> AsyncIterator[Database]:
    database = Database(app_database_url, pool_size=3)
    yield database
    await database.dispose()


def principal(world: World, email_address: str) -> Principal:
    return user_principal(world.users[email_address])


@pytest.fixture
def as_user(app_database: Database, world: World) -> Callable[[str], Any]:
    """`async with as_user("lead@contoso.example") as session:` one transaction as that user."""

    def open_as(email_address: str) -> Any:
        return acting(app_database, principal(world, email_address))

    return open_as


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server on a free local port, keeping every message it receives."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: str

    @property
    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


@dataclass
class Receiver:
    """A local HTTP server answering each POST with the next status of `statuses` (then 200)."""

    port: int
    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            self.received.append(Received(path, headers, body.decode()))
            status = self.statuses.pop(0) if self.statuses else 200
            writer.write(
                f"HTTP/1.1 {status} X\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok".encode()
            )
            await writer.drain()
        finally:
            writer.close()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    port = free_port()
    made = Receiver(port=port)
    server = await asyncio.start_server(made.handle, "127.0.0.1", port)
    try:
        yield made
    finally:
        server.close()
        await server.wait_closed()


def notify_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "env": "test",
        "job_poll_seconds": 1.0,
        "job_heartbeat_seconds": 5.0,
        "webhook_allow_private_addresses": True,
        "webhook_timeout_seconds": 5.0,
        **overrides,
    }
    return Settings(**values)


@pytest.fixture
def run_worker(app_database: Database, app_database_url: URL) -> Callable[..., Any]:
    """`async with run_worker(settings): ...` runs a worker of the notify tasks here."""

    @asynccontextmanager
    async def running(settings: Settings, tasks: tuple[Any, ...] = TASKS) -> AsyncIterator[Worker]:
        worker = Worker(tasks, database=app_database, url=app_database_url, settings=settings)
        task = asyncio.create_task(worker.run())
        try:
            yield worker
        finally:
            worker.stop()
            await asyncio.wait_for(task, 30)

    return running


async def in_session(database: Database, action: Callable[[AsyncSession], Any]) -> Any:
    async with database.session() as session, session.begin():
        return await action(session)
