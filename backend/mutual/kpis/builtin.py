"""Built-in KPIs: computed from other domains' records, not typed in. A domain adds some by
naming a source in its `Domain.builtin_kpis`; the schema hands the sources to `use`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from graphql.pyutils import gather_with_cancel
from sqlalchemy.ext.asyncio import AsyncSession

from mutual.kpis.models import BuiltinKpi
from mutual.tenancy.workspace import Workspace

BuiltinSource = Callable[[AsyncSession, Workspace], Awaitable[Sequence[BuiltinKpi]]]

_sources: list[BuiltinSource] = []


def use(sources: Sequence[BuiltinSource]) -> None:
    """The sources every KPI list reads (mutual.schema sets them from the domains)."""
    _sources[:] = sources


async def builtin_kpis(session: AsyncSession, workspace: Workspace) -> list[BuiltinKpi]:
    """Every source's KPIs for the workspace, in the sources' order."""
    if len(_sources) == 1:  # the usual case: no task of its own
        return list(await _sources[0](session, workspace))
    found = await gather_with_cancel(*(source(session, workspace) for source in _sources))
    return [kpi for kpis in found for kpi in kpis]
