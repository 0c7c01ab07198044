"""Every SQL statement of the risks domain."""

from __future__ import annotations

import enum
import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    Select,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import UUID, distinct_on
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from mutual.kit.labels import Label
from mutual.kit.pagination import Page, PageRequest
from mutual.kit.records import Visibility
from mutual.kit.repository import columns_of, paginate, read_only, read_rows
from mutual.kit.visibility import PARTNERSHIP, VIEWER_PARTY, readable, readable_bound
from mutual.risks.models import (
    Risk,
    RiskAcceptance,
    RiskAction,
    RiskActionHistory,
    RiskAssessment,
    RiskHistory,
    RiskLink,
    RiskStatus,
    ScoreBasis,
)


class RiskOrder(enum.StrEnum):
    CREATED_AT = "CREATED_AT"
    TITLE = "TITLE"
    NEXT_REVIEW = "NEXT_REVIEW"
    SCORE = "SCORE"
    DIVERGENCE = "DIVERGENCE"


@dataclass(frozen=True)
class RiskFilter:
    categories: Sequence[str] = ()
    statuses: Sequence[str] = ()
    owner_party_id: uuid.UUID | None = None
    min_divergence: int | None = None
    review_overdue: bool | None = None


@dataclass(frozen=True)
class RegisterRow:
    """A risk with each side's latest assessment (the owner side's, the other side's)."""

    risk: Risk
    owner: RiskAssessment | None
    partner: RiskAssessment | None


_OWNER = aliased(RiskAssessment, name="owner_assessment")
_PARTNER = aliased(RiskAssessment, name="partner_assessment")


def _joined(stmt: Select[Any]) -> Select[Any]:
    return stmt.outerjoin(
        _OWNER,
        and_(
            col(_OWNER.partnership_id) == col(Risk.partnership_id),
            col(_OWNER.id) == col(Risk.owner_assessment_id),
        ),
    ).outerjoin(
        _PARTNER,
        and_(
            col(_PARTNER.partnership_id) == col(Risk.partnership_id),
            col(_PARTNER.id) == col(Risk.partner_assessment_id),
        ),
    )


def _divergence() -> ColumnElement[int]:
    """Cells apart between the two sides' latest residual scores; NULL unless both scored."""
    return func.abs(col(_OWNER.residual_likelihood) - col(_PARTNER.residual_likelihood)) + func.abs(
        col(_OWNER.residual_impact) - col(_PARTNER.residual_impact)
    )


def _score() -> ColumnElement[int]:
    """The higher of the two sides' latest residual scores (0 when nobody scored)."""
    return func.greatest(
        func.coalesce(col(_OWNER.residual_likelihood) * col(_OWNER.residual_impact), 0),
        func.coalesce(col(_PARTNER.residual_likelihood) * col(_PARTNER.residual_impact), 0),
    )


# A filter's shape: which conditions it has (their values are bind parameters), so that each
# statement is built once per shape, order and direction (building one cost more than running).
Shape = tuple[bool, bool, bool, bool, bool | None]


def _shape(where: RiskFilter) -> Shape:
    return (
        bool(where.categories),
        bool(where.statuses),
        where.owner_party_id is not None,
        where.min_divergence is not None,
        where.review_overdue,
    )


def _params(
    where: RiskFilter, partnership_id: uuid.UUID, viewer_party_id: uuid.UUID, today: date
) -> dict[str, Any]:
    return {
        PARTNERSHIP: partnership_id,
        VIEWER_PARTY: viewer_party_id,
        "categories": list(where.categories),
        "statuses": list(where.statuses),
        "owner_party_id": where.owner_party_id,
        "min_divergence": where.min_divergence,
        "today": today,
    }


