"""Every SQL statement of the feedback domain."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    Select,
    TextClause,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from mutual.feedback.models import (
    Feedback,
    FeedbackComment,
    FeedbackPolicy,
    FeedbackStatus,
    FeedbackTransition,
    PolicyStatus,
    Severity,
)
from mutual.kit.labels import Label
from mutual.kit.pagination import Page, PageRequest
from mutual.kit.records import Visibility
from mutual.kit.repository import columns_of, paginate, read_only, read_rows
from mutual.kit.visibility import PARTNERSHIP, VIEWER_PARTY, readable, readable_bound


class FeedbackSide(enum.StrEnum):
    SUBMITTED_BY_US = "SUBMITTED_BY_US"
    RECEIVED_BY_US = "RECEIVED_BY_US"


class ClockFlag(enum.StrEnum):
    BREACHED = "BREACHED"
    AT_RISK = "AT_RISK"


@dataclass(frozen=True)
class FeedbackFilter:
    statuses: Sequence[FeedbackStatus] = ()
    severities: Sequence[Severity] = ()
    side: FeedbackSide | None = None
    flags: Sequence[ClockFlag] = ()


def _breached(now: datetime) -> ColumnElement[bool]:
    f = Feedback
    return or_(
        col(f.fr_breach_fired_at).is_not(None),
        col(f.res_breach_fired_at).is_not(None),
        col(f.fr_due_at) <= now,
        col(f.res_due_at) <= now,
        col(f.fr_used_s) > col(f.fr_target_s),
        col(f.res_used_s) > col(f.res_target_s),
    )


def _at_risk(now: datetime) -> ColumnElement[bool]:
    f = Feedback
    clocks = [
        and_(
            col(stopped).is_(None),
            or_(col(risk_at) <= now, col(used) * 5 >= col(target) * 4),
        )
        for stopped, risk_at, used, target in (
            (f.fr_stopped_at, f.fr_risk_at, f.fr_used_s, f.fr_target_s),
            (f.res_stopped_at, f.res_risk_at, f.res_used_s, f.res_target_s),
        )
    ]
    return and_(~_breached(now), or_(*clocks))


# SHARED items and the viewer side's own INTERNAL ones (every item is SHARED today; RLS is the
# backstop), by due time: the earliest running clock's due moment, then those with none.
_PAGE = select(*columns_of(Feedback)).where(readable_bound(Feedback))
_ORDER = (
    col(Feedback.due_at).asc().nulls_last(),
    col(Feedback.updated_at).desc(),
    col(Feedback.id).asc(),
)
_ORDERED = _PAGE.order_by(*_ORDER)


async def feedback_page(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    page: PageRequest,
    *,
    where: FeedbackFilter,
    viewer_party_id: uuid.UUID,
    now: datetime,
) -> Page[Feedback]:
    params = {PARTNERSHIP: partnership_id, VIEWER_PARTY: viewer_party_id}
    if where == FeedbackFilter():
        return await paginate(session, _ORDERED, page, model=Feedback, params=params)
    stmt: Select[Any] = _PAGE
    if where.statuses:
        stmt = stmt.where(col(Feedback.status).in_([s.value for s in where.statuses]))
    if where.severities:
        stmt = stmt.where(col(Feedback.severity).in_([s.value for s in where.severities]))
    if where.side == FeedbackSide.SUBMITTED_BY_US:
        stmt = stmt.where(col(Feedback.owner_party_id) == viewer_party_id)
    elif where.side == FeedbackSide.RECEIVED_BY_US:
        stmt = stmt.where(col(Feedback.receiving_party_id) == viewer_party_id)
    flags = []
    if ClockFlag.BREACHED in where.flags:
        flags.append(_breached(now))
    if ClockFlag.AT_RISK in where.flags:
        flags.append(_at_risk(now))
    if flags:
        stmt = stmt.where(or_(*flags))
    return await paginate(session, stmt.order_by(*_ORDER), page, model=Feedback, params=params)


async def feedback(session: AsyncSession, feedback_id: uuid.UUID) -> Feedback | None:
    stmt = select(Feedback).where(col(Feedback.id) == feedback_id)
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return result.scalar_one_or_none()


async def feedback_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Feedback]:
    stmt = select(*columns_of(Feedback)).where(col(Feedback.id).in_(ids))
    return read_only(Feedback, await read_rows(session, stmt))


async def insert_feedback(session: AsyncSession, **values: Any) -> Feedback:
    stmt = insert(Feedback).values(**values).returning(Feedback)
    return (await session.execute(stmt)).scalar_one()


async def insert_comment(session: AsyncSession, **values: Any) -> FeedbackComment:
    stmt = insert(FeedbackComment).values(**values).returning(FeedbackComment)
    return (await session.execute(stmt)).scalar_one()


async def comments_of(
    session: AsyncSession, keys: Sequence[tuple[uuid.UUID, uuid.UUID]]
) -> list[FeedbackComment]:
    """The comments of the given (feedback id, viewer party id) pairs that the viewer's side may
    read: SHARED ones and its own side's INTERNAL notes."""
    ids = sorted({k[0] for k in keys})
    parties = sorted({k[1] for k in keys})
    stmt = (
        select(*columns_of(FeedbackComment))
        .where(
            col(FeedbackComment.feedback_id).in_(ids),
            or_(
                col(FeedbackComment.visibility) == Visibility.SHARED,
                col(FeedbackComment.owner_party_id).in_(parties),
            ),
        )
        .order_by(col(FeedbackComment.created_at), col(FeedbackComment.id))
    )
    return read_only(FeedbackComment, await read_rows(session, stmt))


