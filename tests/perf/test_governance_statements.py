"""The disclosures (with versions, attachments, receipts, diffs and people) and the decision log
(with each side's approvers and verdicts) take the same number of SQL statements for 3 or for
30 of each: one statement per kind of record, never one per row."""

from __future__ import annotations

import asyncpg

from mutual.db import counting
from tests.commitments.factories import ClientFactory, signed_in
from tests.helpers import World, gql

READ = """
query($id: ID!) { partnership(id: $id) {
  disclosures(first: 40) { totalCount nodes {
    id title type ownerParty { label }
    latestPublished { number }
    versions { number status contentHash publishedAt awaitingYourAcknowledgement
      supersededBeforeAcknowledgement diffFromPrevious { kind text }
      publishedBy { email } attachments { filename sha256 size }
      acknowledgement { contentHash acknowledgedBy { email } party { label } } } } }
  pendingAcknowledgements { id number }
  decisions(first: 40) { totalCount nodes {
    id title status overdue proposedBy { email }
    sides { party { label } canDecide namedApprovers { email }
            verdict { verdict comment by { email } } } } }
} }
"""

FILL = """
WITH sides AS (
  SELECT p.id AS party, (SELECT m.user_id FROM workspace_member m
                         WHERE m.party_id = p.id AND m.role = 'GOVERNANCE') AS gov,
         o.slug
  FROM party p JOIN organization o ON o.id = p.organization_id WHERE p.partnership_id = $1
), nw AS (SELECT * FROM sides WHERE slug = 'northwind'),
   co AS (SELECT * FROM sides WHERE slug = 'contoso'),
made AS (
  INSERT INTO disclosure (partnership_id, id, type, title, owner_party_id, visibility, created_by)
  SELECT $1, gen_random_uuid(), 'COMPLIANCE_POLICY', 'Policy ' || n, nw.party, 'SHARED', nw.gov
  FROM generate_series($2::int, $3::int) n, nw RETURNING id
), versions AS (
  INSERT INTO disclosure_version (partnership_id, disclosure_id, number, title, body, status,
    owner_party_id, visibility, created_by, published_by, published_at, content_hash)
  SELECT $1, made.id, k, 'Policy', 'line one' || chr(10) || 'version ' || k,
         CASE WHEN k < 3 THEN 'PUBLISHED' ELSE 'DRAFT' END, nw.party,
         CASE WHEN k < 3 THEN 'SHARED' ELSE 'INTERNAL' END, nw.gov,
         CASE WHEN k < 3 THEN nw.gov END, CASE WHEN k < 3 THEN now() END,
         CASE WHEN k < 3 THEN repeat('a', 64) END
  FROM made, nw, generate_series(1, 3) k RETURNING id, number, disclosure_id
), files AS (
  INSERT INTO disclosure_file (partnership_id, id, sha256, size, content, owner_party_id,
                               visibility)
  SELECT $1, v.id, repeat('b', 64), 4, 'data', nw.party, 'SHARED'
  FROM versions v, nw WHERE v.number = 1 RETURNING id
), attachments AS (
  INSERT INTO disclosure_attachment (partnership_id, version_id, file_id, filename, content_type,
    size, sha256, owner_party_id, visibility)
  SELECT $1, f.id, f.id, 'notes.txt', 'text/plain', 4, repeat('b', 64), nw.party, 'SHARED'
  FROM files f, nw RETURNING id
), acks AS (
  INSERT INTO disclosure_acknowledgement (partnership_id, version_id, disclosure_id,
    owner_party_id, user_id, content_hash, visibility)
  SELECT $1, v.id, v.disclosure_id, co.party, co.gov, repeat('a', 64), 'SHARED'
  FROM versions v, co WHERE v.number = 1 RETURNING id
), decisions AS (
  INSERT INTO decision (partnership_id, id, title, status, owner_party_id, visibility,
                        created_by, decide_by)
  SELECT $1, gen_random_uuid(), 'Decision ' || n, 'PROPOSED', nw.party, 'SHARED', nw.gov,
         current_date - 1
  FROM generate_series($2::int, $3::int) n, nw RETURNING id
), approvers AS (
  INSERT INTO decision_approver (partnership_id, decision_id, owner_party_id, user_id, visibility)
  SELECT $1, d.id, co.party, co.gov, 'SHARED' FROM decisions d, co RETURNING id
)
INSERT INTO decision_vote (partnership_id, decision_id, owner_party_id, user_id, verdict,
                           comment, visibility)
SELECT $1, d.id, nw.party, nw.gov, 'APPROVE', 'yes', 'SHARED' FROM decisions d, nw
"""


async def test_governance_reads_take_the_same_statements_at_any_size(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    counted: dict[int, int] = {}
    async with signed_in(make_client, owner, world, "governance@contoso.example") as contoso:
        for size, start in ((3, 1), (30, 4)):
            # given `size` disclosures of three versions and `size` decisions
            await owner.execute(FILL, world.northwind_contoso.id, start, size)

            # when Contoso reads them all
            async with counting() as counter:
                body = await gql(contoso, READ, {"id": world.nc_id})
            counted[size] = len(counter.statements)

            # then every one is there, with its parts
            data = body["data"]["partnership"]
            assert data["disclosures"]["totalCount"] == size
            assert all(len(d["versions"]) == 2 for d in data["disclosures"]["nodes"])
            first = data["disclosures"]["nodes"][0]["versions"][0]
            assert first["acknowledgement"]["acknowledgedBy"]["email"]
            assert first["attachments"][0]["filename"] == "notes.txt"
            assert len(data["pendingAcknowledgements"]) == size
            assert data["decisions"]["totalCount"] == size
            assert all(d["overdue"] for d in data["decisions"]["nodes"])

    assert counted[3] == counted[30], counted
    # identity, the workspace, the page of disclosures, their versions, attachments and
    # receipts, the pending ones, the page of decisions, their approvers and verdicts, and the
    # people (users, twice: a batch per wave of fields)
    assert counted[30] == 12, counted
