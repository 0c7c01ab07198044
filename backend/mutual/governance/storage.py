"""Attachment files behind a store interface (PostgreSQL is the store: `disclosure_file`), and the
checks every upload passes: a size limit, a content type from an allow list that the bytes must
match, and the sha256 the version's content hash is built from."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.governance import repository
from mutual.governance.errors import GovernanceErrorCode as Code
from mutual.kit.errors import DomainError, Invalid
from mutual.kit.records import Visibility

# Uploads travel base64-encoded inside a GraphQL request (at most 1 MiB): 512 KiB of file.
MAX_ATTACHMENT_BYTES = 512 * 1024


def _is_text(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# The types a disclosure may carry, each with the test its bytes must pass.
ALLOWED_TYPES = {
    "application/pdf": lambda c: c.startswith(b"%PDF-"),
    "image/png": lambda c: c.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": lambda c: c.startswith(b"\xff\xd8\xff"),
    "text/plain": _is_text,
    "text/markdown": _is_text,
    "text/csv": _is_text,
}


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    content: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def check_file(filename: str, content_type: str, content: bytes) -> CheckedFile:
    name = filename.strip()
    if not name or len(name) > 200 or any(c in name for c in "/\\\x00"):
        raise Invalid("Give a file name of 1 to 200 characters, without a path.", field="filename")
    if not content:
        raise Invalid("The file is empty.", field="content")
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise DomainError(
            Code.TOO_LARGE,
            f"The file is {len(content)} bytes; at most {MAX_ATTACHMENT_BYTES} are accepted.",
            field="content",
        )
    kind = content_type.strip().lower()
    sniff = ALLOWED_TYPES.get(kind)
    if sniff is None:
        allowed = ", ".join(sorted(ALLOWED_TYPES))
        raise DomainError(
            Code.REFUSED_TYPE,
            f"{content_type!r} is not accepted; use {allowed}.",
            field="contentType",
        )
    if not sniff(content):
        raise DomainError(
            Code.REFUSED_TYPE, f"The file's content is not {kind}.", field="contentType"
        )
    return CheckedFile(name, kind, content, hashlib.sha256(content).hexdigest())


class FileStore(Protocol):
    """Where attachment bytes live; the attachment rows keep name, type, size and sha256."""

    async def put(
        self,
        session: AsyncSession,
        *,
        partnership_id: uuid.UUID,
        owner_party_id: uuid.UUID,
        file: CheckedFile,
    ) -> uuid.UUID: ...

    async def read(
        self, session: AsyncSession, *, partnership_id: uuid.UUID, file_id: uuid.UUID
    ) -> bytes | None: ...

    async def publish(
        self, session: AsyncSession, *, partnership_id: uuid.UUID, file_ids: Sequence[uuid.UUID]
    ) -> None: ...

    async def discard(
        self, session: AsyncSession, *, partnership_id: uuid.UUID, file_id: uuid.UUID
    ) -> None:
        """Forget a draft's file once no attachment holds it; a published file stays."""
        ...


class PostgresFileStore:
    """Files as rows of `disclosure_file`: same transaction, same RLS, immutable once shared."""

    async def put(
        self,
        session: AsyncSession,
        *,
        partnership_id: uuid.UUID,
        owner_party_id: uuid.UUID,
        file: CheckedFile,
    ) -> uuid.UUID:
        return await repository.insert_file(
            session,
            partnership_id=partnership_id,
            owner_party_id=owner_party_id,
            visibility=Visibility.INTERNAL,
            sha256=file.sha256,
            size=file.size,
            content=file.content,
        )

    async def read(
        self, session: AsyncSession, *, partnership_id: uuid.UUID, file_id: uuid.UUID
    ) -> bytes | None:
        return await repository.file_content(session, partnership_id, file_id)

    async def publish(
        self, session: AsyncSession, *, partnership_id: uuid.UUID, file_ids: Sequence[uuid.UUID]
    ) -> None:
        await repository.share_files(session, partnership_id, file_ids)

    async def discard(
        self, session: AsyncSession, *, partnership_id: uuid.UUID, file_id: uuid.UUID
    ) -> None:
        await repository.delete_unused_file(session, partnership_id, file_id)


STORE: FileStore = PostgresFileStore()
