"""The domains' search sources and waiting lists (mutual.schema sets them from the domains)."""

from __future__ import annotations

from collections.abc import Sequence

from mutual.kit.search import SearchSource, WaitingSource

SEARCHED: list[SearchSource] = []
WAITING: list[WaitingSource] = []


def use(searched: Sequence[SearchSource], waiting: Sequence[WaitingSource]) -> None:
    SEARCHED[:] = searched
    WAITING[:] = waiting
