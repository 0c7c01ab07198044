"""userErrors: each domain's code enum, and the one helper that turns DomainErrors into them."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import strawberry
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.kit.errors import DomainError
from mutual.kit.principal import Principal

T = TypeVar("T")
P = TypeVar("P")
E = TypeVar("E", bound="UserError")

# Every domain's code enum has these (kit/errors.py raises them for any domain).
SHARED_CODES = frozenset({"NOT_FOUND", "CONFLICT", "INVALID", "FORBIDDEN"})


class UnknownErrorCode(Exception):
    """A DomainError whose code its domain's enum lacks: a bug, never a silent INVALID."""


def check_codes(code_enum: type[enum.Enum]) -> None:
    """A domain's code enum names the shared codes (checked when its mutations are defined)."""
    missing = SHARED_CODES - set(code_enum.__members__)
    if missing:
        raise TypeError(f"{code_enum.__name__} lacks {sorted(missing)}")


@strawberry.interface(description="An expected failure of a mutation; nothing was changed.")
class UserError:
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str


def to_user_errors(
    error_type: type[E],
    code_enum: type[enum.Enum],
    errors: list[DomainError],
    *,
    with_current: bool = False,
) -> list[E]:
    """One userError per DomainError; `with_current` for types carrying a CONFLICT's record."""
    members = code_enum.__members__
    shaped = []
    for error in errors:
        extra = {"current": error.current} if with_current else {}
        code = members.get(str(error.code))
        if code is None:
            raise UnknownErrorCode(f"{code_enum.__name__} has no code {error.code!r}")
        shaped.append(
            error_type(  # type: ignore[call-arg]
                field=error.field, message=error.message, code=code, **extra
            )
        )
    return shaped


@dataclass
class Outcome(Generic[T]):
    value: T | None = None
    errors: list[DomainError] = field(default_factory=list)


async def attempt(
    info: Info[Context, None],
    call: Callable[[AsyncSession, Principal], Awaitable[T]],
    *,
    shape_current: Callable[[Any], Any] | None = None,
) -> Outcome[T]:
    """Run one service call in a savepoint: a DomainError undoes every write it made.

    The record a CONFLICT carries is shaped by `shape_current` before the rollback, while
    its attributes are still loaded (a rolled-back savepoint expires what it touched).
    """
    context = info.context
    actor = context.actor
    try:
        async with context.savepoint():
            try:
                value = await call(context.db, actor)
            except DomainError as error:
                if error.current is not None and shape_current is not None:
                    error.current = shape_current(error.current)
                raise
    except DomainError as error:
        return Outcome(errors=[error])
    except IntegrityError:
        # A concurrent writer won a uniqueness race; the caller may retry.
        return Outcome(
            errors=[DomainError("CONFLICT", "This changed at the same time; try again.")]
        )
    return Outcome(value=value)


class MutationAnswer(Generic[T, P]):
    """The plumbing of one kind of mutation payload, written once per domain: run the service
    call in a savepoint (`attempt`), shape its result into the payload's object field, and its
    DomainErrors into the domain's userErrors (a CONFLICT's record shaped the same way).

        MILESTONE = MutationAnswer(MilestonePayload, field="milestone", shape=..., ...)
        return await MILESTONE.run(info, call)

    A payload of several fields names none: `shape` gives all of them from the result, and
    `empty` what they are when the call failed; a CONFLICT's record then reaches its userError
    as the service shaped it.
    """

    def __init__(
        self,
        payload: Callable[..., P],
        *,
        field: str | None = None,
        shape: Callable[[T], Any],
        error: type[UserError],
        codes: type[enum.Enum],
        with_current: bool = False,
        empty: Callable[[], Mapping[str, Any]] | None = None,
    ) -> None:
        check_codes(codes)
        if (field is None) == (empty is None):
            raise TypeError("name the payload's one field, or give `empty` for several")
        self.payload = payload
        self.field = field
        self.shape = shape
        self.error = error
        self.codes = codes
        self.with_current = with_current
        self.empty = empty

    def _fields(self, value: T | None) -> Mapping[str, Any]:
        if self.field is not None:
            return {self.field: self.shape(value) if value is not None else None}
        assert self.empty is not None
        return self.shape(value) if value is not None else self.empty()

    async def run(
        self,
        info: Info[Context, None],
        call: Callable[[AsyncSession, Principal], Awaitable[T]],
    ) -> P:
        shape_current = self.shape if self.with_current and self.field is not None else None
        outcome = await attempt(info, call, shape_current=shape_current)
        errors = to_user_errors(
            self.error, self.codes, outcome.errors, with_current=self.with_current
        )
        return self.payload(**self._fields(outcome.value), user_errors=errors)
