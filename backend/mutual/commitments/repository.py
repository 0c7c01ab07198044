"""Every SQL statement of the commitments domain."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, TextClause, and_, bindparam, insert, or_, select, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from mutual.commitments.models import (
    OPEN_STATUSES,
    Commitment,
    CommitmentEvidence,
    CommitmentStatus,
    CommitmentTransition,
)
from mutual.commitments.shapes import COMMITMENT_NODES, TODAY
from mutual.kit.labels import Label
from mutual.kit.pagination import Page, PageRequest
from mutual.kit.repository import columns_of, paginate, read_only, read_rows
from mutual.kit.visibility import PARTNERSHIP, VIEWER_PARTY, readable, readable_bound


class CommitmentOrder(enum.StrEnum):
    DUE_DATE = "DUE_DATE"
    UPDATED_AT = "UPDATED_AT"


@dataclass(frozen=True)
class CommitmentFilter:
    statuses: Sequence[CommitmentStatus] = ()
    owner_party_id: uuid.UUID | None = None
    due_from: date | None = None
    due_to: date | None = None
    milestone_id: uuid.UUID | None = None


def _status_condition(status: CommitmentStatus, today: date) -> ColumnElement[bool]:
    """The effective status in SQL: AGREED and IN_PROGRESS past due read as MISSED."""
    stored = col(Commitment.status)
    if status == CommitmentStatus.MISSED:
        return and_(stored.in_(OPEN_STATUSES), col(Commitment.due_date) < today)
    if status in OPEN_STATUSES:
        return and_(stored == status, col(Commitment.due_date) >= today)
    return stored == status


# SHARED commitments and the viewer side's own INTERNAL ones (RLS is only the backstop); built
# once, the filters of a request added to it.
_PAGE = select(*columns_of(Commitment)).where(readable_bound(Commitment))


async def commitments_page(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    page: PageRequest,
    *,
    where: CommitmentFilter,
    order: CommitmentOrder,
    descending: bool,
    today: date,
    viewer_party_id: uuid.UUID,
) -> Page[Commitment]:
    ordered = _filtered(where, order, descending, today)
    params = {PARTNERSHIP: partnership_id, VIEWER_PARTY: viewer_party_id}
    return await paginate(session, ordered, page, model=Commitment, params=params)


async def commitments_json_page(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    page: PageRequest,
    *,
    json: str,
    where: CommitmentFilter,
    order: CommitmentOrder,
    descending: bool,
    today: date,
    viewer_party_id: uuid.UUID,
) -> Page[str]:
    """The same page, each commitment as the JSON text `json` (COMMITMENT_NODES' SQL)."""
    stmt = COMMITMENT_NODES.statement(_filtered(where, order, descending, today), json)
    params = {PARTNERSHIP: partnership_id, VIEWER_PARTY: viewer_party_id, TODAY: today}
    return await paginate(session, stmt, page, params=params, core=True)


def _filtered(
    where: CommitmentFilter, order: CommitmentOrder, descending: bool, today: date
) -> Select[Any]:
    if where == CommitmentFilter():  # the usual list: its statement is built once
        return _ORDERED[(order, descending)]
    stmt = _PAGE
    if where.statuses:
        stmt = stmt.where(or_(*(_status_condition(s, today) for s in where.statuses)))
    if where.owner_party_id is not None:
        stmt = stmt.where(col(Commitment.owner_party_id) == where.owner_party_id)
    if where.due_from is not None:
        stmt = stmt.where(col(Commitment.due_date) >= where.due_from)
    if where.due_to is not None:
        stmt = stmt.where(col(Commitment.due_date) <= where.due_to)
    if where.milestone_id is not None:
        stmt = stmt.where(col(Commitment.milestone_id) == where.milestone_id)
    return _ordered(stmt, order, descending)


def _ordered(stmt: Select[Any], order: CommitmentOrder, descending: bool) -> Select[Any]:
    key = (
        col(Commitment.due_date)
        if order == CommitmentOrder.DUE_DATE
        else col(Commitment.updated_at)
    )
    ordering = key.desc() if descending else key.asc()
    tie = col(Commitment.id).desc() if descending else col(Commitment.id).asc()
    return stmt.order_by(ordering, tie)


_ORDERED = {
    (order, descending): _ordered(_PAGE, order, descending)
    for order in CommitmentOrder
    for descending in (False, True)
}


async def commitment(session: AsyncSession, commitment_id: uuid.UUID) -> Commitment | None:
    stmt = select(Commitment).where(col(Commitment.id) == commitment_id)
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return result.scalar_one_or_none()


async def commitments_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Commitment]:
    stmt = select(Commitment).where(col(Commitment.id).in_(ids))
    return list((await session.execute(stmt)).scalars().all())