def _filtered(stmt: Select[Any], shape: Shape) -> Select[Any]:
    categories, statuses, owner, min_divergence, review_overdue = shape
    stmt = stmt.where(readable_bound(Risk))
    if categories:
        stmt = stmt.where(col(Risk.category).in_(bindparam("categories", expanding=True)))
    if statuses:
        stmt = stmt.where(col(Risk.status).in_(bindparam("statuses", expanding=True)))
    if owner:
        owner_id = bindparam("owner_party_id", type_=UUID(as_uuid=True))
        stmt = stmt.where(col(Risk.owner_party_id) == owner_id)
    if min_divergence:
        stmt = stmt.where(_divergence() >= bindparam("min_divergence", type_=Integer))
    if review_overdue is not None:
        on = bindparam("today", type_=Date)
        overdue = and_(col(Risk.next_review_on) < on, col(Risk.status) != RiskStatus.CLOSED)
        stmt = stmt.where(overdue if review_overdue else ~overdue)
    return stmt


def _order_key(order: RiskOrder) -> Any:
    return {
        RiskOrder.CREATED_AT: col(Risk.created_at),
        RiskOrder.TITLE: func.lower(col(Risk.title)),
        RiskOrder.NEXT_REVIEW: col(Risk.next_review_on),
        RiskOrder.SCORE: _score(),
        RiskOrder.DIVERGENCE: func.coalesce(_divergence(), -1),
    }[order]


@functools.cache
def _register_statement(shape: Shape, order: RiskOrder, descending: bool) -> Select[Any]:
    stmt = _filtered(_joined(select(*_RISK_COLUMNS, *_OWNER_COLUMNS, *_PARTNER_COLUMNS)), shape)
    key = _order_key(order)
    tie = col(Risk.id).desc() if descending else col(Risk.id).asc()
    return stmt.order_by(key.desc() if descending else key.asc(), tie)


async def register_page(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    page: PageRequest,
    *,
    where: RiskFilter,
    order: RiskOrder,
    descending: bool,
    today: date,
    viewer_party_id: uuid.UUID,
) -> Page[RegisterRow]:
    stmt = _register_statement(_shape(where), order, descending)
    params = _params(where, partnership_id, viewer_party_id, today)
    result = await paginate(session, stmt, page, scalar=False, params=params)
    return Page(items=_register_rows(result.items), offset=result.offset, total=result.total)


# The register reads plain rows (kit.repository.read_only): a page of a hundred risks and two
# hundred assessments cost more in ORM bookkeeping than in the query.
_RISK_COLUMNS = columns_of(Risk)
_ASSESSMENT_KEYS = [c.key for c in columns_of(RiskAssessment)]
_OWNER_COLUMNS = [getattr(_OWNER, key) for key in _ASSESSMENT_KEYS]
_PARTNER_COLUMNS = [getattr(_PARTNER, key) for key in _ASSESSMENT_KEYS]
_ASSESSMENT_ID = _ASSESSMENT_KEYS.index("id")


def _register_rows(rows: Sequence[Sequence[Any]]) -> list[RegisterRow]:
    n, m = len(_RISK_COLUMNS), len(_ASSESSMENT_KEYS)
    plain = [tuple(row) for row in rows]  # slicing a plain tuple, not a Row, is cheap
    risks = read_only(Risk, (row[:n] for row in plain))
    parts = [row[start : start + m] for row in plain for start in (n, n + m)]
    present = [part for part in parts if part[_ASSESSMENT_ID] is not None]
    made = iter(read_only(RiskAssessment, present))  # one model inspection for all of them
    found = [next(made) if part[_ASSESSMENT_ID] is not None else None for part in parts]
    return [
        RegisterRow(risk=risk, owner=found[2 * i], partner=found[2 * i + 1])
        for i, risk in enumerate(risks)
    ]


def _heat_cells(basis: ScoreBasis) -> tuple[Any, ...]:
    prefix = "inherent" if basis == ScoreBasis.INHERENT else "residual"
    return (
        col(Risk.owner_party_id),
        getattr(_OWNER, f"{prefix}_likelihood"),
        getattr(_OWNER, f"{prefix}_impact"),
        getattr(_PARTNER, f"{prefix}_likelihood"),
        getattr(_PARTNER, f"{prefix}_impact"),
    )


