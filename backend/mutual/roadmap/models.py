"""The co-edited recovery roadmap: milestones in three phases."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKeyConstraint, Index, UniqueConstraint

from mutual.kit.columns import text_field
from mutual.kit.records import OwnedRecord
from mutual.kit.search import search_index


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
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="milestone_partnership_id_owner_party_id_fkey",
        ),
        UniqueConstraint("id", name="milestone_id_key"),
        Index("milestone_phase_order_idx", "partnership_id", "phase", "sort_key"),
        search_index("milestone"),
    )

    title: str = text_field()
    description: str = text_field("", server_default="''")
    target_date: date | None = None
    phase: str = text_field()
    status: str = text_field(MilestoneStatus.PLANNED)
    # The order within the phase, over every milestone of it (see migration 0006); clients read
    # a position computed over what their side sees (service.positions), never this key.
    sort_key: Decimal
