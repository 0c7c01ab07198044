"""Error codes of the feedback domain (GraphQL enum FeedbackErrorCode)."""

from __future__ import annotations

import enum


class FeedbackErrorCode(enum.StrEnum):
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    INVALID = "INVALID"
    FORBIDDEN = "FORBIDDEN"
    ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"
    WRONG_SIDE = "WRONG_SIDE"
    NOTE_REQUIRED = "NOTE_REQUIRED"
    REASON_REQUIRED = "REASON_REQUIRED"
    RATING_OUT_OF_RANGE = "RATING_OUT_OF_RANGE"
    TOO_LONG = "TOO_LONG"
    OWN_PROPOSAL = "OWN_PROPOSAL"
    POLICY_NOT_PROPOSED = "POLICY_NOT_PROPOSED"