@functools.cache
def _heat_statement(shape: Shape, basis: ScoreBasis) -> Select[Any]:
    cells = _heat_cells(basis)
    return _filtered(_joined(select(*cells, func.count())), shape).group_by(*cells)


async def heat_counts(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    *,
    where: RiskFilter,
    basis: ScoreBasis,
    today: date,
    viewer_party_id: uuid.UUID,
) -> list[tuple[uuid.UUID, int | None, int | None, int | None, int | None, int]]:
    """(owner party, its latest likelihood and impact, the other side's, risks) for every
    owner and pair of latest cells of the risks the viewer reads: one grouped statement, at
    most 2x26x26 rows whatever the size of the register."""
    stmt = _heat_statement(_shape(where), basis)
    params = _params(where, partnership_id, viewer_party_id, today)
    rows = await read_rows(session, stmt, params)
    return [(r[0], r[1], r[2], r[3], r[4], int(r[5])) for r in rows]


async def risk(session: AsyncSession, risk_id: uuid.UUID) -> Risk | None:
    stmt = select(Risk).where(col(Risk.id) == risk_id)
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return result.scalar_one_or_none()


async def risks_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Risk]:
    stmt = select(Risk).where(col(Risk.id).in_(ids))
    return list((await session.execute(stmt)).scalars().all())


async def insert_risk(session: AsyncSession, **values: Any) -> Risk:
    stmt = insert(Risk).values(**values).returning(Risk)
    return (await session.execute(stmt)).scalar_one()


async def insert_assessment(session: AsyncSession, **values: Any) -> RiskAssessment:
    stmt = insert(RiskAssessment).values(**values).returning(RiskAssessment)
    return (await session.execute(stmt)).scalar_one()


async def point_latest(session: AsyncSession, risk: Risk, assessment: RiskAssessment) -> None:
    """Keep the side's latest assessment on the risk; no new version: a score is not an edit
    of the risk that another side's edit could conflict with. Two scores of one side at once:
    the newer stays (the later UPDATE re-reads the row and skips when it holds a newer one)."""
    key = (
        "owner_assessment_id"
        if assessment.owner_party_id == risk.owner_party_id
        else "partner_assessment_id"
    )
    pointer = col(getattr(Risk, key))
    held = (
        select(col(RiskAssessment.assessed_at))
        .where(
            col(RiskAssessment.partnership_id) == col(Risk.partnership_id),
            col(RiskAssessment.id) == pointer,
        )
        .scalar_subquery()
    )
    stmt = (
        update(Risk)
        .where(
            col(Risk.partnership_id) == risk.partnership_id,
            col(Risk.id) == risk.id,
            or_(pointer.is_(None), held <= assessment.assessed_at),
        )
        .values({key: assessment.id})
    )
    await session.execute(stmt, execution_options={"synchronize_session": False})


async def assessments_by_id(
    session: AsyncSession, ids: Sequence[uuid.UUID]
) -> list[RiskAssessment]:
    stmt = select(RiskAssessment).where(col(RiskAssessment.id).in_(ids))
    return list((await session.execute(stmt)).scalars().all())


async def assessments_of(
    session: AsyncSession, risk_ids: Sequence[uuid.UUID]
) -> list[RiskAssessment]:
    """Every assessment of the risks, newest first."""
    stmt = (
        select(RiskAssessment)
        .where(col(RiskAssessment.risk_id).in_(risk_ids))
        .order_by(col(RiskAssessment.assessed_at).desc(), col(RiskAssessment.id).desc())
    )
    return list((await session.execute(stmt)).scalars().all())


async def actions_of(session: AsyncSession, risk_ids: Sequence[uuid.UUID]) -> list[RiskAction]:
    stmt = (
        select(RiskAction)
        .where(col(RiskAction.risk_id).in_(risk_ids))
        .order_by(
            col(RiskAction.due_date).asc().nulls_last(),
            col(RiskAction.created_at),
            col(RiskAction.id),
        )
    )
    return list((await session.execute(stmt)).scalars().all())


