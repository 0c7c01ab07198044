"""Data loader toolkit: one statement per kind of object, however many are asked for. Each
domain keeps its loaders in its own `loaders.py` and reaches them with `context.loaders(...)`."""

from __future__ import annotations

import asyncio
import inspect
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar, cast

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader
from strawberry.types import Info

T = TypeVar("T")
R = TypeVar("R")
K = TypeVar("K", bound=Hashable)

Fetch = Callable[[AsyncSession, Sequence[uuid.UUID]], Awaitable[Sequence[T]]]


def by_id(session: AsyncSession, fetch: Fetch[T]) -> DataLoader[uuid.UUID, T | None]:
    """Objects by their `id`; None for what does not exist or is not visible."""

    async def load(ids: Sequence[uuid.UUID]) -> list[T | None]:
        found = {getattr(o, "id"): o for o in await fetch(session, ids)}  # noqa: B009
        return [found.get(i) for i in ids]

    return DataLoader(load_fn=load)


def grouped(session: AsyncSession, fetch: Fetch[T], key: str) -> DataLoader[uuid.UUID, list[T]]:
    """Lists of objects by the value of their `key` attribute (in the order fetched)."""

    async def load(ids: Sequence[uuid.UUID]) -> list[list[T]]:
        groups: defaultdict[Any, list[T]] = defaultdict(list)
        for item in await fetch(session, ids):
            groups[getattr(item, key)].append(item)
        return [groups[i] for i in ids]

    return DataLoader(load_fn=load)


def now_or_later(loader: DataLoader[K, T], key: K) -> T | Awaitable[T]:
    """The loaded value when a list resolver already loaded it (no task, no await), else the
    loader's awaitable."""
    future = loader.cache_map.get(key) if loader.cache else None
    if future is not None and future.done() and future.exception() is None:
        return future.result()
    return loader.load(key)


def shaped(value: T | Awaitable[T], shape: Callable[[T], R]) -> R:
    """`shape(value)` now when the value is at hand, else once it arrives.

    graphql-core awaits whatever awaitable a resolver returns, so a field declared synchronous
    may still load: on a list of a hundred objects whose data the list resolver prefetched,
    each field answers at once instead of costing an asyncio task per object. The return is
    typed as the shaped value, which is what the field's schema type says."""
    if inspect.isawaitable(value):
        pending = value

        async def later() -> R:
            return shape(await pending)

        return cast(R, later())
    return shape(value)


def selects_any(info: Info[Any, Any], names: Iterable[str]) -> bool:
    """Whether the current field's selection asks, at any depth, for one of `names`. Read off
    graphql-core's field nodes: strawberry's `selected_fields` converts the whole selection,
    arguments and directives included, which cost more than the answer on a dashboard."""
    wanted = set(names)
    raw = info._raw_info
    fragments = raw.fragments

    def walk(selection_set: SelectionSetNode | None) -> bool:
        if selection_set is None:
            return False
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value in wanted or walk(selection.selection_set):
                    return True
            elif isinstance(selection, InlineFragmentNode):
                if walk(selection.selection_set):
                    return True
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is not None and walk(fragment.selection_set):
                    return True
        return False

    return any(walk(node.selection_set) for node in raw.field_nodes)


def once(
    started: dict[K, asyncio.Future[T]], key: K, start: Callable[[], Awaitable[T]]
) -> Awaitable[T]:
    """One load per key per operation, shared by everyone who asks while it runs or after."""
    pending = started.get(key)
    if pending is None:
        pending = started[key] = asyncio.ensure_future(start())
    return pending
