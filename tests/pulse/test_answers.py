"""Rounds opened by the worker, answered once per member within range, and never shown back
by any path: results are aggregates, none below 3 respondents; comments come back as text only,
sorted, once the round is closed and only from 3 respondents of the side; the answer table is
readable by its author only; the audit trail names who answered, never what."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import asyncpg
import pytest

from mutual.config import REPO_ROOT, Settings
from mutual.db import Database
from mutual.kit.clock import stopped_at, utcnow
from mutual.pulse import tasks
from tests.commitments.factories import (
    ClientFactory,
    both_sides,
    only_error,
    only_record,
    signed_in,
)
from tests.feedback.factories import raw_id, recorded_notices
from tests.helpers import World, gql
from tests.pulse.factories import agree, answer, by_rating, open_round, run_task, surveys

ANSWERS = {
    "northwind": [(10, 5, 4, 5), (9, 4, 4, 4), (6, 3, 2, 4)],
    "contoso": [(3, 2, 2, 3), (8, 3, 3, 3)],
}
# In the order given (lead, editor, governance): shown sorted by their text, the empty one not.
COMMENTS = {"northwind": ["Much better calls.", "", "Answers came late."], "contoso": ["Slow."] * 2}
CLOSE = """
UPDATE pulse_round SET opens_at = now() - interval '20 days', closes_at = now() - interval '1 day'
WHERE id = $1
"""


async def _opened(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World, db: Database, s: Settings
) -> str:
    async with both_sides(make_client, owner, world, northwind="lead", contoso="lead") as (n, c):
        await agree(n, c, world)
    sent = await open_round(db, s)
    assert sorted(x.party_id for x in sent) == sorted(
        world.parties[("nc", side)].id for side in ("northwind", "contoso")
    )
    assert {x.kind for x in sent} == {"pulse.opened"}
    # a second run (another worker, the next hour) opens nothing more
    assert await open_round(db, s) == []
    async with signed_in(make_client, owner, world, "viewer@contoso.example") as viewer:
        (round_,) = (await surveys(viewer, world))["rounds"]
    assert round_["isOpen"] and round_["answeredByMe"] is False
    assert round_["question"] == "How likely are you to recommend working with Supplier?"
    return str(round_["id"])


async def test_results_are_aggregates_and_none_below_three_respondents(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    app_database: Database,
    settings: Settings,
) -> None:
    round_id = await _opened(make_client, owner, world, app_database, settings)
    roles = ("lead", "editor", "governance")
    for side, given in ANSWERS.items():
        for role, (nps, t, c, i), comment in zip(roles, given, COMMENTS[side], strict=False):
            async with signed_in(make_client, owner, world, f"{role}@{side}.example") as client:
                payload = await answer(
                    client,
                    round_id,
                    nps=nps,
                    transparency=t,
                    consistency=c,
                    interaction=i,
                    comment=comment,
                )
                assert only_record(payload, "round")["answeredByMe"] is True
                # while the round is open, no comment at all (a new one would stand out)
                assert all(r["comments"] == [] for r in only_record(payload, "round")["results"])

    async with signed_in(make_client, owner, world, "viewer@contoso.example") as viewer:
        (round_,) = (await surveys(viewer, world))["rounds"]
    results = by_rating(round_["results"])
    # Northwind (Supplier) rated Contoso: 3 answers, promoters 10 and 9, a detractor 6
    supplier = results["Supplier"]
    assert supplier["ratedParty"] == {"label": "Customer"}
    assert supplier["shown"] is True and supplier["respondents"] == 3
    assert supplier["nps"] == pytest.approx(33.3)
    assert supplier["transparency"] == pytest.approx(4.0)
    assert supplier["consistency"] == pytest.approx(3.33)
    assert supplier["interaction"] == pytest.approx(4.33)
    assert supplier["members"] == 4 and supplier["responseRate"] == pytest.approx(0.75)
    # Contoso: only 2 answered, so no figure at all, not even the count
    customer = results["Customer"]
    assert customer["shown"] is False
    assert [customer[k] for k in ("respondents", "nps", "transparency", "responseRate")] == [
        None,
        None,
        None,
        None,
    ]

    # once the round is closed: Northwind's comments, as text sorted by it; none of Contoso's two
    await owner.execute(CLOSE, raw_id(round_id))
    async with signed_in(make_client, owner, world, "viewer@contoso.example") as viewer:
        (round_,) = (await surveys(viewer, world))["rounds"]
    results = by_rating(round_["results"])
    assert results["Supplier"]["comments"] == ["Answers came late.", "Much better calls."]
    assert results["Customer"]["comments"] == []


async def test_bad_answers_change_nothing(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    app_database: Database,
    settings: Settings,
) -> None:
    round_id = await _opened(make_client, owner, world, app_database, settings)
    async with signed_in(make_client, owner, world, "editor@contoso.example") as client:
        for field, value in (
            ("nps", 11),
            ("nps", -1),
            ("transparency", 0),
            ("consistency", 6),
            ("interaction", 0),
        ):
            error = only_error(await answer(client, round_id, **{field: value}), "round")
            assert (error["code"], error["field"]) == ("OUT_OF_RANGE", field)
        too_long = only_error(await answer(client, round_id, comment="x" * 2001), "round")
        assert too_long["code"] == "TOO_LONG"
        assert await owner.fetchval("SELECT count(*) FROM pulse_answer") == 0

        only_record(await answer(client, round_id), "round")
        twice = only_error(await answer(client, round_id, nps=0), "round")
        assert twice["code"] == "ALREADY_ANSWERED"
        assert await owner.fetchval("SELECT count(*) FROM pulse_answer") == 1
        assert await owner.fetchval("SELECT nps FROM pulse_answer") == 9

        # after the round closes, no more answers
        with stopped_at(utcnow() + timedelta(days=15)):
            async with signed_in(make_client, owner, world, "lead@contoso.example") as late:
                closed = only_error(await answer(late, round_id), "round")
        assert closed["code"] == "ROUND_CLOSED"
    # an outsider cannot answer (nor see) it
    async with signed_in(make_client, owner, world, "admin@fabrikam.example") as outsider:
        assert only_error(await answer(outsider, round_id), "round")["code"] == "NOT_FOUND"
        body = await gql(
            outsider,
            "query($id: ID!) { node(id: $id) { id } }",
            {"id": round_id},
            expect_errors=True,
        )
        assert body["data"]["node"] is None
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert await owner.fetchval("SELECT count(*) FROM pulse_answer") == 1


async def test_no_path_reads_an_individual_answer(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    app_conn: asyncpg.Connection,
    world: World,
    app_database: Database,
    settings: Settings,
) -> None:
    round_id = await _opened(make_client, owner, world, app_database, settings)
    author = "editor@contoso.example"
    with recorded_notices() as sent:
        async with signed_in(make_client, owner, world, author) as client:
            only_record(await answer(client, round_id, comment="SECRET-COMMENT", nps=2), "round")
    # no notice tells of an answer
    assert sent == []

    # the audit trail: who answered, on their side's trail only, never a value
    row = await owner.fetchrow(
        "SELECT changes, visibility FROM audit_event WHERE action = 'pulse_round.answered'"
    )
    assert json.loads(row["changes"]) == {} and row["visibility"] == "INTERNAL"
    assert "SECRET" not in await owner.fetchval(
        "SELECT string_agg(changes::text, '') FROM audit_event"
    )

    # the API has no type that holds an answer
    sdl = (REPO_ROOT / "schema" / "schema.graphql").read_text()
    assert "PulseAnswer" not in sdl
    assert "comment" not in sdl.split("type PulseRound ")[1].split("}")[0]
    # a side's comments are bare strings beside its aggregates: nothing names an author
    side_result = sdl.split("type PulseSideResult ")[1].split("}")[0]
    assert "comments: [String!]!" in side_result
    assert not {"user", "author", "answeredAt", "answers"} & set(side_result.split())

    # row-level security: a teammate, or the other side, reads no answer; the author only theirs
    async def visible(email: str) -> int:
        async with app_conn.transaction():
            await app_conn.execute(
                "SELECT set_config('mutual.user_id', $1, true)", str(world.user_id(email))
            )
            count: int = await app_conn.fetchval("SELECT count(*) FROM pulse_answer")
            return count

    assert await visible("lead@contoso.example") == 0
    assert await visible("lead@northwind.example") == 0
    assert await visible(author) == 1
    # no identity (the worker's role) reads none either
    assert await app_conn.fetchval("SELECT count(*) FROM pulse_answer") == 0
    # and no one may change or remove an answer
    for statement in ("UPDATE pulse_answer SET nps = 10", "DELETE FROM pulse_answer"):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            async with app_conn.transaction():
                await app_conn.execute(
                    "SELECT set_config('mutual.user_id', $1, true)", str(world.user_id(author))
                )
                await app_conn.execute(statement)

    # the aggregate function: nothing for a partnership the caller cannot enter, and no figure
    # below 3 respondents for those who can
    rid = raw_id(round_id)
    async with app_conn.transaction():
        await app_conn.execute(
            "SELECT set_config('mutual.user_id', $1, true)",
            str(world.user_id("admin@fabrikam.example")),
        )
        assert await app_conn.fetch("SELECT * FROM pulse_results($1)", [rid]) == []
    async with app_conn.transaction():
        await app_conn.execute(
            "SELECT set_config('mutual.user_id', $1, true)", str(world.user_id(author))
        )
        rows = await app_conn.fetch("SELECT * FROM pulse_results($1)", [rid])
    assert len(rows) == 2 and all(r["nps"] is None and r["respondents"] is None for r in rows)

    # the comments' function: round, side and text only; nothing for an outsider, nothing for a
    # side below 3 respondents, even closed
    await owner.execute(CLOSE, rid)
    for email in ("admin@fabrikam.example", author):
        async with app_conn.transaction():
            await app_conn.execute(
                "SELECT set_config('mutual.user_id', $1, true)", str(world.user_id(email))
            )
            assert await app_conn.fetch("SELECT * FROM pulse_comments($1)", [rid]) == []
    columns = await owner.fetchval(
        "SELECT proargnames FROM pg_proc WHERE proname = 'pulse_comments'"
    )
    assert columns == ["p_rounds", "round_id", "rating_party_id", "comments"]


async def test_reminders_reach_only_those_who_have_not_answered(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    app_database: Database,
    settings: Settings,
) -> None:
    round_id = await _opened(make_client, owner, world, app_database, settings)
    async with signed_in(make_client, owner, world, "lead@contoso.example") as client:
        only_record(await answer(client, round_id), "round")
    # nothing in the first 3 days
    assert await run_task(tasks.remind_unanswered, app_database, settings) == []
    later = utcnow() + timedelta(days=4)
    sent = await run_task(tasks.remind_unanswered, app_database, settings, at=later)
    by_party = {n.party_id: set(n.user_ids) for n in sent}
    contoso = world.parties[("nc", "contoso")].id
    northwind = world.parties[("nc", "northwind")].id
    assert {n.kind for n in sent} == {"pulse.reminder"}
    assert by_party[contoso] == {
        world.user_id(f"{r}@contoso.example") for r in ("editor", "governance", "viewer")
    }
    assert len(by_party[northwind]) == 4
    # once a day: the same day's notices share their key
    assert len({n.dedupe_key for n in sent}) == 2
    # after the round closed, no reminder
    closed = utcnow() + timedelta(days=15)
    assert await run_task(tasks.remind_unanswered, app_database, settings, at=closed) == []


async def test_two_answers_at_once_record_one(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    app_database: Database,
    settings: Settings,
) -> None:
    round_id = await _opened(make_client, owner, world, app_database, settings)
    email = "governance@northwind.example"
    async with (
        signed_in(make_client, owner, world, email) as first,
        signed_in(make_client, owner, world, email) as second,
    ):
        answers = await asyncio.gather(answer(first, round_id, nps=1), answer(second, round_id))
    # one is recorded, the other refused with its code (never a 500)
    assert sorted(len(a["userErrors"]) for a in answers) == [0, 1]
    refused = next(a for a in answers if a["userErrors"])
    assert refused["userErrors"][0]["code"] == "ALREADY_ANSWERED"
    assert await owner.fetchval("SELECT count(*) FROM pulse_answer") == 1
    assert (
        await owner.fetchval(
            "SELECT count(*) FROM audit_event WHERE action = 'pulse_round.answered'"
        )
        == 1
    )
