"""Error codes of the commitments domain (GraphQL enum CommitmentErrorCode)."""

from __future__ import annotations

import enum


class CommitmentErrorCode(enum.StrEnum):
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    INVALID = "INVALID"
    FORBIDDEN = "FORBIDDEN"
    ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"
    WRONG_SIDE = "WRONG_SIDE"
    EVIDENCE_REQUIRED = "EVIDENCE_REQUIRED"
    REASON_REQUIRED = "REASON_REQUIRED"
    RENEGOTIATION_PENDING = "RENEGOTIATION_PENDING"
    NO_RENEGOTIATION = "NO_RENEGOTIATION"
    DUE_DATE_IN_PAST = "DUE_DATE_IN_PAST"
