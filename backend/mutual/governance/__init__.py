"""Governance: disclosures and the decision log (issue 12).

Disclosures: `createDisclosure` makes a DRAFT version 1 (INTERNAL); `updateDisclosureDraft`,
`addDisclosureAttachment`; `submitDisclosureVersion` (IN_REVIEW); `publishDisclosureVersion` by a
second GOVERNANCE member or LEAD of the side (neither its author nor its submitter): SHARED, with
its content hash (hashing.py), and immutable in the database (migration 0015's trigger);
`createDisclosureVersion` starts the next DRAFT from it; `acknowledgeDisclosureVersion` is the
partner side's receipt (who, when, the hash).

Attachments are uploaded through GraphQL as base64 (`addDisclosureAttachment(input:
{versionId, filename, contentType, contentBase64})`): one request, CSRF-protected like every
mutation, at most storage.MAX_ATTACHMENT_BYTES (512 KiB, so that the encoded file fits the
request body limit of 1 MiB), of a content type from storage.ALLOWED_TYPES that the bytes must
match; the sha256 is computed on the server. The bytes live behind storage.FileStore, whose one
implementation keeps them in PostgreSQL (`disclosure_file`); a file is read back through
`DisclosureAttachment.contentBase64`.

Decisions: `proposeDecision`, `nameDecisionApprovers`, `approveDecision` / `rejectDecision`.
"""
