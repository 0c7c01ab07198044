"""The per-principal cost budget: what a minute allows, and what leaves the window."""

from __future__ import annotations

from unittest import mock

from mutual.graphql.limits import PrincipalBudget


def test_a_principal_is_refused_past_its_minute_and_served_again_after_it() -> None:
    budget = PrincipalBudget()
    with mock.patch("mutual.graphql.limits.time.monotonic", return_value=1000.0):
        assert budget.charge("user:a", 60, limit=100)
        assert budget.charge("user:a", 40, limit=100)
        assert not budget.charge("user:a", 1, limit=100)  # 101 > 100
        assert budget.charge("user:b", 100, limit=100)  # each principal has its own
    with mock.patch("mutual.graphql.limits.time.monotonic", return_value=1030.0):
        assert not budget.charge("user:a", 1, limit=100)  # still inside the minute
    with mock.patch("mutual.graphql.limits.time.monotonic", return_value=1061.0):
        assert budget.charge("user:a", 100, limit=100)  # the first two left the window
        assert not budget.charge("user:a", 1, limit=100)
