"""The trust health index: 0 to 100 from six measured components, each a pure function of the
figures (repository.figures) plus the other domains' health inputs (kit/health.py). A component
with nothing to measure yet is left out and the others' weights share its part."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mutual.kit.health import Reading

WEIGHTS: dict[str, int] = {
    "reliability": 25,
    "responsiveness": 20,
    "transparency": 15,
    "risk_posture": 15,
    "engagement": 10,
    "satisfaction": 15,
}

LABELS = {
    "reliability": "Reliability",
    "responsiveness": "Responsiveness",
    "transparency": "Transparency",
    "risk_posture": "Risk posture",
    "engagement": "Engagement",
    "satisfaction": "Satisfaction",
}

EXPLANATIONS = {
    "reliability": "Commitments due in the last 90 days delivered on or before their due date.",
    "responsiveness": "Feedback answered within its SLA's first-response target (90 days).",
    "transparency": "Published disclosures the other side has acknowledged, and the share of "
    "the items both sides created in the last 90 days that they shared (roadmap items, "
    "commitments, KPIs, risks, feedback and notes; counts only): the mean of the two.",
    "risk_posture": "Open risks' residual scores (70%) and risks reviewed on time (30%).",
    "engagement": "How evenly both sides took part in the last 30 days (the quieter side's "
    "activity against the busier one's).",
    "satisfaction": "Resolution ratings (CSAT, 90 days) and the other domains' satisfaction "
    "inputs (the pulse surveys' NPS).",
}


@dataclass(frozen=True)
class Component:
    key: str
    value: float | None
    inputs: Mapping[str, Any]
    records: Sequence[tuple[str, uuid.UUID]] = ()
    per_side: Mapping[uuid.UUID, float | None] = field(default_factory=dict)

    @property
    def weight(self) -> int:
        return WEIGHTS[self.key]


def _rate(rows: Sequence[Mapping[str, Any]], key: str) -> float | None:
    return round(100 * sum(1 for r in rows if r[key]) / len(rows), 1) if rows else None


def _per_side(
    rows: Sequence[Mapping[str, Any]], key: str, parties: Sequence[uuid.UUID]
) -> dict[uuid.UUID, float | None]:
    return {p: _rate([r for r in rows if str(r["party"]) == str(p)], key) for p in parties}


def reliability(figures: Mapping[str, Any], parties: Sequence[uuid.UUID]) -> Component:
    due = figures.get("due") or []
    late = [("Commitment", uuid.UUID(str(r["id"]))) for r in due if not r["on_time"]]
    return Component(
        "reliability",
        _rate(due, "on_time"),
        {"due_90d": len(due), "on_time": len(due) - len(late)},
        late,
        _per_side(due, "on_time", parties),
    )


def responsiveness(figures: Mapping[str, Any], parties: Sequence[uuid.UUID]) -> Component:
    sla = figures.get("sla") or []
    breached = [("Feedback", uuid.UUID(str(r["id"]))) for r in sla if not r["met"]]
    return Component(
        "responsiveness",
        _rate(sla, "met"),
        {"answered_90d": len(sla), "within_sla": len(sla) - len(breached)},
        breached,
        _per_side(sla, "met", parties),
    )


def _shared_share(figures: Mapping[str, Any], parties: Sequence[uuid.UUID]) -> Component:
    """The share of the items created in 90 days that were SHARED, overall and per side."""
    by_party = {str(v["party"]): v for v in figures.get("visibility") or []}
    counts = {}
    for p in parties:
        side = by_party.get(str(p)) or {}
        total = side.get("before_total", 0) + side.get("recent_total", 0)
        internal = side.get("before_internal", 0) + side.get("recent_internal", 0)
        counts[p] = (total - internal, total)
    shared = sum(s for s, _ in counts.values())
    total = sum(t for _, t in counts.values())
    return Component(
        "transparency",
        round(100 * shared / total, 1) if total else None,
        {"items_90d": total, "shared_items_90d": shared},
        (),
        {p: round(100 * s / t, 1) if t else None for p, (s, t) in counts.items()},
    )


def transparency(figures: Mapping[str, Any], parties: Sequence[uuid.UUID]) -> Component:
    published = [v for v in figures.get("published") or [] if v["old"] or v["acked"]]
    unacked = [("DisclosureVersion", uuid.UUID(str(v["id"]))) for v in published if not v["acked"]]
    acknowledged = _rate(published, "acked")
    shares = _shared_share(figures, parties)
    values = [v for v in (acknowledged, shares.value) if v is not None]
    return Component(
        "transparency",
        round(sum(values) / len(values), 1) if values else None,
        {
            "published": len(published),
            "acknowledged": len(published) - len(unacked),
            **shares.inputs,
            "shared_share": shares.value,
        },
        unacked,
        shares.per_side,
    )


def risk_posture(figures: Mapping[str, Any], parties: Sequence[uuid.UUID]) -> Component:
    risks = figures.get("risks") or []
    scored = [r for r in risks if r["score"] is not None]
    if not risks:
        return Component("risk_posture", None, {"open_risks": 0})
    residual = (
        100 - (sum((r["score"] - 1) / 24 * 100 for r in scored) / len(scored)) if scored else 100
    )
    overdue = [r for r in risks if r["overdue"]]
    on_time = 100 * (1 - len(overdue) / len(risks))
    behind = [
        ("Risk", uuid.UUID(str(r["id"]))) for r in risks if r["overdue"] or (r["score"] or 0) >= 15
    ]
    return Component(
        "risk_posture",
        round(0.7 * residual + 0.3 * on_time, 1),
        {
            "open_risks": len(risks),
            "mean_residual_score": round(sum(r["score"] for r in scored) / len(scored), 1)
            if scored
            else 0,
            "reviews_overdue": len(overdue),
        },
        behind,
    )


def engagement(figures: Mapping[str, Any], parties: Sequence[uuid.UUID]) -> Component:
    by_party = {str(s["party"]): float(s["month"]) for s in figures.get("sides") or []}
    months = [by_party.get(str(p), 0.0) for p in parties]
    busiest = max(months, default=0.0)
    if busiest == 0:
        return Component("engagement", None, {"updates_30d": 0})
    per_side = {
        p: round(min(100.0, 100 * m / busiest), 1) for p, m in zip(parties, months, strict=True)
    }
    return Component(
        "engagement",
        round(100 * min(months) / busiest, 1),
        {f"side{i + 1}_updates_30d": m for i, m in enumerate(months)},
        (),
        per_side,
    )


def satisfaction(
    figures: Mapping[str, Any],
    parties: Sequence[uuid.UUID],
    readings: Mapping[str, Reading],
) -> Component:
    ratings = figures.get("ratings") or []
    values: list[float] = []
    inputs: dict[str, Any] = {"ratings_90d": len(ratings)}
    records: list[tuple[str, uuid.UUID]] = []
    per_side: dict[uuid.UUID, float | None] = {}
    if ratings:
        csat = sum((r["rating"] - 1) / 4 * 100 for r in ratings) / len(ratings)
        values.append(csat)
        inputs["csat"] = round(csat, 1)
        records += [("Feedback", uuid.UUID(str(r["id"]))) for r in ratings if r["rating"] <= 2]
        for p in parties:
            mine = [r for r in ratings if str(r["party"]) == str(p)]
            per_side[p] = (
                round(sum((r["rating"] - 1) / 4 * 100 for r in mine) / len(mine), 1)
                if mine
                else None
            )
    for key, reading in sorted(readings.items()):
        inputs[key] = reading.value
        inputs.update({f"{key}.{k}": v for k, v in reading.inputs.items()})
        records += list(reading.records)
        if reading.value is not None:
            values.append(reading.value)
        for p, v in reading.per_side.items():
            if v is not None:
                mine_now = per_side.get(p)
                per_side[p] = v if mine_now is None else round((mine_now + v) / 2, 1)
    value = round(sum(values) / len(values), 1) if values else None
    return Component("satisfaction", value, inputs, records, per_side)


def components(
    figures: Mapping[str, Any],
    parties: Sequence[uuid.UUID],
    readings: Mapping[str, Reading],
) -> list[Component]:
    return [
        reliability(figures, parties),
        responsiveness(figures, parties),
        transparency(figures, parties),
        risk_posture(figures, parties),
        engagement(figures, parties),
        satisfaction(
            figures, parties, {k: v for k, v in readings.items() if k.startswith("satisfaction.")}
        ),
    ]


def index_of(parts: Sequence[Component]) -> float | None:
    weighed = [(c.value, c.weight) for c in parts if c.value is not None]
    total = sum(w for _, w in weighed)
    return round(sum(v * w for v, w in weighed) / total, 1) if total else None
