"""Domain errors: services raise them, one helper turns them into userErrors."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """An expected failure of a rule; `code` is a member of the domain's code enum."""

    def __init__(
        self, code: str, message: str, *, field: str | None = None, current: Any = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        # For CONFLICT: the record as it is now, so the caller can merge.
        self.current = current


class NotFound(DomainError):
    def __init__(self, what: str = "object", *, field: str | None = "id") -> None:
        super().__init__("NOT_FOUND", f"No {what} with this id is visible to you.", field=field)


class Forbidden(DomainError):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__("FORBIDDEN", message, field=field)


class Invalid(DomainError):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__("INVALID", message, field=field)


class Unauthenticated(Exception):
    """No valid session or token: a top-level GraphQL error, not a userError."""


class LimitExceeded(Exception):
    """A request limit (page size, cost budget): a top-level GraphQL error with a code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def conflict(workspace: Any, current: Any, what: str) -> DomainError:
    """A stale `expectedVersion`: nothing changed; the error carries the record as it is now."""
    return DomainError(
        "CONFLICT",
        f"Someone changed this {what} since you loaded it (now version {current.version}). "
        "Review the current values and apply your change again.",
        field="expectedVersion",
        current=(workspace, current),
    )
