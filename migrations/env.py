"""Alembic environment: migrations run as the owner (DATABASE_URL user), never as the app role.

`target_metadata` is the models' (every `mutual.<domain>.models` module), for `alembic check`
and autogenerate only; the revisions themselves import nothing from `mutual`.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import os
import pkgutil

from alembic import context
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

import mutual
from mutual.config import get_settings
from mutual.kit.sealing import data_key


def _url() -> str:
    url = context.config.attributes.get("owner_url")
    if url is None:  # the alembic command line: `alembic -c migrations/alembic.ini check`
        url = make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql+asyncpg")
        return url.render_as_string(hide_password=False)
    return str(url)


def target_metadata() -> MetaData:
    """SQLModel's metadata with the models of every domain imported."""
    for module in pkgutil.iter_modules(mutual.__path__):
        name = f"mutual.{module.name}.models"
        if module.ispkg and importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
    return SQLModel.metadata


# The job queue's tables are pgqueuer's: revision 0011 freezes the library's own DDL and
# tests/jobs/test_schema.py checks it against the library, so no model describes them and the
# comparison of models and database leaves them out.
LIBRARY_TABLES = frozenset(
    {"pgqueuer", "pgqueuer_log", "pgqueuer_schedules", "pgqueuer_statistics"}
)


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    return not (type_ == "table" and name in LIBRARY_TABLES)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata(),
        include_object=include_object,
        transaction_per_migration=True,
        compare_type=True,
        compare_server_default=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_async_engine(_url(), poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


# Revision 0005 seals the stored OIDC client secrets with the application's data key: the
# caller's (db.run_migrations), or the environment's settings' (the alembic command line).
context.config.attributes.setdefault("data_key", data_key(get_settings()))

# A caller may lend its own connection (tests compare inside a transaction they roll back).
_lent: Connection | None = context.config.attributes.get("connection")
if _lent is None:
    asyncio.run(_run_async())
else:
    _run(_lent)