async def insert_transition(session: AsyncSession, **values: Any) -> None:
    await session.execute(insert(FeedbackTransition).values(**values))


async def transitions_of(
    session: AsyncSession, feedback_ids: Sequence[uuid.UUID]
) -> list[FeedbackTransition]:
    stmt = (
        select(*columns_of(FeedbackTransition))
        .where(col(FeedbackTransition.feedback_id).in_(feedback_ids))
        .order_by(col(FeedbackTransition.at), col(FeedbackTransition.id))
    )
    return read_only(FeedbackTransition, await read_rows(session, stmt))


# --- the SLA policy ---------------------------------------------------------------------


async def policies_of(session: AsyncSession, partnership_id: uuid.UUID) -> list[FeedbackPolicy]:
    """Every version, newest first."""
    stmt = (
        select(*columns_of(FeedbackPolicy))
        .where(
            col(FeedbackPolicy.partnership_id) == partnership_id,
            col(FeedbackPolicy.visibility) == Visibility.SHARED,
        )
        .order_by(col(FeedbackPolicy.number).desc())
    )
    return read_only(FeedbackPolicy, await read_rows(session, stmt))


async def active_policy(session: AsyncSession, partnership_id: uuid.UUID) -> FeedbackPolicy | None:
    stmt = select(*columns_of(FeedbackPolicy)).where(
        col(FeedbackPolicy.partnership_id) == partnership_id,
        col(FeedbackPolicy.status) == PolicyStatus.ACTIVE,
    )
    found = read_only(FeedbackPolicy, await read_rows(session, stmt))
    return found[0] if found else None


async def policy(session: AsyncSession, policy_id: uuid.UUID) -> FeedbackPolicy | None:
    stmt = select(FeedbackPolicy).where(col(FeedbackPolicy.id) == policy_id)
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return result.scalar_one_or_none()


async def policies_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[FeedbackPolicy]:
    stmt = select(*columns_of(FeedbackPolicy)).where(col(FeedbackPolicy.id).in_(ids))
    return read_only(FeedbackPolicy, await read_rows(session, stmt))


async def insert_policy(session: AsyncSession, **values: Any) -> FeedbackPolicy:
    # The next number of the partnership, in the same statement (the unique key guards a race).
    number = (
        select(func.coalesce(func.max(col(FeedbackPolicy.number)), 0) + 1)
        .where(col(FeedbackPolicy.partnership_id) == values["partnership_id"])
        .scalar_subquery()
    )
    stmt = insert(FeedbackPolicy).values(**values, number=number).returning(FeedbackPolicy)
    return (await session.execute(stmt)).scalar_one()


async def supersede_active(session: AsyncSession, partnership_id: uuid.UUID) -> None:
    await session.execute(
        update(FeedbackPolicy)
        .where(
            col(FeedbackPolicy.partnership_id) == partnership_id,
            col(FeedbackPolicy.status) == PolicyStatus.ACTIVE,
        )
        .values(status=PolicyStatus.SUPERSEDED, updated_at=func.now())
        .execution_options(synchronize_session=False)
    )


# --- figures --------------------------------------------------------------------------------

