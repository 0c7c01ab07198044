"""The content hash of a published version: sha256 over a canonical JSON of its content and its
attachments' hashes (sorted keys, no spaces, UTF-8), so anyone holding the text and the files
can recompute it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from mutual.governance.models import Disclosure, DisclosureAttachment, DisclosureVersion


def canonical_content(
    disclosure: Disclosure,
    version: DisclosureVersion,
    attachments: Sequence[DisclosureAttachment],
) -> bytes:
    document: dict[str, Any] = {
        "disclosure_id": str(disclosure.id),
        "type": str(disclosure.type),
        "number": version.number,
        "title": version.title,
        "body": version.body,
        "attachments": sorted(
            (
                {
                    "filename": a.filename,
                    "content_type": a.content_type,
                    "size": a.size,
                    "sha256": a.sha256,
                }
                for a in attachments
            ),
            key=lambda a: (a["filename"], a["sha256"]),
        ),
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_hash(
    disclosure: Disclosure,
    version: DisclosureVersion,
    attachments: Sequence[DisclosureAttachment],
) -> str:
    return hashlib.sha256(canonical_content(disclosure, version, attachments)).hexdigest()
