"""Every SQL statement of the health domain. The figures read SHARED records only, so that
both sides (and the daily job, acting as one LEAD) compute the same detectors and index; the
one exception, the share of INTERNAL items per side, is counted by health_visibility_counts
(SECURITY DEFINER, migration 0020): counts only, the same for both sides' readers."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from mutual.health.models import (
    DetectorEvent,
    DetectorState,
    DetectorThreshold,
    HealthSnapshot,
    ThresholdStatus,
)
from mutual.kit.labels import Label
from mutual.tenancy.models import User

# One statement for every figure of one partnership as of a moment: the counts behind the six
# detectors and the six components, with the ids of the records behind them.
_FIGURES = text(
    """
WITH activity AS (
    SELECT actor_party_id AS party, at FROM commitment_transition
     WHERE partnership_id = :pid AND visibility = 'SHARED' AND at >= :base_start AND at < :as_of
    UNION ALL
    SELECT owner_party_id, created_at FROM feedback_comment
     WHERE partnership_id = :pid AND visibility = 'SHARED'
       AND created_at >= :base_start AND created_at < :as_of
    UNION ALL
    SELECT actor_party_id, at FROM feedback_transition
     WHERE partnership_id = :pid AND visibility = 'SHARED' AND actor_party_id IS NOT NULL
       AND at >= :base_start AND at < :as_of
    UNION ALL
    SELECT owner_party_id, created_at FROM kpi_measurement
     WHERE partnership_id = :pid AND visibility = 'SHARED'
       AND created_at >= :base_start AND created_at < :as_of
),
sides AS (
    SELECT party,
           count(*) FILTER (WHERE at >= :week_start) AS recent,
           count(*) FILTER (WHERE at < :week_start) AS baseline,
           count(*) FILTER (WHERE at >= :window_start) AS month
      FROM activity GROUP BY party
),
c AS (
    SELECT * FROM commitment WHERE partnership_id = :pid AND visibility = 'SHARED'
),
ct AS (
    SELECT * FROM commitment_transition
     WHERE partnership_id = :pid AND visibility = 'SHARED' AND at >= :prev_start AND at < :as_of
),
due AS (
    SELECT id, owner_party_id,
           (delivered_at IS NOT NULL AND delivered_at::date <= due_date) AS on_time
      FROM c
     WHERE due_date >= :quarter_day AND due_date < :as_of_day
       AND status NOT IN ('PROPOSED', 'DECLINED')
),
f AS (
    SELECT * FROM feedback WHERE partnership_id = :pid AND visibility = 'SHARED'
),
r AS (
    SELECT r.id, r.next_review_on,
           o.residual_likelihood * o.residual_impact AS own_score,
           p.residual_likelihood * p.residual_impact AS partner_score
      FROM risk r
      LEFT JOIN risk_assessment o ON o.partnership_id = r.partnership_id
           AND o.id = r.owner_assessment_id
      LEFT JOIN risk_assessment p ON p.partnership_id = r.partnership_id
           AND p.id = r.partner_assessment_id
     WHERE r.partnership_id = :pid AND r.visibility = 'SHARED' AND r.status <> 'CLOSED'
),
dv AS (
    SELECT v.id, v.published_at, EXISTS (
               SELECT 1 FROM disclosure_acknowledgement a
                WHERE a.partnership_id = v.partnership_id AND a.version_id = v.id
                  AND a.owner_party_id <> v.owner_party_id) AS acked
      FROM disclosure_version v
     WHERE v.partnership_id = :pid AND v.visibility = 'SHARED' AND v.status = 'PUBLISHED'
       AND v.published_at < :as_of
),
d AS (
    SELECT * FROM decision WHERE partnership_id = :pid AND visibility = 'SHARED'
)
SELECT json_build_object(
  'sides', (SELECT coalesce(json_agg(json_build_object(
        'party', party, 'recent', recent, 'baseline', baseline, 'month', month)), '[]')
        FROM sides),
  'missed', (SELECT coalesce(json_agg(id), '[]') FROM c
        WHERE status IN ('AGREED', 'IN_PROGRESS') AND due_date < :as_of_day
          AND due_date >= :window_day),
  'renegotiated', (SELECT coalesce(json_agg(DISTINCT commitment_id), '[]') FROM ct
        WHERE action = 'REQUEST_RENEGOTIATION' AND at >= :window_start),
  'repeated', (SELECT coalesce(json_agg(commitment_id), '[]') FROM (
        SELECT commitment_id FROM commitment_transition
         WHERE partnership_id = :pid AND visibility = 'SHARED'
           AND action = 'REQUEST_RENEGOTIATION' AND at >= :quarter_start AND at < :as_of
         GROUP BY commitment_id HAVING count(*) >= 2) x),
  'disputes', (SELECT coalesce(json_agg(DISTINCT commitment_id), '[]') FROM ct
        WHERE action = 'DISPUTE' AND at >= :window_start),
  'disputes_before', (SELECT count(*) FROM ct WHERE action = 'DISPUTE' AND at < :window_start),
  'reopened', (SELECT coalesce(json_agg(DISTINCT feedback_id), '[]') FROM feedback_transition
        WHERE partnership_id = :pid AND visibility = 'SHARED' AND action = 'REOPEN'
          AND at >= :window_start AND at < :as_of),
  'reopened_before', (SELECT count(*) FROM feedback_transition
        WHERE partnership_id = :pid AND visibility = 'SHARED' AND action = 'REOPEN'
          AND at >= :prev_start AND at < :window_start),
  'diverging', (SELECT coalesce(json_agg(id), '[]') FROM r
        WHERE abs(own_score - partner_score) >= 6),
  'due', (SELECT coalesce(json_agg(json_build_object(
        'id', id, 'party', owner_party_id, 'on_time', on_time)), '[]') FROM due),
  'sla', (SELECT coalesce(json_agg(json_build_object(
        'id', id, 'party', receiving_party_id, 'met', fr_used_s <= fr_target_s)), '[]')
        FROM f WHERE fr_stopped_at >= :quarter_start AND fr_stopped_at < :as_of),
  'ratings', (SELECT coalesce(json_agg(json_build_object(
        'id', id, 'party', receiving_party_id, 'rating', rating)), '[]')
        FROM f WHERE rating IS NOT NULL AND closed_at >= :quarter_start AND closed_at < :as_of),
  'reevaluated', (SELECT coalesce(json_agg(f.id), '[]') FROM f
        JOIN c ON c.id = f.commitment_id
        WHERE c.confirmed_at IS NOT NULL AND f.created_at > c.confirmed_at
          AND f.created_at >= :window_start AND f.created_at < :as_of),
  'corrected', (SELECT coalesce(json_agg(DISTINCT m.kpi_id), '[]')
        FROM kpi_measurement_revision v
        JOIN kpi_measurement m ON m.partnership_id = v.partnership_id AND m.id = v.measurement_id
        WHERE v.partnership_id = :pid AND v.visibility = 'SHARED' AND m.visibility = 'SHARED'
          AND v.replaced_at >= :window_start AND v.replaced_at < :as_of
          AND m.period_start < (v.replaced_at - interval '30 days')::date),
  'risks', (SELECT coalesce(json_agg(json_build_object(
        'id', id, 'score', own_score, 'overdue', next_review_on < :as_of_day)), '[]') FROM r),
  'published', (SELECT coalesce(json_agg(json_build_object(
        'id', id, 'acked', acked, 'old', published_at < :ack_by)), '[]') FROM dv),
  'overdue_decisions', (SELECT coalesce(json_agg(id), '[]') FROM d
        WHERE status = 'PROPOSED' AND decide_by < :as_of_day),
  'rejected', (SELECT coalesce(json_agg(id), '[]') FROM d
        WHERE status = 'REJECTED' AND decided_at >= :window_start AND decided_at < :as_of),
  'rejected_before', (SELECT count(*) FROM d
        WHERE status = 'REJECTED' AND decided_at >= :prev_start AND decided_at < :window_start),
  'approval_days', (SELECT avg(extract(epoch FROM decided_at - created_at) / 86400) FROM d
        WHERE status = 'APPROVED' AND decided_at >= :window_start AND decided_at < :as_of),
  'response_hours', (SELECT avg(extract(epoch FROM first_response_at - created_at) / 3600)
        FROM f WHERE first_response_at >= :window_start AND first_response_at < :as_of),
  'response_hours_before', (SELECT avg(extract(epoch FROM first_response_at - created_at) / 3600)
        FROM f WHERE first_response_at >= :prev_start AND first_response_at < :window_start),
  'approval_days_before', (SELECT avg(extract(epoch FROM decided_at - created_at) / 86400)
        FROM d WHERE status = 'APPROVED' AND decided_at >= :prev_start
          AND decided_at < :window_start),
  'visibility', (SELECT coalesce(json_agg(json_build_object(
        'party', party_id, 'before_internal', before_internal, 'before_total', before_total,
        'recent_internal', recent_internal, 'recent_total', recent_total)), '[]')
        FROM health_visibility_counts(:pid, :quarter_start, :window_start, :as_of))
)
"""
)


async def figures(session: AsyncSession, partnership_id: uuid.UUID, as_of: datetime) -> Any:
    params = {
        "pid": partnership_id,
        "as_of": as_of,
        "as_of_day": as_of.date(),
        "week_start": as_of - timedelta(days=7),
        "base_start": as_of - timedelta(days=63),
        "window_start": as_of - timedelta(days=30),
        "window_day": (as_of - timedelta(days=30)).date(),
        "prev_start": as_of - timedelta(days=60),
        "quarter_start": as_of - timedelta(days=90),
        "quarter_day": (as_of - timedelta(days=90)).date(),
        "ack_by": as_of - timedelta(days=7),
    }
    return (await session.execute(_FIGURES, params)).scalar_one()


async def partnerships_to_compute(session: AsyncSession) -> list[tuple[uuid.UUID, uuid.UUID]]:
    rows = await session.execute(text("SELECT * FROM mutual_health_partnerships()"))
    return [(row[0], row[1]) for row in rows.all()]


async def active_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    stmt = select(User).where(col(User.id) == user_id, col(User.is_active))
    return (await session.execute(stmt)).scalar_one_or_none()


# Thresholds


async def thresholds_of(
    session: AsyncSession, partnership_id: uuid.UUID
) -> list[DetectorThreshold]:
    """The proposals waiting and the accepted thresholds, newest first."""
    stmt = (
        select(DetectorThreshold)
        .where(
            col(DetectorThreshold.partnership_id) == partnership_id,
            col(DetectorThreshold.status).in_([ThresholdStatus.PROPOSED, ThresholdStatus.ACCEPTED]),
        )
        .order_by(col(DetectorThreshold.created_at).desc(), col(DetectorThreshold.id))
    )
    return list((await session.execute(stmt)).scalars().all())


async def threshold(session: AsyncSession, threshold_id: uuid.UUID) -> DetectorThreshold | None:
    stmt = select(DetectorThreshold).where(col(DetectorThreshold.id) == threshold_id)
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return result.scalar_one_or_none()


async def insert_threshold(session: AsyncSession, **values: Any) -> DetectorThreshold:
    stmt = insert(DetectorThreshold).values(**values).returning(DetectorThreshold)
    return (await session.execute(stmt)).scalar_one()


async def set_threshold_status(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
    *,
    status: ThresholdStatus,
    decided_by: uuid.UUID | None,
    decided_at: datetime,
) -> None:
    await session.execute(
        update(DetectorThreshold)
        .where(
            col(DetectorThreshold.partnership_id) == partnership_id,
            col(DetectorThreshold.id).in_(ids),
        )
        .values(
            status=status,
            decided_by=decided_by,
            decided_at=decided_at,
            updated_at=decided_at,
            version=DetectorThreshold.version + 1,
        )
    )


async def threshold_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    stmt = select(col(DetectorThreshold.id), col(DetectorThreshold.detector)).where(
        col(DetectorThreshold.partnership_id) == partnership_id,
        col(DetectorThreshold.id).in_(ids),
    )
    return {
        r[0]: Label(f"Thresholds of {r[1].replace('_', ' ')}", "Partnership", partnership_id)
        for r in (await session.execute(stmt)).all()
    }


# Detector states and history


async def states_of(session: AsyncSession, partnership_id: uuid.UUID) -> list[DetectorState]:
    stmt = select(DetectorState).where(col(DetectorState.partnership_id) == partnership_id)
    return list((await session.execute(stmt)).scalars().all())


# One statement for all an evaluation writes, however many detectors changed: the day's
# snapshot, the detectors' states, their changes of status (history, with what a start of FIRING
# still has to fire) and the audit events, so a partnership's daily work takes the same number of
# statements whether anything changed or not. The rows come as JSON arrays (maybe empty).
_RECORD_EVALUATION = text(
    """
