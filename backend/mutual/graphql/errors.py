"""userErrors: each domain's code enum, and the one helper that turns DomainErrors into them."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
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
E = TypeVar("E", bound="UserError")


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
        shaped.append(
            error_type(  # type: ignore[call-arg]
                field=error.field,
                message=error.message,
                code=members.get(error.code, members["INVALID"]),
                **extra,
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
