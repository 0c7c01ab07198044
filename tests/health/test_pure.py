"""The detectors and the index as pure functions of the figures (no database)."""

from __future__ import annotations

import uuid

from mutual.health import detectors, index
from mutual.health.detectors import Thresholds
from mutual.health.models import DetectorName, DetectorStatus
from mutual.kit.health import Reading

A, B = uuid.uuid4(), uuid.uuid4()


def _ids(n: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(n)]


def _status(figures: dict[str, object], name: DetectorName) -> DetectorStatus:
    (verdict,) = [v for v in detectors.evaluate(figures, [A, B], {}) if v.name == name]
    return verdict.status


def test_communication_declining_compares_a_side_with_its_own_baseline() -> None:
    # given Contoso's activity halved against its 8-week average, Northwind's steady
    sides = [
        {"party": str(A), "recent": 10, "baseline": 80, "month": 40},
        {"party": str(B), "recent": 2, "baseline": 40, "month": 10},
    ]
    measure = detectors.communication_declining({"sides": sides}, [A, B])
    assert measure.score == 60.0  # 2 against 5 a week
    assert _status({"sides": sides}, DetectorName.COMMUNICATION_DECLINING) == "FIRING"
    # and a side with too little history to call a decline is not counted
    quiet = [{"party": str(A), "recent": 0, "baseline": 8, "month": 0}]
    assert detectors.communication_declining({"sides": quiet}, [A, B]).score == 0
    # and answers taking three times as long count as a 66.7% decline
    slower = {"sides": [], "response_hours": 12.0, "response_hours_before": 4.0}
    assert detectors.communication_declining(slower, [A, B]).score == 66.7


def test_commitments_delayed_counts_missed_renegotiated_and_repeated() -> None:
    again = _ids(1)
    figures = {"missed": _ids(1), "renegotiated": again, "repeated": again}
    measure = detectors.commitments_delayed(figures, [A, B])
    assert measure.score == 3 and len(measure.evidence) == 2  # one commitment twice
    assert _status(figures, DetectorName.COMMITMENTS_DELAYED) == "WATCH"
    limits = {DetectorName.COMMITMENTS_DELAYED: Thresholds(1, 3)}
    (verdict,) = [
        v for v in detectors.evaluate(figures, [A, B], limits) if v.name == "commitments_delayed"
    ]
    assert verdict.status == "FIRING"


def test_disputes_fire_only_when_rising() -> None:
    figures = {"disputes": _ids(3), "reopened": _ids(1), "disputes_before": 5}
    assert _status(figures, DetectorName.DISPUTES_RISING) == "WATCH"
    figures["disputes_before"] = 2
    assert _status(figures, DetectorName.DISPUTES_RISING) == "FIRING"


def test_information_asymmetry_counts_unacknowledged_and_one_sided_updates() -> None:
    published = [{"id": i, "acked": False, "old": True} for i in _ids(1)]
    sides = [
        {"party": str(A), "recent": 0, "baseline": 0, "month": 19},
        {"party": str(B), "recent": 0, "baseline": 0, "month": 1},
    ]
    measure = detectors.information_asymmetry({"published": published, "sides": sides}, [A, B])
    assert measure.score == 3 and measure.inputs["busier_side_share_of_updates"] == 0.95


def test_the_index_weighs_the_measured_components_only() -> None:
    figures = {
        "due": [{"id": i, "party": str(A), "on_time": n < 3} for n, i in enumerate(_ids(4))],
        "sla": [{"id": i, "party": str(B), "met": True} for i in _ids(2)],
    }
    parts = index.components(
        figures, [A, B], {"satisfaction.pulse_nps": Reading(value=50), "other.x": Reading(0)}
    )
    by_key = {p.key: p for p in parts}
    assert by_key["reliability"].value == 75 and len(by_key["reliability"].records) == 1
    assert by_key["reliability"].per_side == {A: 75.0, B: None}
    assert by_key["responsiveness"].value == 100
    assert by_key["satisfaction"].value == 50  # the pulse input; "other." is not satisfaction
    assert by_key["transparency"].value is None
    # (75 * 25 + 100 * 20 + 50 * 15) / 60
    assert index.index_of(parts) == round((75 * 25 + 100 * 20 + 50 * 15) / 60, 1)
    assert index.index_of([]) is None


def test_a_sides_rising_internal_share_adds_to_information_asymmetry() -> None:
    # given Northwind kept 1 of 10 items INTERNAL before, and 4 of 10 in the last 30 days
    visibility = [
        {
            "party": str(A),
            "before_internal": 1,
            "before_total": 10,
            "recent_internal": 4,
            "recent_total": 10,
        },
        {"party": str(B), "before_internal": 0, "before_total": 4, "recent_internal": 0},
    ]
    measure = detectors.information_asymmetry({"visibility": visibility}, [A, B])
    # then a rise of 30 points counts 3: FIRING at the defaults, with counts and no records
    assert measure.score == 3 and measure.inputs["internal_share_rise"] == 0.3
    assert measure.inputs["side1_internal_share_30d"] == 0.4 and measure.evidence == []
    assert _status({"visibility": visibility}, DetectorName.INFORMATION_ASYMMETRY) == "FIRING"
    # and a rise below 20 points, or with fewer than 5 items in a period, counts nothing
    visibility[0]["recent_internal"] = 2
    assert detectors.information_asymmetry({"visibility": visibility}, [A, B]).score == 0
    visibility[0].update(recent_internal=4, recent_total=4)
    assert detectors.information_asymmetry({"visibility": visibility}, [A, B]).score == 0
    # and transparency is the shared share: 13 of 18 items of 90 days (Northwind 9 of 14)
    part = {p.key: p for p in index.components({"visibility": visibility}, [A, B], {})}
    assert part["transparency"].value == round(100 * 13 / 18, 1)
    assert part["transparency"].per_side == {A: round(100 * 9 / 14, 1), B: 100.0}