WITH snapshot AS (
    INSERT INTO health_snapshot (partnership_id, day, value, components)
    VALUES (:pid, :day, :value, CAST(:components AS jsonb))
    ON CONFLICT (partnership_id, day) DO UPDATE
        SET value = excluded.value, components = excluded.components, taken_at = now()
    RETURNING 1
), states AS (
    INSERT INTO detector_state (partnership_id, detector, status, since, episode, score, inputs,
                                evidence, evaluated_at)
    SELECT :pid, s.detector, s.status, s.since, s.episode, s.score, s.inputs, s.evidence,
           s.evaluated_at
    FROM jsonb_to_recordset(CAST(:states AS jsonb)) AS s(
        detector text, status text, since timestamptz, episode text, score double precision,
        inputs jsonb, evidence jsonb, evaluated_at timestamptz)
    ON CONFLICT (partnership_id, detector) DO UPDATE
        SET status = excluded.status, since = excluded.since, episode = excluded.episode,
            score = excluded.score, inputs = excluded.inputs, evidence = excluded.evidence,
            evaluated_at = excluded.evaluated_at
    RETURNING 1
), events AS (
    INSERT INTO detector_event (partnership_id, id, detector, status, previous, score, evidence,
                                at, pending)
    SELECT :pid, e.id, e.detector, e.status, e.previous, e.score, e.evidence, e.at, e.pending
    FROM jsonb_to_recordset(CAST(:events AS jsonb)) AS e(
        id uuid, detector text, status text, previous text, score double precision,
        evidence jsonb, at timestamptz, pending jsonb)
    RETURNING 1
), audited AS (
    INSERT INTO audit_event (partnership_id, actor_user_id, actor_party_id, action, object_type,
                             object_id, changes, visibility, owner_party_id, request_id)
    SELECT :pid, NULL, NULL, a.item ->> 'action', a.item ->> 'object_type',
           (a.item ->> 'object_id')::uuid, a.item -> 'changes', 'SHARED', :owner, :request_id
    FROM jsonb_array_elements(CAST(:audits AS jsonb)) WITH ORDINALITY AS a(item, n)
    ORDER BY a.n
    RETURNING 1
)
SELECT (SELECT count(*) FROM states), (SELECT count(*) FROM events),
       (SELECT count(*) FROM audited)
