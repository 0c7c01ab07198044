"""Pulse surveys: each side rates the other, on a cadence both LEADs agree on."""
