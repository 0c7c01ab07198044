"""Commitments' per-operation loaders: commitments by id, their evidence and transitions."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from mutual.commitments import repository
from mutual.commitments.models import Commitment, CommitmentEvidence, CommitmentTransition
from mutual.graphql.context import Context
from mutual.graphql.loaders import by_id, grouped


class CommitmentLoaders:
    def __init__(self, session: AsyncSession) -> None:
        self.commitment: DataLoader[uuid.UUID, Commitment | None] = by_id(
            session, repository.commitments_by_id
        )
        self.evidence: DataLoader[uuid.UUID, list[CommitmentEvidence]] = grouped(
            session, repository.evidence_of, "commitment_id"
        )
        self.transitions: DataLoader[uuid.UUID, list[CommitmentTransition]] = grouped(
            session, repository.transitions_of, "commitment_id"
        )


def commitment_loaders(context: Context) -> CommitmentLoaders:
    return context.loaders(CommitmentLoaders)
