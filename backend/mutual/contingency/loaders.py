"""Contingency's per-operation loaders: plans, versions and activations by id, and the lists
hanging off them (versions of a plan, approvals of a version, steps and timeline of an
activation), one statement per list however many records ask."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from mutual.contingency import repository
from mutual.contingency.models import (
    Activation,
    ContingencyPlan,
    Entry,
    PlanApproval,
    PlanVersion,
    Step,
)
from mutual.graphql.context import Context
from mutual.graphql.loaders import by_id, grouped


class ContingencyLoaders:
    def __init__(self, session: AsyncSession) -> None:
        self.plan: DataLoader[uuid.UUID, ContingencyPlan | None] = by_id(
            session, repository.plans_by_id
        )
        self.version: DataLoader[uuid.UUID, PlanVersion | None] = by_id(
            session, repository.versions_by_id
        )
        self.activation: DataLoader[uuid.UUID, Activation | None] = by_id(
            session, repository.activations_by_id
        )
        self.versions: DataLoader[uuid.UUID, list[PlanVersion]] = grouped(
            session, repository.versions_of_plans, "plan_id"
        )
        self.approvals: DataLoader[uuid.UUID, list[PlanApproval]] = grouped(
            session, repository.approvals_of, "version_id"
        )
        self.steps: DataLoader[uuid.UUID, list[Step]] = grouped(
            session, repository.steps_of, "activation_id"
        )
        self.entries: DataLoader[uuid.UUID, list[Entry]] = grouped(
            session, repository.entries_of, "activation_id"
        )


def contingency_loaders(context: Context) -> ContingencyLoaders:
    return context.loaders(ContingencyLoaders)