# Per receiving party, over the SHARED items submitted in the period (as of :now):
#   fr_met / fr_due     first responses within target / first-response clocks stopped, or past
#                       due while still running
#   fr_median_s         the median first-response time (business seconds), of those stopped
#   res_*               the same for resolution
#   rated, rating_avg, rated_high   ratings given, their average, how many were 4 or 5
#   resolved, reopened  items resolved at least once, and of those, reopened at least once
_FIGURES = text(
    """
    SELECT p.id AS party_id,
           count(f.id) AS submitted,
           count(f.id) FILTER (WHERE f.fr_stopped_at IS NOT NULL
                               AND f.fr_used_s <= f.fr_target_s
                               AND f.fr_breach_fired_at IS NULL) AS fr_met,
           count(f.id) FILTER (WHERE f.fr_stopped_at IS NOT NULL
                               OR f.fr_breach_fired_at IS NOT NULL
                               OR f.fr_due_at <= :now) AS fr_due,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY f.fr_used_s)
               FILTER (WHERE f.fr_stopped_at IS NOT NULL) AS fr_median_s,
           count(f.id) FILTER (WHERE f.res_stopped_at IS NOT NULL
                               AND f.res_used_s <= f.res_target_s
                               AND f.res_breach_fired_at IS NULL) AS res_met,
           count(f.id) FILTER (WHERE f.res_stopped_at IS NOT NULL
                               OR f.res_breach_fired_at IS NOT NULL
                               OR f.res_due_at <= :now) AS res_due,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY f.res_used_s)
               FILTER (WHERE f.res_stopped_at IS NOT NULL) AS res_median_s,
           count(f.rating) AS rated,
           avg(f.rating)::float AS rating_avg,
           count(f.id) FILTER (WHERE f.rating >= 4) AS rated_high,
           count(f.id) FILTER (WHERE f.resolved_at IS NOT NULL OR f.reopen_count > 0) AS resolved,
           count(f.id) FILTER (WHERE f.reopen_count > 0) AS reopened
    FROM party p
    LEFT JOIN feedback f
           ON f.partnership_id = p.partnership_id AND f.receiving_party_id = p.id
          AND f.visibility = 'SHARED'
          AND f.created_at >= :period_start AND f.created_at < :period_end
    WHERE p.partnership_id = :partnership_id
    GROUP BY p.id, p.label
    ORDER BY p.label, p.id
    """
)


async def figures(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    *,
    period_start: datetime,
    period_end: datetime,
    now: datetime,
) -> list[Any]:
    params = {
        "partnership_id": partnership_id,
        "period_start": period_start,
        "period_end": period_end,
        "now": now,
    }
    return list(await read_rows(session, _FIGURES, params))


# The same figures per receiving party and calendar month (UTC) from :since, for the built-in
# KPIs, with the organization that names them.
_MONTHLY = text(
    """
    SELECT p.id AS party_id, o.name AS organization,
           date_trunc('month', f.created_at AT TIME ZONE 'UTC')::date AS month,
           count(f.id) FILTER (WHERE f.fr_stopped_at IS NOT NULL
                               AND f.fr_used_s <= f.fr_target_s
                               AND f.fr_breach_fired_at IS NULL) AS fr_met,
           count(f.id) FILTER (WHERE f.fr_stopped_at IS NOT NULL
                               OR f.fr_breach_fired_at IS NOT NULL) AS fr_due,
           count(f.id) FILTER (WHERE f.res_stopped_at IS NOT NULL
                               AND f.res_used_s <= f.res_target_s
                               AND f.res_breach_fired_at IS NULL) AS res_met,
           count(f.id) FILTER (WHERE f.res_stopped_at IS NOT NULL
                               OR f.res_breach_fired_at IS NOT NULL) AS res_due,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY f.fr_used_s)
               FILTER (WHERE f.fr_stopped_at IS NOT NULL) AS fr_median_s,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY f.res_used_s)
               FILTER (WHERE f.res_stopped_at IS NOT NULL) AS res_median_s,
           count(f.rating) AS rated,
           avg(f.rating)::float AS rating_avg,
           count(f.id) FILTER (WHERE f.rating >= 4) AS rated_high,
           count(f.id) FILTER (WHERE f.resolved_at IS NOT NULL OR f.reopen_count > 0) AS resolved,
           count(f.id) FILTER (WHERE f.reopen_count > 0) AS reopened
    FROM party p
    JOIN organization o ON o.id = p.organization_id
    JOIN feedback f
      ON f.partnership_id = p.partnership_id AND f.receiving_party_id = p.id
     AND f.visibility = 'SHARED' AND f.created_at >= :since AND f.created_at < :until
    WHERE p.partnership_id = :partnership_id
    GROUP BY p.id, o.name, 3
    """
)