"""
)


async def record_evaluation(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    *,
    day: date,
    value: float | None,
    components: dict[str, Any],
    states: Sequence[dict[str, Any]],
    events: Sequence[dict[str, Any]],
    audits: Sequence[dict[str, Any]],
    owner_party_id: uuid.UUID,
    request_id: str,
) -> None:
    params = {
        "pid": partnership_id,
        "day": day,
        "value": value,
        "components": json.dumps(components),
        "states": json.dumps(list(states), default=str),
        "events": json.dumps(list(events), default=str),
        "audits": json.dumps(list(audits), default=str),
        "owner": owner_party_id,
        "request_id": request_id,
    }
    await session.execute(_RECORD_EVALUATION, params)


async def take_pending(session: AsyncSession, limit: int) -> list[tuple[uuid.UUID, dict[str, Any]]]:
    """Takes (and clears) up to `limit` starts of FIRING still to fire, of any partnership."""
    stmt = text("SELECT partnership_id, pending FROM health_take_pending(:limit)")
    return [(r[0], r[1]) for r in (await session.execute(stmt, {"limit": limit})).all()]


async def events_of(
    session: AsyncSession, partnership_id: uuid.UUID, *, limit: int = 200
) -> list[DetectorEvent]:
    stmt = (
        select(DetectorEvent)
        .where(col(DetectorEvent.partnership_id) == partnership_id)
        .order_by(col(DetectorEvent.at).desc(), col(DetectorEvent.id))
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars().all())


async def event_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    stmt = select(
        col(DetectorEvent.id), col(DetectorEvent.detector), col(DetectorEvent.status)
    ).where(col(DetectorEvent.partnership_id) == partnership_id, col(DetectorEvent.id).in_(ids))
    return {
        r[0]: Label(f"{r[1].replace('_', ' ')}: {r[2]}", "Partnership", partnership_id)
        for r in (await session.execute(stmt)).all()
    }


# Snapshots


async def snapshot_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    """A snapshot's audit event names its partnership (a day's snapshot has no id of its own)."""
    return {i: Label("Daily health snapshot", "Partnership", i) for i in ids if i == partnership_id}


async def snapshots_between(
    session: AsyncSession, partnership_id: uuid.UUID, start: date, end: date
) -> list[HealthSnapshot]:
    stmt = (
        select(HealthSnapshot)
        .where(
            col(HealthSnapshot.partnership_id) == partnership_id,
            col(HealthSnapshot.day) >= start,
            col(HealthSnapshot.day) <= end,
        )
        .order_by(col(HealthSnapshot.day))
    )
    return list((await session.execute(stmt)).scalars().all())


async def snapshots_on(
    session: AsyncSession, partnership_id: uuid.UUID, days: Sequence[date]
) -> dict[date, HealthSnapshot]:
    """The latest snapshot on or before each day."""
    found: dict[date, HealthSnapshot] = {}
    stmt = (
        select(HealthSnapshot)
        .where(
            col(HealthSnapshot.partnership_id) == partnership_id,
            col(HealthSnapshot.day) <= max(days),
        )
        .order_by(col(HealthSnapshot.day).desc())
    )
    rows = list((await session.execute(stmt)).scalars().all())
    for day in days:
        found_row = next((s for s in rows if s.day <= day), None)
        if found_row is not None:
            found[day] = found_row
    return found


async def latest_two(
    session: AsyncSession, partnership_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[HealthSnapshot]]:
    """For the partnership list: each partnership's latest snapshot and the one 7 or more
    days before it (the trend), in one statement for all."""
    ranked = (
        select(
            HealthSnapshot,
            func.row_number()
            .over(
                partition_by=col(HealthSnapshot.partnership_id),
                order_by=col(HealthSnapshot.day).desc(),
            )
            .label("n"),
        )
        .where(col(HealthSnapshot.partnership_id).in_(partnership_ids))
        .subquery()
    )
    stmt = (
        select(ranked.c.partnership_id, ranked.c.day, ranked.c.value)
        .where(ranked.c.n <= 8)
        .order_by(ranked.c.partnership_id, ranked.c.day.desc())
    )
    out: dict[uuid.UUID, list[HealthSnapshot]] = {}
    for pid, day, value in (await session.execute(stmt)).all():
        out.setdefault(pid, []).append(
            HealthSnapshot(partnership_id=pid, day=day, value=value, components={})
        )
    return out