async def insert_commitment(session: AsyncSession, **values: Any) -> Commitment:
    stmt = insert(Commitment).values(**values).returning(Commitment)
    return (await session.execute(stmt)).scalar_one()


async def insert_evidence(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(CommitmentEvidence), rows)


async def evidence_of(
    session: AsyncSession, commitment_ids: Sequence[uuid.UUID]
) -> list[CommitmentEvidence]:
    stmt = (
        select(CommitmentEvidence)
        .where(col(CommitmentEvidence.commitment_id).in_(commitment_ids))
        .order_by(col(CommitmentEvidence.created_at), col(CommitmentEvidence.id))
    )
    return list((await session.execute(stmt)).scalars().all())


async def insert_transition(session: AsyncSession, **values: Any) -> None:
    await session.execute(insert(CommitmentTransition).values(**values))


async def transitions_of(
    session: AsyncSession, commitment_ids: Sequence[uuid.UUID]
) -> list[CommitmentTransition]:
    stmt = (
        select(CommitmentTransition)
        .where(col(CommitmentTransition.commitment_id).in_(commitment_ids))
        .order_by(col(CommitmentTransition.at), col(CommitmentTransition.id))
    )
    return list((await session.execute(stmt)).scalars().all())


# Reliability per owner party over a period, from the stored history of SHARED commitments
# (an INTERNAL one is a side's own plan, confirmed by itself: both sides must see one figure):
#   due       commitments owned by the party, agreed at some point, due in the period
#   on_time   of those, CONFIRMED with the (confirmed) delivery on or before the due date
#   missed    of those, past due today and still not delivered
#   renegotiations / disputes   transitions of the party's commitments within the period
#   unknown   commitments whose state at the moment is not in their transitions (none today)
# {commitments} is the commitments' state: today's columns, or rebuilt as of a moment.
_STATS = """
    SELECT p.id AS party_id,
           count(c.id) FILTER (WHERE c.status NOT IN ('PROPOSED', 'DECLINED')) AS due,
           count(c.id) FILTER (
               WHERE c.status = 'CONFIRMED'
                 AND (c.delivered_at AT TIME ZONE 'UTC')::date <= c.due_date) AS on_time,
           count(c.id) FILTER (WHERE c.status IN ('AGREED', 'IN_PROGRESS')
                               AND c.due_date < :today) AS missed,
           (SELECT count(*) FROM commitment_transition t
             WHERE t.partnership_id = :partnership_id AND t.owner_party_id = p.id
               AND t.visibility = 'SHARED' AND t.action = 'ACCEPT_RENEGOTIATION'
               AND (t.at AT TIME ZONE 'UTC')::date BETWEEN :period_start AND :period_end
           ) AS renegotiations,
           (SELECT count(*) FROM commitment_transition t
             WHERE t.partnership_id = :partnership_id AND t.owner_party_id = p.id
               AND t.visibility = 'SHARED' AND t.action = 'DISPUTE'
               AND (t.at AT TIME ZONE 'UTC')::date BETWEEN :period_start AND :period_end
           ) AS disputes,
           count(c.id) FILTER (WHERE c.status IS NULL) AS unknown
    FROM party p
    LEFT JOIN ({commitments}) c
           ON c.owner_party_id = p.id
          AND (c.due_date BETWEEN :period_start AND :period_end OR c.due_date IS NULL)
    WHERE p.partnership_id = :partnership_id
    GROUP BY p.id
"""
_TODAY = text(
    _STATS.format(
        commitments="""
        SELECT id, owner_party_id, status, due_date, delivered_at FROM commitment
        WHERE partnership_id = :partnership_id AND visibility = 'SHARED'
        """
    )
)
# As of a moment, from each commitment's transitions made by then (commitment_transition_idx):
# its status, its agreed due date (as proposed or renegotiated) and its latest delivery then.
# A commitment created by then with no transition by then has no known state (status NULL).
_AS_OF = text(
    _STATS.format(
        commitments="""
        SELECT c.id, c.owner_party_id, s.status, s.due_date, s.delivered_at
        FROM commitment c
        CROSS JOIN LATERAL (
            SELECT
                (SELECT t.to_status FROM commitment_transition t
                  WHERE t.partnership_id = c.partnership_id AND t.commitment_id = c.id
                    AND t.at <= :as_of
                  ORDER BY t.at DESC, t.id DESC LIMIT 1) AS status,
                (SELECT t.due_date_after FROM commitment_transition t
                  WHERE t.partnership_id = c.partnership_id AND t.commitment_id = c.id
                    AND t.at <= :as_of AND t.action IN ('PROPOSE', 'ACCEPT_RENEGOTIATION')
                  ORDER BY t.at DESC, t.id DESC LIMIT 1) AS due_date,
                (SELECT t.at FROM commitment_transition t
                  WHERE t.partnership_id = c.partnership_id AND t.commitment_id = c.id
                    AND t.at <= :as_of AND t.action = 'DELIVER'
                  ORDER BY t.at DESC, t.id DESC LIMIT 1) AS delivered_at
        ) s
        WHERE c.partnership_id = :partnership_id AND c.visibility = 'SHARED'
          AND c.created_at <= :as_of
        """
    )
)


