"""The kinds of object audit events name, and the domains' sources of their titles
(`Domain.labels`, kit/labels.py); mutual.schema sets them from the domains."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from mutual.kit.labels import LabelSource

# Every object type an event may name (the domains' event kinds), for the trail's filter.
KINDS: set[str] = set()
SOURCES: dict[str, LabelSource] = {}


def use(*, kinds: Iterable[str], sources: Mapping[str, LabelSource]) -> None:
    KINDS.clear()
    KINDS.update(kinds)
    SOURCES.clear()
    SOURCES.update(sources)
