"""The per-principal cost budget: what a minute allows, and what leaves the window; in memory,
and in the files that the processes of `mutual serve --workers N` share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest

from mutual.graphql.limits import Budget, PrincipalBudget, SharedPrincipalBudget


@pytest.fixture(params=["memory", "files"])
def new_budget(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Budget]:
    if request.param == "memory":
        return PrincipalBudget
    # Each call another instance on one directory: another process of the same server.
    return lambda: SharedPrincipalBudget(tmp_path / "budget")


def test_a_principal_is_refused_past_its_minute_and_served_again_after_it(
    new_budget: Callable[[], Budget],
) -> None:
    budget = new_budget()
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


def test_processes_sharing_a_directory_spend_one_budget(tmp_path: Path) -> None:
    first, second = SharedPrincipalBudget(tmp_path), SharedPrincipalBudget(tmp_path)
    with mock.patch("mutual.graphql.limits.time.monotonic", return_value=5000.0):
        assert first.charge("user:a", 70, limit=100)
        assert second.charge("user:a", 30, limit=100)
        assert not first.charge("user:a", 1, limit=100)
        assert not second.charge("user:a", 1, limit=100)
    with mock.patch("mutual.graphql.limits.time.monotonic", return_value=5059.5):
        assert not second.charge("user:a", 1, limit=100)  # 59.5 s later: still the minute's
    with mock.patch("mutual.graphql.limits.time.monotonic", return_value=5060.0):
        assert second.charge("user:a", 100, limit=100)


def test_a_sweep_removes_only_the_files_of_principals_with_nothing_in_the_window(
    tmp_path: Path,
) -> None:
    budget = SharedPrincipalBudget(tmp_path)
    with mock.patch("mutual.graphql.limits.time.monotonic", return_value=1000.0):
        assert budget.charge("user:idle", 5, limit=100)
    (idle,) = tmp_path.iterdir()
    with mock.patch("mutual.graphql.limits.time.monotonic", return_value=1070.0):
        assert budget.charge("user:busy", 5, limit=100)

        budget.sweep()

        assert len(list(tmp_path.iterdir())) == 1 and not idle.exists()
        assert budget.charge("user:busy", 95, limit=100)  # its 5 were kept
        assert not budget.charge("user:busy", 1, limit=100)
        assert budget.charge("user:idle", 100, limit=100)  # a new file, after the sweep
