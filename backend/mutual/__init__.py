"""Mutual: the shared workspace of a B2B partnership."""
