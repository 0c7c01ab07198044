"""The feedback list with its clocks, comments, history and sides takes the same number of SQL
statements for a partnership with 4 items as with 80: loaders, not a query per item."""

from __future__ import annotations

import uuid

import asyncpg

from mutual.db import counting
from tests.commitments.factories import ClientFactory, both_sides
from tests.feedback.factories import submit
from tests.helpers import World, gql

LIST = """
query($id: ID!) { partnership(id: $id) { feedback(first: 100) { totalCount nodes {
  id title status severity category dueAt submittedByUs viewerActions businessHours
  submittedByParty { label } receivingParty { label } submittedBy { displayName }
  firstResponseClock { targetSeconds elapsedSeconds remainingSeconds dueAt paused atRisk breached }
  resolutionClock { targetSeconds elapsedSeconds remainingSeconds dueAt paused atRisk breached }
  comments { body internal authorParty { label } author { displayName } }
  history { action toStatus actorParty { label } actor { displayName } } } } } }
"""


async def fill(
    owner: asyncpg.Connection, partnership_id: uuid.UUID, submitter: uuid.UUID, count: int
) -> None:
    """`count` open items like the first one (its clocks and calendar), each with a shared
    comment, an internal note and its submission step."""
    await owner.execute(
        """
        WITH template AS (SELECT * FROM feedback WHERE partnership_id = $1 LIMIT 1),
        made AS (
            INSERT INTO feedback (partnership_id, title, body, category, severity, status,
                receiving_party_id, owner_party_id, visibility, created_by, calendar,
                fr_target_s, fr_running_since, fr_risk_at, fr_due_at,
                res_target_s, res_running_since, res_risk_at, res_due_at, due_at, alarm_at)
            SELECT t.partnership_id, 'Item ' || n, 'Body', 'QUALITY',
                (ARRAY['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'])[1 + n % 4], 'SUBMITTED',
                t.receiving_party_id, t.owner_party_id, 'SHARED', $2, t.calendar,
                t.fr_target_s, t.fr_running_since - n * interval '1 hour',
                t.fr_risk_at, t.fr_due_at + n * interval '1 minute',
                t.res_target_s, t.res_running_since, t.res_risk_at, t.res_due_at,
                t.due_at + n * interval '1 minute', t.alarm_at
            FROM template t, generate_series(1, $3) AS n
            RETURNING partnership_id, id, owner_party_id, receiving_party_id
        ), shared AS (
            INSERT INTO feedback_comment (partnership_id, feedback_id, body, author_user_id,
                                          owner_party_id, visibility)
            SELECT partnership_id, id, 'Seen', $2, owner_party_id, 'SHARED' FROM made
            RETURNING 1
        ), notes AS (
            INSERT INTO feedback_comment (partnership_id, feedback_id, body, owner_party_id,
                                          visibility)
            SELECT partnership_id, id, 'Ours', receiving_party_id, 'INTERNAL' FROM made
            RETURNING 1
        )
        INSERT INTO feedback_transition (partnership_id, feedback_id, action, to_status,
            actor_user_id, actor_party_id, owner_party_id, visibility)
        SELECT partnership_id, id, 'SUBMIT', 'SUBMITTED', $2, owner_party_id, owner_party_id,
               'SHARED' FROM made
        """,
        partnership_id,
        submitter,
        count,
    )


async def test_the_list_with_clocks_takes_the_same_statements_at_two_sizes(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        await submit(contoso, world, "First")
        submitter = world.user_id("editor@contoso.example")
        counted = {}
        total = 1
        for more in (3, 76):
            await fill(owner, world.northwind_contoso.id, submitter, more)
            total += more
            for side, client in (("northwind", northwind), ("contoso", contoso)):
                async with counting() as counter:
                    body = await gql(client, LIST, {"id": world.nc_id})
                page = body["data"]["partnership"]["feedback"]
                assert page["totalCount"] == total
                assert sum(1 for n in page["nodes"] if n["comments"]) == total - 1
                counted[(side, total)] = counter.statements

    assert len(counted[("northwind", 4)]) == len(counted[("northwind", 80)])
    assert len(counted[("contoso", 4)]) == len(counted[("contoso", 80)])
    assert len(counted[("northwind", 80)]) <= 8, counted[("northwind", 80)]
