"""Every SQL statement of the KPI domain."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any, cast

from sqlalchemy import bindparam, insert, select, text, tuple_
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from mutual.kit.labels import Label
from mutual.kit.repository import columns_of, read_only, read_rows
from mutual.kit.visibility import readable
from mutual.kpis.models import (
    ComputedMeasurement,
    Kpi,
    KpiMeasurement,
    KpiMeasurementRevision,
    LatestMeasurement,
)

# Built once: read on every KPI list.
_KPIS = (
    select(*columns_of(Kpi))
    .where(col(Kpi.partnership_id) == bindparam("partnership_id", type_=UUID(as_uuid=True)))
    .order_by(col(Kpi.name), col(Kpi.id))
)


async def kpis_of(session: AsyncSession, partnership_id: uuid.UUID) -> list[Kpi]:
    params = {"partnership_id": partnership_id}
    return read_only(Kpi, await read_rows(session, _KPIS, params))


async def kpi(session: AsyncSession, kpi_id: uuid.UUID) -> Kpi | None:
    stmt = select(Kpi).where(col(Kpi.id) == kpi_id)
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return result.scalar_one_or_none()


async def kpis_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Kpi]:
    stmt = select(Kpi).where(col(Kpi.id).in_(ids))
    return list((await session.execute(stmt)).scalars().all())


async def kpis_named(session: AsyncSession, partnership_id: uuid.UUID, name: str) -> list[Kpi]:
    stmt = select(Kpi).where(col(Kpi.partnership_id) == partnership_id, col(Kpi.name) == name)
    return list((await session.execute(stmt)).scalars().all())


async def insert_kpi(session: AsyncSession, **values: Any) -> Kpi:
    return (await session.execute(insert(Kpi).values(**values).returning(Kpi))).scalar_one()


# The last :per_kpi measurements of each KPI `k`, newest first: a LATERAL subquery per KPI reads
# just those rows backwards from the unique index (partnership_id, kpi_id, period_start), and
# each KPI's come back as one row of arrays (NULL arrays for none). Decoding arrays costs a
# fraction of decoding as many rows, and a dashboard reads hundreds of measurements for two
# fields each.
_LAST_MEASUREMENTS = """
    LATERAL (
        SELECT array_agg(s.id ORDER BY s.period_start DESC) AS ids,
               array_agg(s.period_start ORDER BY s.period_start DESC) AS periods,
               array_agg(s.value ORDER BY s.period_start DESC) AS vals
        FROM (
            SELECT m.id, m.period_start, m.value FROM kpi_measurement m
            WHERE m.partnership_id = k.partnership_id AND m.kpi_id = k.id
            ORDER BY m.period_start DESC
            LIMIT :per_kpi
        ) s
    ) m
"""
_LATEST = text(
    f"""
    SELECT k.id AS kpi_id, m.ids, m.periods, m.vals
    FROM kpi k CROSS JOIN {_LAST_MEASUREMENTS}
    WHERE k.id = ANY (:kpi_ids)
    """
).bindparams(bindparam("kpi_ids", type_=ARRAY(UUID(as_uuid=True))))

# A partnership's KPIs (as _KPIS reads them) with their last measurements: one statement, one
# round trip, for a list that shows them.
_KPI_WIDTH = len(columns_of(Kpi))
_KPIS_WITH_LATEST = text(
    f"""
    SELECT {", ".join(f"k.{column.name}" for column in columns_of(Kpi))},
           m.ids, m.periods, m.vals
    FROM kpi k LEFT JOIN {_LAST_MEASUREMENTS} ON true
    WHERE k.partnership_id = :partnership_id
    ORDER BY k.name, k.id
    """
).bindparams(bindparam("partnership_id", type_=UUID(as_uuid=True)))


# LatestMeasurement._make without its Python frame per measurement: C calls all the way.
_latest = cast(
    Callable[[tuple[uuid.UUID, date, Decimal]], LatestMeasurement],
    partial(tuple.__new__, LatestMeasurement),
)


def _trend(
    ids: Sequence[uuid.UUID], periods: Sequence[date], values: Sequence[Decimal]
) -> list[LatestMeasurement]:
    """One KPI's arrays (see _LAST_MEASUREMENTS) as its measurements, newest first."""
    return list(map(_latest, zip(ids, periods, values, strict=True)))


async def latest_measurements(
    session: AsyncSession, kpi_ids: Sequence[uuid.UUID], *, per_kpi: int
) -> dict[uuid.UUID, list[LatestMeasurement]]:
    """The last `per_kpi` measurements of each KPI (by KPI id), newest first, in one statement.
    A KPI without any is missing from the answer."""
    params = {"kpi_ids": list(kpi_ids), "per_kpi": per_kpi}
    result = await read_rows(session, _LATEST, params)
    return {kpi_id: _trend(*arrays) for kpi_id, *arrays in result if arrays[0] is not None}