async def action(session: AsyncSession, action_id: uuid.UUID) -> RiskAction | None:
    stmt = select(RiskAction).where(col(RiskAction.id) == action_id)
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return result.scalar_one_or_none()


async def insert_action(session: AsyncSession, **values: Any) -> RiskAction:
    stmt = insert(RiskAction).values(**values).returning(RiskAction)
    return (await session.execute(stmt)).scalar_one()


async def update_action(
    session: AsyncSession, action: RiskAction, values: dict[str, Any]
) -> RiskAction:
    stmt = (
        update(RiskAction)
        .where(
            col(RiskAction.partnership_id) == action.partnership_id,
            col(RiskAction.id) == action.id,
        )
        .values(**values, updated_at=func.now())
        .returning(RiskAction)
    )
    options = {"populate_existing": True, "synchronize_session": False}
    return (await session.execute(stmt, execution_options=options)).scalar_one()


async def acceptances_of(
    session: AsyncSession, risk_ids: Sequence[uuid.UUID]
) -> list[RiskAcceptance]:
    """Every acceptance of the risks, newest first."""
    stmt = (
        select(RiskAcceptance)
        .where(col(RiskAcceptance.risk_id).in_(risk_ids))
        .order_by(col(RiskAcceptance.created_at).desc(), col(RiskAcceptance.id).desc())
    )
    return list((await session.execute(stmt)).scalars().all())


async def end_active_acceptance(session: AsyncSession, risk: Risk, *, reason: str) -> bool:
    stmt = (
        update(RiskAcceptance)
        .where(
            col(RiskAcceptance.partnership_id) == risk.partnership_id,
            col(RiskAcceptance.risk_id) == risk.id,
            col(RiskAcceptance.ended_at).is_(None),
        )
        .values(ended_at=func.now(), end_reason=reason)
        .returning(col(RiskAcceptance.id))
    )
    result = await session.execute(stmt, execution_options={"synchronize_session": False})
    return result.first() is not None


async def insert_acceptance(session: AsyncSession, **values: Any) -> RiskAcceptance:
    stmt = insert(RiskAcceptance).values(**values).returning(RiskAcceptance)
    return (await session.execute(stmt)).scalar_one()


async def links_of(session: AsyncSession, risk_ids: Sequence[uuid.UUID]) -> list[RiskLink]:
    stmt = (
        select(RiskLink)
        .where(col(RiskLink.risk_id).in_(risk_ids))
        .order_by(col(RiskLink.created_at), col(RiskLink.id))
    )
    return list((await session.execute(stmt)).scalars().all())


async def delete_links(session: AsyncSession, links: Sequence[RiskLink]) -> None:
    if links:
        ids = [link.id for link in links]
        stmt = delete(RiskLink).where(
            col(RiskLink.partnership_id) == links[0].partnership_id, col(RiskLink.id).in_(ids)
        )
        await session.execute(stmt, execution_options={"synchronize_session": False})


async def insert_links(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(RiskLink), rows)


async def risk_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    """The titles of the risks the viewer's side may read, for the audit trail."""
    stmt = select(col(Risk.id), col(Risk.title)).where(
        readable(Risk, partnership_id=partnership_id, viewer_party_id=viewer_party_id),
        col(Risk.id).in_(ids),
    )
    return {r[0]: Label(r[1], "Risk", r[0]) for r in await read_rows(session, stmt)}


def _shared_as_of(
    record: type[Risk] | type[RiskAction],
    history: type[RiskHistory] | type[RiskActionHistory],
    key: Any,
    as_of: datetime,
    partnership_id: uuid.UUID,
) -> Select[Any, Any]:
    """SHARED records created by `as_of`, each with its latest history row by then (None when
    it predates the history), oldest first; `key` is the history's column naming the record."""
    then = (
        select(history)
        .where(
            col(history.partnership_id) == col(record.partnership_id),
            key == col(record.id),
            col(history.at) <= as_of,
        )
        .order_by(col(history.at).desc(), col(history.id).desc())
        .limit(1)
        .lateral("then")
    )
    return (
        select(record, aliased(history, then))
        .outerjoin(then, true())
        .where(
            col(record.partnership_id) == partnership_id,
            col(record.visibility) == Visibility.SHARED,
            col(record.created_at) <= as_of,
        )
        .order_by(col(record.created_at), col(record.id))
    )


