"""The 5x5 matrix: labels of each step, the score (likelihood x impact), its band, and how far
apart two cells are."""

from __future__ import annotations

from mutual.risks.models import RiskBand

LIKELIHOOD_LABELS = ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")
IMPACT_LABELS = ("Negligible", "Minor", "Moderate", "Major", "Severe")
STEPS = range(1, 6)


def band(score: int) -> RiskBand:
    """LOW 1-4, MEDIUM 5-9, HIGH 10-14, CRITICAL 15-25."""
    if score <= 4:
        return RiskBand.LOW
    if score <= 9:
        return RiskBand.MEDIUM
    if score <= 14:
        return RiskBand.HIGH
    return RiskBand.CRITICAL


def cells_apart(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Steps between two cells of the matrix, across and up (4x4 and 2x3 are 3 apart)."""
    return abs(a[0] - b[0]) + abs(a[1] - b[1])
