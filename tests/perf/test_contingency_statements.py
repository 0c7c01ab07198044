"""The contingency plans (with every version, its approvals) and the activations (with their
steps, timeline, plan and version) take the same number of SQL statements for 3 or for 30 of
each: one statement per kind of record, never one per row."""

from __future__ import annotations

import asyncpg

from mutual.db import counting
from tests.commitments.factories import ClientFactory, signed_in
from tests.helpers import World, gql

READ = """
query($id: ID!) { partnership(id: $id) {
  contingencyPlans { id title ownerParty { label } inForce { number }
    latest { number status approvedByYourSide }
    versions { id number status severity triggers { source } steps { title ownerParty { label } }
      cadence { minutes } approvals { party { label } approvedAt } } }
  activations { id drill status updateOverdue plan { title } planVersion { number }
    steps { title late ownerParty { label } } timeline { kind body actorParty { label } }
    postMortem { summary followUps { title } } }
} }
"""

FILL = """
WITH sides AS (
  SELECT p.id AS party, o.slug,
         (SELECT m.user_id FROM workspace_member m WHERE m.party_id = p.id AND m.role = 'LEAD')
           AS lead
  FROM party p JOIN organization o ON o.id = p.organization_id WHERE p.partnership_id = $1
), nw AS (SELECT * FROM sides WHERE slug = 'northwind'),
   co AS (SELECT * FROM sides WHERE slug = 'contoso'),
plans AS (
  INSERT INTO contingency_plan (partnership_id, id, title, owner_party_id, visibility,
                                latest_number)
  SELECT $1, gen_random_uuid(), 'Plan ' || n, nw.party, 'SHARED', 2
  FROM generate_series($2::int, $3::int) n, nw RETURNING id
), versions AS (
  INSERT INTO contingency_plan_version (partnership_id, id, plan_id, number, status, severity,
                                        content)
  SELECT $1, gen_random_uuid(), plans.id, k, CASE k WHEN 1 THEN 'APPROVED' ELSE 'DRAFT' END,
         'HIGH', jsonb_build_object(
           'triggers', jsonb_build_array(jsonb_build_object('kind', 'DETECTOR',
                                                            'source', 'detector.x')),
           'steps', jsonb_build_array(jsonb_build_object('title', 'Call', 'ownerPartyId',
             nw.party, 'role', 'LEAD', 'actWithinMinutes', 60)),
           'cadence', jsonb_build_object('HIGH', 240))
  FROM plans, nw, generate_series(1, 2) k RETURNING id, plan_id, number
), approvals AS (
  INSERT INTO contingency_approval (partnership_id, version_id, party_id, user_id)
  SELECT $1, v.id, s.party, s.lead FROM versions v, sides s WHERE v.number = 1 RETURNING id
), activations AS (
  INSERT INTO contingency_activation (partnership_id, id, plan_id, version_id, source, episode,
    status, severity, owner_party_id, visibility, postmortem)
  SELECT $1, gen_random_uuid(), v.plan_id, v.id, 'manual', v.id::text, 'CLOSED', 'HIGH',
         nw.party, 'SHARED', '{"summary": "done", "rootCauses": [], "commitmentIds": []}'
  FROM versions v, nw WHERE v.number = 1 RETURNING id
), steps AS (
  INSERT INTO contingency_step (partnership_id, activation_id, position, title, owner_party_id,
    role, act_within_minutes, due_at)
  SELECT $1, a.id, k, 'Step ' || k, s.party, 'LEAD', 60, now()
  FROM activations a, generate_series(1, 2) k
  JOIN sides s ON s.slug = CASE k WHEN 1 THEN 'northwind' ELSE 'contoso' END RETURNING id
)
INSERT INTO contingency_entry (partnership_id, activation_id, kind, body, actor_party_id)
SELECT $1, a.id, 'UPDATE', 'Update', co.party FROM activations a, co
"""
# A plan's version in force (a row of the same statement cannot be updated by it).
IN_FORCE = """
UPDATE contingency_plan c SET in_force_version_id = v.id FROM contingency_plan_version v
WHERE c.partnership_id = $1 AND v.partnership_id = $1 AND c.id = v.plan_id AND v.number = 1
"""


async def test_contingency_reads_take_the_same_statements_at_any_size(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    counted: dict[int, int] = {}
    async with signed_in(make_client, owner, world, "viewer@contoso.example") as contoso:
        for size, start, total in ((3, 1, 3), (30, 4, 33)):
            # given `size` more plans of two versions, each activated once
            await owner.execute(FILL, world.northwind_contoso.id, start, start + size - 1)
            await owner.execute(IN_FORCE, world.northwind_contoso.id)

            # when Contoso reads them all
            async with counting() as counter:
                body = await gql(contoso, READ, {"id": world.nc_id})
            counted[size] = len(counter.statements)

            # then every one is there, with its parts
            data = body["data"]["partnership"]
            assert len(data["contingencyPlans"]) == total
            assert all(len(p["versions"]) == 2 for p in data["contingencyPlans"])
            assert all(p["inForce"] == {"number": 1} for p in data["contingencyPlans"])
            assert all(len(p["versions"][1]["approvals"]) == 2 for p in data["contingencyPlans"])
            assert len(data["activations"]) == total
            assert all(len(a["steps"]) == 2 for a in data["activations"])
            assert all(len(a["timeline"]) == 1 for a in data["activations"])

    assert counted[3] == counted[30], counted
    # identity, the workspace, the plans, their versions, their approvals, the activations,
    # their plan versions, steps, timelines (the plans are primed by the list)
    assert counted[30] == 9, counted
