"""Values made once from long-lived objects: a schema's types, statements built once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

S = TypeVar("S")
V = TypeVar("V")


class PerObject(Generic[S, V]):
    """`make(subject)`, made once per subject and kept by the subject's identity (subjects need
    not be hashable). Each entry holds its subject, so an id is not reused while it is kept;
    past `limit` entries (subjects made again and again, as tests build schemas) it starts
    over."""

    def __init__(self, make: Callable[[S], V], *, limit: int) -> None:
        self._make = make
        self._limit = limit
        self._made: dict[int, tuple[S, V]] = {}

    def __call__(self, subject: S) -> V:
        known = self._made.get(id(subject))
        if known is None or known[0] is not subject:
            if len(self._made) >= self._limit:
                self._made.clear()
            known = self._made[id(subject)] = (subject, self._make(subject))
        return known[1]
