"""The six early-warning detectors: pure functions of the figures read in one statement
(repository.figures), each giving a score (higher is worse), its inputs and the records behind
it. A detector is WATCH at its watch threshold and FIRING at its fire threshold."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mutual.health.models import DetectorName, DetectorStatus

N = DetectorName


@dataclass(frozen=True)
class Thresholds:
    watch: float
    fire: float


DEFAULTS: dict[DetectorName, Thresholds] = {
    N.COMMUNICATION_DECLINING: Thresholds(30, 50),
    N.COMMITMENTS_DELAYED: Thresholds(2, 4),
    N.INFORMATION_ASYMMETRY: Thresholds(1, 3),
    N.DISPUTES_RISING: Thresholds(2, 4),
    N.DECISIONS_BYPASSED: Thresholds(1, 3),
    N.RESULTS_REEVALUATED: Thresholds(1, 3),
}

LABELS: dict[DetectorName, str] = {
    N.COMMUNICATION_DECLINING: "Communication declining",
    N.COMMITMENTS_DELAYED: "Commitments delayed or changed",
    N.INFORMATION_ASYMMETRY: "Information asymmetry",
    N.DISPUTES_RISING: "Questioning and disputes rising",
    N.DECISIONS_BYPASSED: "Decision process bypassed or tightened",
    N.RESULTS_REEVALUATED: "Past results re-evaluated",
}

EXPLANATIONS: dict[DetectorName, str] = {
    N.COMMUNICATION_DECLINING: "The quietest side's shared activity (comments, answers, "
    "updates) in the last week against its own weekly average of the 8 weeks before, and "
    "feedback's first-response time in the last 30 days against the 30 before: the score is "
    "the larger drop in percent (twice as slow counts as 50).",
    N.COMMITMENTS_DELAYED: "Commitments missed in the last 30 days, plus those renegotiated in "
    "them, plus those renegotiated twice or more in 90 days.",
    N.INFORMATION_ASYMMETRY: "Published disclosures the other side has not acknowledged within "
    "7 days, plus 2 when one side made 80% or more of the last 30 days' updates, plus 1 per 10 "
    "points a side's share of INTERNAL items rose (of the roadmap items, commitments, KPIs, "
    "risks, feedback and notes it created in the last 30 days, against the 60 days before; "
    "from a rise of 20 points, with 5 items in each period). Only counts of INTERNAL items "
    "are shown.",
    N.DISPUTES_RISING: "Disputed deliveries, reopened feedback and risks whose two assessments "
    "diverge, in the last 30 days; it fires only when they rose against the 30 days before.",
    N.DECISIONS_BYPASSED: "Decisions past their decide-by date, rejections in the last 30 days "
    "(rising), plus 1 when approvals took twice as long as the 30 days before.",
    N.RESULTS_REEVALUATED: "Feedback raised against already confirmed deliveries, and KPIs "
    "whose measurements of more than 30 days ago were corrected, in the last 30 days.",
}

Evidence = tuple[str, uuid.UUID]


@dataclass(frozen=True)
class Measure:
    score: float
    inputs: Mapping[str, float]
    evidence: Sequence[Evidence] = ()
    # False when the score may WATCH but not FIRE (a count that is not rising).
    may_fire: bool = True


@dataclass(frozen=True)
class Verdict:
    name: DetectorName
    status: DetectorStatus
    measure: Measure
    thresholds: Thresholds = field(default_factory=lambda: Thresholds(0, 0))


def _ids(figures: Mapping[str, Any], key: str, node_type: str) -> list[Evidence]:
    return [(node_type, uuid.UUID(str(i))) for i in figures.get(key) or []]


def communication_declining(figures: Mapping[str, Any], parties: Sequence[uuid.UUID]) -> Measure:
    by_party = {uuid.UUID(str(s["party"])): s for s in figures.get("sides") or []}
    worst, inputs = 0.0, {}
    for index, party in enumerate(parties):
        side = by_party.get(party, {"recent": 0, "baseline": 0})
        weekly = side["baseline"] / 8
        inputs[f"side{index + 1}_last_week"] = float(side["recent"])
        inputs[f"side{index + 1}_weekly_baseline"] = round(weekly, 2)
        if weekly >= 2:  # too little history to call a decline
            worst = max(worst, round(100 * (1 - side["recent"] / weekly), 1))
    hours, before = figures.get("response_hours"), figures.get("response_hours_before")
    inputs["first_response_hours_30d"] = round(float(hours or 0), 1)
    inputs["first_response_hours_before"] = round(float(before or 0), 1)
    if hours and before:  # answers slower: 2x the time counts as a 50% decline
        worst = max(worst, round(100 * (1 - float(before) / float(hours)), 1))
    return Measure(score=max(worst, 0.0), inputs=inputs)


def commitments_delayed(figures: Mapping[str, Any], parties: Sequence[uuid.UUID]) -> Measure:
    missed = _ids(figures, "missed", "Commitment")
    renegotiated = _ids(figures, "renegotiated", "Commitment")
    repeated = _ids(figures, "repeated", "Commitment")
    evidence = list(dict.fromkeys([*missed, *renegotiated, *repeated]))
    return Measure(
        score=float(len(missed) + len(renegotiated) + len(repeated)),
        inputs={
            "missed_30d": float(len(missed)),
            "renegotiated_30d": float(len(renegotiated)),
            "renegotiated_twice_90d": float(len(repeated)),
        },
        evidence=evidence,
    )


# A side's share of INTERNAL items (of those it created) rising: from 20 points, with 5 items or
# more in each window (a side with no history has no baseline to rise from).
RISE_FROM = 0.2
RISE_ITEMS = 5


def _share(internal: int, total: int) -> float:
    return internal / total if total else 0.0


def internal_share_rise(
    figures: Mapping[str, Any], parties: Sequence[uuid.UUID]
) -> tuple[float, dict[str, float]]:
    """The largest rise of a side's INTERNAL share (last 30 days against the 60 before), and per
    side the counts and shares behind it (counts only: health_visibility_counts)."""
    by_party = {str(v["party"]): v for v in figures.get("visibility") or []}
    rise, inputs = 0.0, {}
    for index, party in enumerate(parties):
        side = by_party.get(str(party)) or {}
        recent = _share(side.get("recent_internal", 0), side.get("recent_total", 0))
        before = _share(side.get("before_internal", 0), side.get("before_total", 0))
        name = f"side{index + 1}"
        inputs[f"{name}_internal_items_30d"] = float(side.get("recent_internal", 0))
        inputs[f"{name}_items_30d"] = float(side.get("recent_total", 0))
        inputs[f"{name}_internal_share_30d"] = round(recent, 2)
        inputs[f"{name}_internal_share_before"] = round(before, 2)
        if min(side.get("recent_total", 0), side.get("before_total", 0)) >= RISE_ITEMS:
            rise = max(rise, recent - before)
    return round(rise, 2), inputs


def information_asymmetry(figures: Mapping[str, Any], parties: Sequence[uuid.UUID]) -> Measure:
    unacked = [
        ("DisclosureVersion", uuid.UUID(str(v["id"])))
        for v in figures.get("published") or []
        if v["old"] and not v["acked"]
    ]
    months = [float(s["month"]) for s in figures.get("sides") or []]
    total = sum(months)
    share = max(months) / total if total else 0.0
    one_sided = total >= 10 and (share >= 0.8 or len(months) < len(parties))
    if len(months) < len(parties) and total >= 10:
        share = 1.0
    rise, shares = internal_share_rise(figures, parties)
    # One point per 10 points of rise, from 20: a rise of 30 points fires at the defaults.
    rising = int(round(10 * rise, 6)) if rise >= RISE_FROM else 0
    return Measure(
        score=float(len(unacked) + (2 if one_sided else 0) + rising),
        inputs={
            "unacknowledged_disclosures": float(len(unacked)),
            "busier_side_share_of_updates": round(share, 2),
            "updates_30d": total,
            "internal_share_rise": rise,
            **shares,
        },
        # Records only every member may read: never the INTERNAL items behind the shares.
        evidence=unacked,
    )


def disputes_rising(figures: Mapping[str, Any], parties: Sequence[uuid.UUID]) -> Measure:
    disputes = _ids(figures, "disputes", "Commitment")
    reopened = _ids(figures, "reopened", "Feedback")
    diverging = _ids(figures, "diverging", "Risk")
    now = len(disputes) + len(reopened) + len(diverging)
    before = int(figures.get("disputes_before") or 0) + int(figures.get("reopened_before") or 0)
    return Measure(
        score=float(now),
        inputs={
            "disputes_30d": float(len(disputes)),
            "reopened_30d": float(len(reopened)),
            "diverging_risks": float(len(diverging)),
            "disputes_and_reopened_before": float(before),
        },
        evidence=[*disputes, *reopened, *diverging],
        may_fire=len(disputes) + len(reopened) > before or before == 0,
    )


def decisions_bypassed(figures: Mapping[str, Any], parties: Sequence[uuid.UUID]) -> Measure:
    overdue = _ids(figures, "overdue_decisions", "Decision")
    rejected = _ids(figures, "rejected", "Decision")
    before = int(figures.get("rejected_before") or 0)
    days = figures.get("approval_days")
    days_before = figures.get("approval_days_before")
    slower = bool(days is not None and days_before and days >= 2 * days_before)
    rejections = len(rejected) if len(rejected) > before else 0
    return Measure(
        score=float(len(overdue) + rejections + (1 if slower else 0)),
        inputs={
            "past_decide_by": float(len(overdue)),
            "rejected_30d": float(len(rejected)),
            "rejected_before": float(before),
            "approval_days": round(float(days or 0), 1),
            "approval_days_before": round(float(days_before or 0), 1),
        },
        evidence=[*overdue, *rejected],
    )


def results_reevaluated(figures: Mapping[str, Any], parties: Sequence[uuid.UUID]) -> Measure:
    reevaluated = _ids(figures, "reevaluated", "Feedback")
    corrected = _ids(figures, "corrected", "Kpi")
    return Measure(
        score=float(len(reevaluated) + len(corrected)),
        inputs={
            "feedback_on_confirmed_deliveries": float(len(reevaluated)),
            "kpis_with_past_corrections": float(len(corrected)),
        },
        evidence=[*reevaluated, *corrected],
    )


MEASURES: dict[DetectorName, Callable[[Mapping[str, Any], Sequence[uuid.UUID]], Measure]] = {
    N.COMMUNICATION_DECLINING: communication_declining,
    N.COMMITMENTS_DELAYED: commitments_delayed,
    N.INFORMATION_ASYMMETRY: information_asymmetry,
    N.DISPUTES_RISING: disputes_rising,
    N.DECISIONS_BYPASSED: decisions_bypassed,
    N.RESULTS_REEVALUATED: results_reevaluated,
}


def status_of(measure: Measure, thresholds: Thresholds) -> DetectorStatus:
    if measure.score >= thresholds.fire and measure.may_fire:
        return DetectorStatus.FIRING
    if measure.score >= thresholds.watch:
        return DetectorStatus.WATCH
    return DetectorStatus.CLEAR


def evaluate(
    figures: Mapping[str, Any],
    parties: Sequence[uuid.UUID],
    thresholds: Mapping[DetectorName, Thresholds],
) -> list[Verdict]:
    verdicts = []
    for name, measure_of in MEASURES.items():
        limits = thresholds.get(name, DEFAULTS[name])
        measure = measure_of(figures, parties)
        verdicts.append(Verdict(name, status_of(measure, limits), measure, limits))
    return verdicts
