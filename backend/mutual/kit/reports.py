"""Report sections: what each domain puts in a risk and compliance report (its register, its
evidence), declared in `Domain(report_sections=...)` and gathered by the reports domain in the
order of the domains. A section is frozen into the report's canonical JSON, so it holds plain
JSON values only (str, int, float, bool, None, lists and objects; dates as ISO strings), in a
stable order, and only what every member of the partnership may read (SHARED records)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

# (session, workspace, as_of) -> {"title": "...", "rows": [...], ...}: the section as of that
# moment, read with the reader's workspace (RLS and the service checks apply).
ReportSection = Callable[[Any, Any, datetime], Awaitable[Mapping[str, Any]]]


# Every domain's sections in the domains' order, as (key, section): mutual.schema sets them
# from `Domain.report_sections`, so the reports domain gathers them without importing any domain.
SECTIONS: list[tuple[str, ReportSection]] = []


def use(sections: Sequence[tuple[str, ReportSection]]) -> None:
    SECTIONS[:] = sections