class MonthFigures(NamedTuple):
    """A receiving party's feedback figures for one month (`monthly_rows`)."""

    party_id: uuid.UUID
    organization: str
    month: date
    fr_met: int
    fr_due: int
    res_met: int
    res_due: int
    fr_median_s: float | None
    res_median_s: float | None
    rated: int
    rating_avg: float | None
    rated_high: int
    resolved: int
    reopened: int


def monthly_rows(partnership_id: uuid.UUID, *, since: date, until: date) -> TextClause:
    """The monthly figures from `since` to before `until`, with the values bound: the built-in
    KPIs read it with the other sources'."""
    return _MONTHLY.bindparams(
        bindparam("partnership_id", partnership_id, type_=UUID(as_uuid=True), unique=True),
        bindparam("since", since, unique=True),
        bindparam("until", until, unique=True),
    )


def month_figures_of(row: Mapping[str, Any]) -> MonthFigures:
    """A row of `monthly_rows` as PostgreSQL's to_json gives it."""
    return MonthFigures(
        **{
            **row,
            "party_id": uuid.UUID(row["party_id"]),
            "month": date.fromisoformat(row["month"]),
        }
    )


# --- the worker's functions (migration 0012: SECURITY DEFINER, across partnerships) --------

_SCAN = text("SELECT * FROM feedback_sla_scan(:now, :limit)")
_CLOSE = text("SELECT * FROM feedback_close_resolved(:now, :limit)")
_WAITING = text("SELECT * FROM feedback_waiting(:before, :limit)")


async def scan_clocks(session: AsyncSession, *, now: datetime, limit: int) -> list[Any]:
    return list((await session.execute(_SCAN, {"now": now, "limit": limit})).all())


async def close_resolved(session: AsyncSession, *, now: datetime, limit: int) -> list[Any]:
    return list((await session.execute(_CLOSE, {"now": now, "limit": limit})).all())


async def waiting_since(session: AsyncSession, *, before: datetime, limit: int) -> list[Any]:
    return list((await session.execute(_WAITING, {"before": before, "limit": limit})).all())


# --- labels for the audit trail -------------------------------------------------------------


async def feedback_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    stmt = select(col(Feedback.id), col(Feedback.title)).where(
        readable(Feedback, partnership_id=partnership_id, viewer_party_id=viewer_party_id),
        col(Feedback.id).in_(ids),
    )
    return {r[0]: Label(r[1], "Feedback", r[0]) for r in await read_rows(session, stmt)}


async def policy_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    stmt = select(col(FeedbackPolicy.id), col(FeedbackPolicy.number)).where(
        readable(FeedbackPolicy, partnership_id=partnership_id, viewer_party_id=viewer_party_id),
        col(FeedbackPolicy.id).in_(ids),
    )
    return {
        r[0]: Label(f"SLA policy v{r[1]}", "FeedbackPolicy", r[0])
        for r in await read_rows(session, stmt)
    }


# Feedback waiting for the viewer's side (feedback/waiting.py says what is asked of it): to
# answer and work on what it received, or to answer or accept what it submitted.
_AWAITING = (
    select(*columns_of(Feedback))
    .where(
        readable_bound(Feedback),
        or_(
            and_(
                col(Feedback.receiving_party_id) == bindparam(VIEWER_PARTY),
                col(Feedback.status).in_(["SUBMITTED", "ACKNOWLEDGED", "IN_PROGRESS"]),
            ),
            and_(
                col(Feedback.owner_party_id) == bindparam(VIEWER_PARTY),
                col(Feedback.status).in_(["WAITING_ON_SUBMITTER", "RESOLVED"]),
            ),
        ),
    )
    .order_by(col(Feedback.status_at))
    .limit(100)
)


async def awaiting_answer(
    session: AsyncSession, partnership_id: uuid.UUID, *, viewer_party_id: uuid.UUID
) -> list[Feedback]:
    params = {PARTNERSHIP: partnership_id, VIEWER_PARTY: viewer_party_id}
    return read_only(Feedback, await read_rows(session, _AWAITING, params))