async def reliability(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    *,
    period_start: date,
    period_end: date,
    today: date,
    as_of: datetime | None = None,
) -> list[Any]:
    """Today's figures, or (`as_of`) those the commitments' history gives at that moment."""
    params: dict[str, Any] = {
        "partnership_id": partnership_id,
        "period_start": period_start,
        "period_end": period_end,
        "today": today,
    }
    if as_of is None:
        return list((await session.execute(_TODAY, params)).all())
    return list((await session.execute(_AS_OF, {**params, "as_of": as_of})).all())


# The built-in on-time KPIs' figures (SHARED commitments agreed at some point, due on or before
# :until), per party of the partnership, in one statement:
#   organization   the party's organization's name, which names its KPI
#   baseline_*     over the party's first :baseline_count commitments ever due (by due date):
#                  how many, how many kept on time, the first one's due date
#   months, due, on_time   per month from :since, oldest first: due and kept on time
# Kept on time: CONFIRMED, with the (confirmed) delivery on or before the due date.
# One partnership, not a list: PostgreSQL then keeps a generic plan for it instead of planning
# it again on every run (planning took longer than running it).
_ON_TIME = text(
    """
    WITH due AS (
        SELECT c.owner_party_id AS party_id, c.due_date,
               (c.status = 'CONFIRMED'
                AND (c.delivered_at AT TIME ZONE 'UTC')::date <= c.due_date) AS kept,
               row_number() OVER (PARTITION BY c.owner_party_id ORDER BY c.due_date, c.id) AS nth
        FROM commitment c
        WHERE c.partnership_id = :partnership_id
          AND c.visibility = 'SHARED' AND c.status NOT IN ('PROPOSED', 'DECLINED')
          AND c.due_date <= :until
    )
    SELECT p.id AS party_id, p.label AS party_label, o.name AS organization,
           b.due AS baseline_due, b.on_time AS baseline_on_time, b.since AS baseline_since,
           m.months, m.due, m.on_time
    FROM party p
    JOIN organization o ON o.id = p.organization_id
    CROSS JOIN LATERAL (
        SELECT count(*) AS due, count(*) FILTER (WHERE d.kept) AS on_time,
               min(d.due_date) AS since
        FROM due d WHERE d.party_id = p.id AND d.nth <= :baseline_count
    ) b
    CROSS JOIN LATERAL (
        SELECT array_agg(x.month ORDER BY x.month) AS months,
               array_agg(x.due ORDER BY x.month) AS due,
               array_agg(x.on_time ORDER BY x.month) AS on_time
        FROM (
            SELECT date_trunc('month', d.due_date)::date AS month, count(*) AS due,
                   count(*) FILTER (WHERE d.kept) AS on_time
            FROM due d WHERE d.party_id = p.id AND d.due_date >= :since
            GROUP BY 1
        ) x
    ) m
    WHERE p.partnership_id = :partnership_id
    """
)


