"""The risks' per-operation loaders: risks by id, each side's latest assessments, and each
risk's history, actions, acceptances and links (one statement per kind, for any number)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from mutual.graphql.context import Context
from mutual.graphql.loaders import by_id, grouped
from mutual.risks import repository
from mutual.risks.models import Risk, RiskAcceptance, RiskAction, RiskAssessment, RiskLink


class RiskLoaders:
    def __init__(self, session: AsyncSession) -> None:
        self.risk: DataLoader[uuid.UUID, Risk | None] = by_id(session, repository.risks_by_id)
        self.assessment: DataLoader[uuid.UUID, RiskAssessment | None] = by_id(
            session, repository.assessments_by_id
        )
        self.assessments: DataLoader[uuid.UUID, list[RiskAssessment]] = grouped(
            session, repository.assessments_of, "risk_id"
        )
        self.actions: DataLoader[uuid.UUID, list[RiskAction]] = grouped(
            session, repository.actions_of, "risk_id"
        )
        self.acceptances: DataLoader[uuid.UUID, list[RiskAcceptance]] = grouped(
            session, repository.acceptances_of, "risk_id"
        )
        self.links: DataLoader[uuid.UUID, list[RiskLink]] = grouped(
            session, repository.links_of, "risk_id"
        )


def risk_loaders(context: Context) -> RiskLoaders:
    return context.loaders(RiskLoaders)
