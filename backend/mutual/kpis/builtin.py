"""Built-in KPIs: computed from other domains' records, not typed in. A domain adds some by
naming a `BuiltinSource` in its `Domain.builtin_kpis`; the schema hands the sources to `use`.

Every source's rows come in one statement: each source gives a SELECT with its values bound
(`bindparam(..., unique=True)`, so two sources may both name `:since`), each row is read as a
JSON object (`to_json`), tagged with its source, and the sources' SELECTs are joined with
UNION ALL. A KPI list costs one statement for its built-in KPIs however many domains add some.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import TextClause, func, literal_column, select, union_all
from sqlalchemy.dialects.postgresql import JSON
from sqlalchemy.ext.asyncio import AsyncSession

from mutual.kit.repository import read_rows
from mutual.kpis.models import BuiltinKpi
from mutual.tenancy.workspace import Workspace

Row = dict[str, Any]  # one row of a source, as PostgreSQL's to_json gives it


@dataclass(frozen=True)
class BuiltinSource:
    """Where a domain's built-in KPIs come from: `rows(workspace)` is the SELECT (its values
    bound, unique names) and `kpis(workspace, rows)` makes the KPIs of its rows. Rows arrive as
    JSON objects in no promised order: dates and UUIDs as strings, numbers as numbers."""

    rows: Callable[[Workspace], TextClause]
    kpis: Callable[[Workspace, list[Row]], list[BuiltinKpi]]


_sources: list[BuiltinSource] = []


def use(sources: Sequence[BuiltinSource]) -> None:
    """The sources every KPI list reads (mutual.schema sets them from the domains)."""
    _sources[:] = sources


async def builtin_kpis(session: AsyncSession, workspace: Workspace) -> list[BuiltinKpi]:
    """Every source's KPIs for the workspace, in the sources' order (one statement)."""
    if not _sources:
        return []
    parts = [
        select(
            literal_column(str(n)).label("source"),
            func.to_json(literal_column(f"s{n}"), type_=JSON).label("row"),
        ).select_from(source.rows(workspace).columns().subquery(f"s{n}"))
        for n, source in enumerate(_sources)
    ]
    found: list[list[Row]] = [[] for _ in _sources]
    for n, row in await read_rows(session, parts[0] if len(parts) == 1 else union_all(*parts)):
        found[n].append(row)
    return [
        kpi
        for source, rows in zip(_sources, found, strict=True)
        for kpi in source.kpis(workspace, rows)
    ]
