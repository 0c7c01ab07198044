"""kit.repository.read_only: list reads build plain instances of the model, not ORM objects."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import inspect, select
from sqlalchemy.engine import URL
from sqlalchemy.orm.exc import UnmappedInstanceError

from bench.generate import Shape
from mutual.commitments.models import Commitment
from mutual.db import Database
from mutual.kit.repository import columns_of, read_only
from mutual.kpis.models import Kpi
from mutual.roadmap.models import Milestone
from tests.helpers import World, fill_shape


@pytest.mark.parametrize("model", [Commitment, Milestone, Kpi])
async def test_read_only_records_hold_what_the_orm_loads(
    owner_url: URL,
    owner: asyncpg.Connection,
    world: World,
    model: type[Commitment | Milestone | Kpi],
) -> None:
    await fill_shape(
        owner, world.fabrikam_contoso, Shape(milestones=5, commitments=5, kpis=5, measurements=1)
    )
    keys = [column.key for column in inspect(model).columns]
    database = Database(owner_url, pool_size=1)
    try:
        async with database.session() as session:
            loaded = {r.id: r for r in (await session.execute(select(model))).scalars()}
            records = read_only(model, await session.execute(select(*columns_of(model))))

            assert len(records) == len(loaded) >= 5
            for record in records:
                assert type(record) is model
                orm = loaded[record.id]
                assert [getattr(record, k) for k in keys] == [getattr(orm, k) for k in keys]
            # Nothing tracks them: a change or an add fails instead of being lost.
            with pytest.raises(AttributeError):
                record.version = 99
            with pytest.raises(UnmappedInstanceError):
                session.add(record)
    finally:
        await database.dispose()
