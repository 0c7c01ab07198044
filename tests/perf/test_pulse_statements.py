"""The pulse surveys (cadences, rounds, each round's aggregates and comments and whether the
reader answered it) take the same number of SQL statements for 3 or for 30 rounds: one per kind
of record."""

from __future__ import annotations

import asyncpg

from mutual.db import counting
from tests.commitments.factories import ClientFactory, signed_in
from tests.helpers import World, gql

READ = """
query($id: ID!) { partnership(id: $id) { pulse(last: 40) {
  activeCadence { id everyDays } cadences { id status ownerParty { label } }
  rounds { id number isOpen answeredByMe question
           results { ratingParty { label } ratedParty { label } shown respondents nps
                     transparency consistency interaction responseRate comments } }
} } }
"""

FILL = """
WITH nw AS (
  SELECT p.id AS party FROM party p JOIN organization o ON o.id = p.organization_id
  WHERE p.partnership_id = $1 AND o.slug = 'northwind'
), cadence AS (
  INSERT INTO pulse_cadence (partnership_id, number, every_days, status, owner_party_id,
                             visibility, next_round_at)
  SELECT $1, coalesce((SELECT max(number) FROM pulse_cadence WHERE partnership_id = $1), 0) + 1,
         30, 'PROPOSED', nw.party, 'SHARED', NULL FROM nw
  RETURNING id
), rounds AS (
  INSERT INTO pulse_round (partnership_id, cadence_id, number, opens_at, closes_at)
  SELECT $1, cadence.id, n, now() - make_interval(days => 400 - n),
         now() - make_interval(days => 390 - n)
  FROM generate_series($2::int, $3::int) n, cadence
  RETURNING id
)
INSERT INTO pulse_answer (partnership_id, round_id, party_id, user_id, nps, transparency,
                          consistency, interaction, comment)
SELECT $1, r.id, m.party_id, m.user_id, 8, 4, 3, 4, 'Said by ' || m.role
FROM rounds r JOIN workspace_member m ON m.partnership_id = $1 AND m.role <> 'VIEWER'
"""


async def test_pulse_reads_take_the_same_statements_at_any_size(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    counted: dict[int, int] = {}
    async with signed_in(make_client, owner, world, "editor@contoso.example") as contoso:
        for size, start in ((3, 1), (30, 4)):
            # given `size` closed rounds, each answered by three people of each side
            await owner.execute(FILL, world.northwind_contoso.id, start, start + size - 1)
            total = start + size - 1

            # when Contoso reads the surveys
            async with counting() as counter:
                body = await gql(contoso, READ, {"id": world.nc_id})
            counted[size] = len(counter.statements)

            # then every round is there with both sides' figures
            rounds = body["data"]["partnership"]["pulse"]["rounds"]
            assert len(rounds) == total
            assert all(r["answeredByMe"] for r in rounds)
            assert all(s["shown"] and s["nps"] == 0 for r in rounds for s in r["results"])
            assert all(
                s["comments"] == ["Said by EDITOR", "Said by GOVERNANCE", "Said by LEAD"]
                for r in rounds
                for s in r["results"]
            )

    assert counted[3] == counted[30], counted
    # identity, the workspace, the rounds, the cadences, the results, the comments, the reader's
    # answers
    assert counted[30] == 7, counted
