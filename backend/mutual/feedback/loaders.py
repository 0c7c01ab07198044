"""Feedback's per-operation loaders: items and policies by id, comments (as one side may read
them) and history."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from mutual.feedback import repository
from mutual.feedback.models import (
    Feedback,
    FeedbackComment,
    FeedbackPolicy,
    FeedbackTransition,
)
from mutual.graphql.context import Context
from mutual.graphql.loaders import by_id, grouped
from mutual.kit.records import Visibility

CommentKey = tuple[uuid.UUID, uuid.UUID]  # (feedback id, viewer's party id)


class FeedbackLoaders:
    def __init__(self, session: AsyncSession) -> None:
        self.feedback: DataLoader[uuid.UUID, Feedback | None] = by_id(
            session, repository.feedback_by_id
        )
        self.policy: DataLoader[uuid.UUID, FeedbackPolicy | None] = by_id(
            session, repository.policies_by_id
        )
        self.transitions: DataLoader[uuid.UUID, list[FeedbackTransition]] = grouped(
            session, repository.transitions_of, "feedback_id"
        )

        async def load_comments(keys: Sequence[CommentKey]) -> list[list[FeedbackComment]]:
            groups: defaultdict[uuid.UUID, list[FeedbackComment]] = defaultdict(list)
            for comment in await repository.comments_of(session, keys):
                groups[comment.feedback_id].append(comment)
            # Each key gets what its side may read: SHARED comments and its own notes.
            return [
                [
                    c
                    for c in groups[feedback_id]
                    if c.visibility == Visibility.SHARED or c.owner_party_id == party_id
                ]
                for feedback_id, party_id in keys
            ]

        self.comments: DataLoader[CommentKey, list[FeedbackComment]] = DataLoader(
            load_fn=load_comments
        )


def feedback_loaders(context: Context) -> FeedbackLoaders:
    return context.loaders(FeedbackLoaders)