class MonthOnTime(NamedTuple):
    month: date
    due: int
    on_time: int


class PartyOnTime(NamedTuple):
    party_id: uuid.UUID
    party_label: str
    organization: str
    baseline_due: int
    baseline_on_time: int
    baseline_since: date | None  # None: nothing due yet
    months: list[MonthOnTime]  # oldest first


def on_time_rows(
    partnership_id: uuid.UUID, *, since: date, until: date, baseline_count: int
) -> TextClause:
    """Each party's on-time figures (its first `baseline_count` commitments due, and per month
    from `since`), with the values bound: the built-in KPIs read it with the other sources'."""
    return _ON_TIME.bindparams(
        bindparam("partnership_id", partnership_id, type_=UUID(as_uuid=True), unique=True),
        bindparam("since", since, unique=True),
        bindparam("until", until, unique=True),
        bindparam("baseline_count", baseline_count, unique=True),
    )


def on_time_of(row: Mapping[str, Any]) -> PartyOnTime:
    """A row of `on_time_rows` as PostgreSQL's to_json gives it."""
    since = row["baseline_since"]
    months = zip(row["months"] or (), row["due"] or (), row["on_time"] or (), strict=True)
    return PartyOnTime(
        party_id=uuid.UUID(row["party_id"]),
        party_label=row["party_label"],
        organization=row["organization"],
        baseline_due=row["baseline_due"],
        baseline_on_time=row["baseline_on_time"],
        baseline_since=date.fromisoformat(since) if since else None,
        months=[MonthOnTime(date.fromisoformat(m), due, kept) for m, due, kept in months],
    )


# Commitments that may wait for an answer (commitments/waiting.py decides whose): proposed,
# delivered, or with a new due date asked for.
_AWAITING = (
    select(*columns_of(Commitment))
    .where(
        readable_bound(Commitment),
        or_(
            col(Commitment.status).in_([CommitmentStatus.PROPOSED, CommitmentStatus.DELIVERED]),
            and_(
                col(Commitment.status).in_(OPEN_STATUSES),
                col(Commitment.renegotiation_due_date).is_not(None),
            ),
        ),
    )
    .order_by(col(Commitment.updated_at))
)


async def awaiting_answer(
    session: AsyncSession, partnership_id: uuid.UUID, *, viewer_party_id: uuid.UUID
) -> list[Commitment]:
    params = {PARTNERSHIP: partnership_id, VIEWER_PARTY: viewer_party_id}
    return read_only(Commitment, await read_rows(session, _AWAITING, params))


async def commitment_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    """The titles of the commitments the viewer's side may read, for the audit trail."""
    stmt = select(col(Commitment.id), col(Commitment.title)).where(
        readable(Commitment, partnership_id=partnership_id, viewer_party_id=viewer_party_id),
        col(Commitment.id).in_(ids),
    )
    return {r[0]: Label(r[1], "Commitment", r[0]) for r in await read_rows(session, stmt)}


@dataclass(frozen=True)
class ToRemind:
    partnership_id: uuid.UUID
    commitment_id: uuid.UUID
    owner_party_id: uuid.UUID
    title: str
    due_date: date
    overdue: bool


async def commitments_to_remind(session: AsyncSession, *, today: date, days: int) -> list[ToRemind]:
    """Across partnerships, for the reminder task (which has no identity): commitments in work
    due in `days` days or overdue (a SECURITY DEFINER function of 0013_notifications)."""
    result = await session.execute(
        text("SELECT * FROM mutual_commitments_to_remind(:today, :days)"),
        {"today": today, "days": days},
    )
    return [ToRemind(**row) for row in result.mappings().all()]
