"""The co-edited recovery roadmap: milestones in three phases."""

from __future__ import annotations

import enum
from datetime import date

from mutual.kit.records import OwnedRecord


class Phase(enum.StrEnum):
    STABILIZE = "STABILIZE"
    REBUILD = "REBUILD"
    DEEPEN = "DEEPEN"


PHASE_ORDER = {phase: index for index, phase in enumerate(Phase)}


class MilestoneStatus(enum.StrEnum):
    PLANNED = "PLANNED"
    IN_PROGRESS = "IN_PROGRESS"
    DONE = "DONE"
    AT_RISK = "AT_RISK"
    DROPPED = "DROPPED"


class Milestone(OwnedRecord, table=True):
    __tablename__ = "milestone"

    title: str
    description: str = ""
    target_date: date | None = None
    phase: str
    status: str = MilestoneStatus.PLANNED
    rank: int = 0
