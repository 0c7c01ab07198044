from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import URL

from mutual.db import Database


@pytest.fixture
async def app_database(app_database_url: URL) -> AsyncIterator[Database]:
    database = Database(app_database_url, pool_size=2)
    yield database
    await database.dispose()
