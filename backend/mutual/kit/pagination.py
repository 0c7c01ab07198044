"""Offset pagination behind opaque cursors: first/after/last/before, at most max_page_size."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Generic, TypeVar

from mutual.kit.errors import LimitExceeded

T = TypeVar("T")

DEFAULT_PAGE = 20
_PREFIX = "offset:"
# No list here comes near it; a larger offset was never issued (and past 2**63 PostgreSQL could
# not even take it as an OFFSET).
MAX_OFFSET = 2**31 - 1


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not raw.startswith(_PREFIX):
            raise ValueError(cursor)
        offset = int(raw[len(_PREFIX) :])
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise LimitExceeded("INVALID_CURSOR", "The cursor is not one this API issued.") from exc
    if not 0 <= offset <= MAX_OFFSET:
        raise LimitExceeded("INVALID_CURSOR", "The cursor is not one this API issued.")
    return offset


@dataclass(frozen=True)
class PageRequest:
    """A window over an ordered list; `total` is known only after the query, so `last`
    is resolved by the repository with `window(total)`."""

    first: int | None
    after: int | None
    last: int | None
    before: int | None

    @classmethod
    def parse(
        cls,
        *,
        first: int | None,
        after: str | None,
        last: int | None,
        before: str | None,
        max_size: int,
    ) -> PageRequest:
        for name, value in (("first", first), ("last", last)):
            if value is not None and value < 0:
                raise LimitExceeded("INVALID_PAGE", f"`{name}` must not be negative.")
            if value is not None and value > max_size:
                raise LimitExceeded(
                    "PAGE_TOO_LARGE", f"`{name}` is {value}; at most {max_size} per page."
                )
        if first is None and last is None:
            first = min(DEFAULT_PAGE, max_size)
        return cls(
            first=first,
            after=decode_cursor(after) if after else None,
            last=last,
            before=decode_cursor(before) if before else None,
        )

    def window(self, total: int) -> tuple[int, int]:
        """(offset, limit) of the page inside a list of `total` items."""
        start = self.after + 1 if self.after is not None else 0
        end = min(self.before, total) if self.before is not None else total
        if self.first is not None:
            end = min(end, start + self.first)
        if self.last is not None:
            start = max(start, end - self.last)
        return start, max(0, end - start)

    @property
    def simple_window(self) -> tuple[int, int] | None:
        """(offset, limit) when the page is known without the total (forward paging)."""
        if self.last is not None or self.before is not None or self.first is None:
            return None
        start = self.after + 1 if self.after is not None else 0
        return start, self.first


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    offset: int
    total: int