async def kpis_with_latest(
    session: AsyncSession, partnership_id: uuid.UUID, *, per_kpi: int
) -> tuple[list[Kpi], dict[uuid.UUID, list[LatestMeasurement]]]:
    """kpis_of, and latest_measurements of those KPIs, in one statement."""
    rows = await read_rows(
        session, _KPIS_WITH_LATEST, {"partnership_id": partnership_id, "per_kpi": per_kpi}
    )
    kpis = read_only(Kpi, (row[:_KPI_WIDTH] for row in rows))
    latest = {
        kpi.id: _trend(*row[_KPI_WIDTH:])
        for kpi, row in zip(kpis, rows, strict=True)
        if row[_KPI_WIDTH] is not None
    }
    return kpis, latest


async def measurements_by_id(
    session: AsyncSession, ids: Sequence[uuid.UUID]
) -> list[KpiMeasurement]:
    stmt = select(KpiMeasurement).where(col(KpiMeasurement.id).in_(ids))
    return list((await session.execute(stmt)).scalars().all())


async def measurements_at(
    session: AsyncSession, keys: Sequence[tuple[uuid.UUID, Any]]
) -> list[KpiMeasurement]:
    """Existing measurements for (kpi_id, period_start) pairs."""
    if not keys:
        return []
    stmt = select(KpiMeasurement).where(
        tuple_(col(KpiMeasurement.kpi_id), col(KpiMeasurement.period_start)).in_(keys)
    )
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return list(result.scalars().all())


async def insert_measurements(
    session: AsyncSession, rows: list[dict[str, Any]]
) -> list[KpiMeasurement]:
    if not rows:
        return []
    stmt = insert(KpiMeasurement).values(rows).returning(KpiMeasurement)
    return list((await session.execute(stmt)).scalars().all())


async def insert_revisions(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(KpiMeasurementRevision), rows)


async def revisions_of(
    session: AsyncSession, measurement_ids: Sequence[uuid.UUID]
) -> list[KpiMeasurementRevision]:
    stmt = (
        select(KpiMeasurementRevision)
        .where(col(KpiMeasurementRevision.measurement_id).in_(measurement_ids))
        .order_by(col(KpiMeasurementRevision.replaced_at))
    )
    return list((await session.execute(stmt)).scalars().all())


async def kpi_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    """The names of the KPIs the viewer's side may read, for the audit trail."""
    stmt = select(col(Kpi.id), col(Kpi.name)).where(
        readable(Kpi, partnership_id=partnership_id, viewer_party_id=viewer_party_id),
        col(Kpi.id).in_(ids),
    )
    return {r[0]: Label(r[1], "Kpi", r[0]) for r in await read_rows(session, stmt)}


async def measurement_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    """A measurement the viewer's side may read, named by its KPI (which opens for it)."""
    stmt = (
        select(col(KpiMeasurement.id), col(Kpi.id), col(Kpi.name))
        .join(
            Kpi,
            (col(Kpi.partnership_id) == col(KpiMeasurement.partnership_id))
            & (col(Kpi.id) == col(KpiMeasurement.kpi_id)),
        )
        .where(
            readable(
                KpiMeasurement, partnership_id=partnership_id, viewer_party_id=viewer_party_id
            ),
            readable(Kpi, partnership_id=partnership_id, viewer_party_id=viewer_party_id),
            col(KpiMeasurement.id).in_(ids),
        )
    )
    return {r[0]: Label(r[2], "Kpi", r[1]) for r in await read_rows(session, stmt)}


# A partnership's SHARED KPIs with their latest measurement on or before :as_of (NULLs for
# none), by name: the KPI evidence of a risk and compliance report, in one statement.
_EVIDENCE_AS_OF = text(
    f"""
    SELECT {", ".join(f"k.{column.name}" for column in columns_of(Kpi))},
           m.period_start, m.value
    FROM kpi k LEFT JOIN LATERAL (
        SELECT s.period_start, s.value FROM kpi_measurement s
        WHERE s.partnership_id = k.partnership_id AND s.kpi_id = k.id
          AND s.period_start <= :as_of
        ORDER BY s.period_start DESC
        LIMIT 1
    ) m ON true
    WHERE k.partnership_id = :partnership_id AND k.visibility = 'SHARED'
      AND k.created_at < :until
    ORDER BY k.name, k.id
    """
).bindparams(bindparam("partnership_id", type_=UUID(as_uuid=True)))


async def shared_kpis_as_of(
    session: AsyncSession, partnership_id: uuid.UUID, *, as_of: date, until: Any
) -> list[tuple[Kpi, ComputedMeasurement | None]]:
    """SHARED KPIs defined before `until`, each with its latest measurement up to `as_of`."""
    rows = await read_rows(
        session, _EVIDENCE_AS_OF, {"partnership_id": partnership_id, "as_of": as_of, "until": until}
    )
    kpis = read_only(Kpi, (row[:_KPI_WIDTH] for row in rows))
    return [
        (kpi, None if row[_KPI_WIDTH] is None else ComputedMeasurement(*row[_KPI_WIDTH:]))
        for kpi, row in zip(kpis, rows, strict=True)
    ]
