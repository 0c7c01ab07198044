"""Error codes of the notify domain (GraphQL enum NotifyErrorCode)."""

from __future__ import annotations

import enum


class NotifyErrorCode(enum.StrEnum):
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    INVALID = "INVALID"
    FORBIDDEN = "FORBIDDEN"
    # A notification preference for a kind no domain sends.
    UNKNOWN_KIND = "UNKNOWN_KIND"
    # A webhook URL that is not http(s), has no host, or does not resolve.
    INVALID_URL = "INVALID_URL"
    # A webhook URL resolving to a private, loopback, link-local or reserved address (SSRF).
    PRIVATE_ADDRESS = "PRIVATE_ADDRESS"
    # Sending a test event to a disabled endpoint.
    ENDPOINT_DISABLED = "ENDPOINT_DISABLED"
