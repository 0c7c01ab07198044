"""Error codes of the governance domain (GraphQL enum GovernanceErrorCode)."""

from __future__ import annotations

import enum


class GovernanceErrorCode(enum.StrEnum):
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    INVALID = "INVALID"
    FORBIDDEN = "FORBIDDEN"
    # A published version (its text, its attachments) never changes.
    IMMUTABLE = "IMMUTABLE"
    # The step does not apply to the version or decision in its current state.
    WRONG_STATE = "WRONG_STATE"
    # Publishing needs a second person of the side: not the author nor the submitter.
    SAME_PERSON = "SAME_PERSON"
    # A receipt belongs to the partner side, never to the side that published.
    OWN_SIDE = "OWN_SIDE"
    SUPERSEDED = "SUPERSEDED"
    ALREADY_ACKNOWLEDGED = "ALREADY_ACKNOWLEDGED"
    DRAFT_EXISTS = "DRAFT_EXISTS"
    TOO_LARGE = "TOO_LARGE"
    REFUSED_TYPE = "REFUSED_TYPE"
    # The side has already given its verdict on the decision.
    ALREADY_DECIDED = "ALREADY_DECIDED"
    # A verdict for the other side's approval.
    OTHER_SIDE = "OTHER_SIDE"
    NOT_APPROVER = "NOT_APPROVER"