# The register as of a moment, for a report: SHARED risks that existed then, each with its
# kept state then (risk_history), their actions likewise (risk_action_history), and each
# side's latest assessment made by then (DISTINCT ON, served by risk_assessment_latest_idx).
async def shared_risks_as_of(
    session: AsyncSession, partnership_id: uuid.UUID, as_of: datetime
) -> list[tuple[Risk, RiskHistory | None]]:
    stmt = _shared_as_of(Risk, RiskHistory, col(RiskHistory.risk_id), as_of, partnership_id)
    return [(r[0], r[1]) for r in (await session.execute(stmt)).all()]


async def shared_actions_as_of(
    session: AsyncSession, partnership_id: uuid.UUID, as_of: datetime
) -> list[tuple[RiskAction, RiskActionHistory | None]]:
    stmt = _shared_as_of(
        RiskAction, RiskActionHistory, col(RiskActionHistory.action_id), as_of, partnership_id
    )
    return [(r[0], r[1]) for r in (await session.execute(stmt)).all()]


async def latest_assessments_as_of(
    session: AsyncSession, partnership_id: uuid.UUID, as_of: datetime
) -> list[RiskAssessment]:
    stmt = (
        select(RiskAssessment)
        .where(
            col(RiskAssessment.partnership_id) == partnership_id,
            col(RiskAssessment.visibility) == Visibility.SHARED,
            col(RiskAssessment.assessed_at) <= as_of,
        )
        .ext(distinct_on(col(RiskAssessment.risk_id), col(RiskAssessment.owner_party_id)))
        .order_by(
            col(RiskAssessment.risk_id),
            col(RiskAssessment.owner_party_id),
            col(RiskAssessment.assessed_at).desc(),
        )
    )
    return list((await session.execute(stmt)).scalars().all())


async def shared_acceptances_as_of(
    session: AsyncSession, partnership_id: uuid.UUID, as_of: datetime
) -> list[RiskAcceptance]:
    stmt = (
        select(RiskAcceptance)
        .where(
            col(RiskAcceptance.partnership_id) == partnership_id,
            col(RiskAcceptance.visibility) == Visibility.SHARED,
            col(RiskAcceptance.created_at) <= as_of,
        )
        .order_by(col(RiskAcceptance.created_at), col(RiskAcceptance.id))
    )
    return list((await session.execute(stmt)).scalars().all())


# The daily task's doors across partnerships (migration 0014_risks).
async def expire_acceptances(session: AsyncSession, today: date) -> list[Any]:
    stmt = text("SELECT * FROM mutual_risks_expire_acceptances(:today)")
    return list((await session.execute(stmt, {"today": today})).all())


async def reviews_due(session: AsyncSession, today: date) -> list[Any]:
    stmt = text("SELECT * FROM mutual_risks_reviews_due(:today)")
    return list((await session.execute(stmt, {"today": today})).all())


async def reviews_overdue(
    session: AsyncSession, partnership_id: uuid.UUID, *, owner_party_id: uuid.UUID, today: date
) -> list[tuple[uuid.UUID, str, date]]:
    """(id, title, next review) of the side's own risks whose review is overdue, oldest first."""
    stmt = (
        select(col(Risk.id), col(Risk.title), col(Risk.next_review_on))
        .where(
            col(Risk.partnership_id) == partnership_id,
            col(Risk.owner_party_id) == owner_party_id,
            col(Risk.next_review_on) < today,
            col(Risk.status) != RiskStatus.CLOSED,
        )
        .order_by(col(Risk.next_review_on), col(Risk.id))
    )
    return [(r[0], r[1], r[2]) for r in await read_rows(session, stmt)]
