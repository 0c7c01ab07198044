"""Plans approved by both sides' LEADs, activated by a detector's firing once per episode (never
an unapproved plan), worked through in the activation room and closed with a post-mortem."""

from __future__ import annotations

from uuid import uuid4

import asyncpg
from sqlalchemy.engine import URL

from bench.generate import Shape
from mutual.graphql.ids import to_global_id
from tests.commitments.factories import ClientFactory, signed_in
from tests.contingency.factories import (
    ACTIVATE,
    ACTIVATIONS,
    APPROVE,
    CLOSE,
    COMPLETE,
    CREATE,
    DETECTOR,
    ESCALATE,
    REVISE,
    SUBMIT,
    UPDATE,
    approved,
    codes,
    content,
    draft,
    fire,
    mutate,
    ok,
    party_gid,
    recorded_notices,
)
from tests.helpers import World, error_codes, fill_shape, gql

LEADS = ("lead@northwind.example", "lead@contoso.example")


async def _counts(owner: asyncpg.Connection) -> dict[str, int]:
    row = await owner.fetchrow(
        "SELECT (SELECT count(*) FROM contingency_approval) AS approvals,"
        " (SELECT count(*) FROM contingency_activation) AS activations,"
        " (SELECT count(*) FROM contingency_entry) AS entries,"
        " (SELECT count(*) FROM audit_event) AS audit"
    )
    assert row is not None
    return dict(row)


async def test_both_leads_approve_and_a_firing_activates_the_plan_once_per_episode(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World, app_database_url: URL
) -> None:
    async with (
        signed_in(make_client, owner, world, LEADS[0]) as northwind,
        signed_in(make_client, owner, world, LEADS[1]) as contoso,
    ):
        # given a plan submitted for approval and approved by northwind's LEAD
        plan = await draft(northwind, world)
        version = plan["latest"]["id"]
        assert plan["latest"]["status"] == "DRAFT" and plan["inForce"] is None
        ok(await mutate(northwind, SUBMIT, id=version), "plan")
        half = ok(await mutate(northwind, APPROVE, input={"planVersionId": version}), "plan")
        assert half["latest"]["status"] == "PENDING_APPROVAL" and half["inForce"] is None
        before = await _counts(owner)

        # when northwind approves again, or for contoso's side
        twice = await mutate(northwind, APPROVE, input={"planVersionId": version})
        other = await mutate(
            northwind,
            APPROVE,
            input={"planVersionId": version, "partyId": party_gid(world, "contoso")},
        )
        # then each is refused with its code and nothing changed
        assert codes(twice) == ["ALREADY_APPROVED"] and twice["plan"] is None
        assert codes(other) == ["WRONG_SIDE"] and other["plan"] is None
        assert await _counts(owner) == before

        # when contoso's LEAD approves, the version is in force
        done = ok(await mutate(contoso, APPROVE, input={"planVersionId": version}), "plan")
        assert done["inForce"] == {"id": version, "number": 1, "status": "APPROVED"}
        again = await mutate(contoso, APPROVE, input={"planVersionId": version})
        assert codes(again) == ["ALREADY_APPROVED"]

        # when the detector fires (as the worker, no identity), twice in one episode
        with recorded_notices() as sent:
            for _ in range(2):
                await fire(
                    app_database_url,
                    world.northwind_contoso.id,
                    source=f"detector.{DETECTOR}",
                    episode="2026-12-01T08:00:00Z",
                )
            await fire(
                app_database_url,
                world.northwind_contoso.id,
                source="detector.communication_declining",
                episode="2026-12-01T08:00:00Z",
            )

        # then one activation, seen by both sides, told to both sides
        for client in (northwind, contoso):
            body = await gql(client, ACTIVATIONS, {"id": world.nc_id})
            activations = body["data"]["partnership"]["activations"]
            assert [(a["source"], a["status"], a["drill"]) for a in activations] == [
                (f"detector.{DETECTOR}", "ACTIVE", False)
            ]
            assert [s["title"] for s in activations[0]["steps"]] == [
                "Call the partner",
                "Confirm the impact",
            ]
        assert sorted((n.kind, n.party_id) for n in sent) == sorted(
            ("contingency.activated", world.parties[("nc", org)].id)
            for org in ("northwind", "contoso")
        )
        inboxes = await owner.fetchval(
            "SELECT count(*) FROM inbox_item i JOIN notice n ON n.id = i.notice_id"
            " WHERE n.kind = 'contingency.activated'"
        )
        assert inboxes >= 2

        # and a later episode activates it again
        await fire(
            app_database_url,
            world.northwind_contoso.id,
            source=f"detector.{DETECTOR}",
            episode="2026-12-08T08:00:00Z",
        )
        body = await gql(northwind, ACTIVATIONS, {"id": world.nc_id})
        assert len(body["data"]["partnership"]["activations"]) == 2


async def test_an_unapproved_plan_is_never_activated_and_a_revision_leaves_the_approved_in_force(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World, app_database_url: URL
) -> None:
    async with (
        signed_in(make_client, owner, world, LEADS[0]) as northwind,
        signed_in(make_client, owner, world, LEADS[1]) as contoso,
    ):
        # given a plan approved by one side only
        plan = await draft(northwind, world)
        ok(await mutate(northwind, SUBMIT, id=plan["latest"]["id"]), "plan")
        ok(await mutate(northwind, APPROVE, input={"planVersionId": plan["latest"]["id"]}), "plan")
        # when its detector fires, or someone activates it by hand
        await fire(
            app_database_url, world.northwind_contoso.id, source=f"detector.{DETECTOR}", episode="a"
        )
        by_hand = await mutate(northwind, ACTIVATE, input={"planId": plan["id"]})
        # then nothing is activated
        assert codes(by_hand) == ["NOT_APPROVED"]
        assert await owner.fetchval("SELECT count(*) FROM contingency_activation") == 0

        # given another plan approved by both, then revised (a new draft)
        live = await approved(northwind, contoso, world)
        revised = ok(
            await mutate(
                northwind,
                REVISE,
                input={"planId": live["id"], "content": content(world, detector="other_one")},
            ),
            "plan",
        )
        assert revised["latest"]["number"] == 2 and revised["latest"]["status"] == "DRAFT"
        assert revised["inForce"]["number"] == 1
        # when the new draft's detector fires: nothing; the in-force one's: its v1 activates
        await fire(
            app_database_url,
            world.northwind_contoso.id,
            source="detector.other_one",
            episode="b",
        )
        assert await owner.fetchval("SELECT count(*) FROM contingency_activation") == 0
        await fire(
            app_database_url, world.northwind_contoso.id, source=f"detector.{DETECTOR}", episode="b"
        )
        rows = await owner.fetch(
            "SELECT a.plan_id, v.number FROM contingency_activation a "
            "JOIN contingency_plan_version v ON v.id = a.version_id"
        )
        assert [r["number"] for r in rows] == [1]


async def test_the_room_steps_by_their_side_updates_escalation_and_a_post_mortem(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with (
        signed_in(make_client, owner, world, LEADS[0]) as northwind,
        signed_in(make_client, owner, world, LEADS[1]) as contoso,
    ):
        plan = await approved(northwind, contoso, world)
        with recorded_notices() as sent:
            room = ok(
                await mutate(northwind, ACTIVATE, input={"planId": plan["id"], "drill": True}),
                "activation",
            )
        assert room["drill"] is True and room["source"] == "drill"
        assert {n.kind for n in sent} == {"contingency.activated"} and len(sent) == 2
        nw_step, co_step = room["steps"]
        before = await owner.fetchval("SELECT count(*) FROM contingency_entry")

        # when contoso completes northwind's step: refused, nothing changed
        wrong = await mutate(contoso, COMPLETE, id=nw_step["id"])
        assert codes(wrong) == ["WRONG_SIDE"] and wrong["activation"] is None
        assert await owner.fetchval("SELECT count(*) FROM contingency_entry") == before

        # when each side completes its own, one posts an update, the other escalates
        ok(await mutate(northwind, COMPLETE, id=nw_step["id"]), "activation")
        twice = await mutate(northwind, COMPLETE, id=nw_step["id"])
        assert codes(twice) == ["ALREADY_DONE"]
        ok(await mutate(contoso, COMPLETE, id=co_step["id"]), "activation")
        ok(await mutate(northwind, UPDATE, id=room["id"], body="All lines listed."), "activation")
        with recorded_notices() as sent:
            up = ok(
                await mutate(contoso, ESCALATE, id=room["id"], reason="Stores affected"),
                "activation",
            )
        assert (up["severity"], up["escalationLevel"]) == ("CRITICAL", 1)
        assert [n.kind for n in sent] == ["contingency.escalated"] * 2

        # when closed with a post-mortem and a follow-up
        with recorded_notices() as sent:
            closed = ok(
                await mutate(
                    contoso,
                    CLOSE,
                    input={
                        "activationId": room["id"],
                        "summary": "Met together, fast.",
                        "rootCauses": ["Capacity not shared"],
                        "followUps": [
                            {
                                "title": "Share capacity weekly",
                                "dueDate": "2099-01-31",
                                "ownerPartyId": party_gid(world, "northwind"),
                            }
                        ],
                    },
                ),
                "activation",
            )

    # then the drill is scored, the follow-up is a commitment, the timeline tells it all
    assert closed["status"] == "CLOSED" and closed["score"] == 100
    assert closed["postMortem"] == {
        "summary": "Met together, fast.",
        "rootCauses": ["Capacity not shared"],
        "followUps": [{"title": "Share capacity weekly", "status": "PROPOSED"}],
    }
    assert [e["kind"] for e in closed["timeline"]] == [
        "ACTIVATED",
        "STEP_DONE",
        "STEP_DONE",
        "UPDATE",
        "ESCALATED",
        "CLOSED",
    ]
    assert {n.kind for n in sent} >= {"contingency.closed"}
    assert sorted(n.party_id for n in sent if n.kind == "contingency.closed") == sorted(
        world.parties[("nc", org)].id for org in ("northwind", "contoso")
    )
    actions = [
        r["action"]
        for r in await owner.fetch(
            "SELECT action FROM audit_event WHERE object_type = 'Activation' ORDER BY seq"
        )
    ]
    assert actions == [
        "activation.started",
        "activation.step_completed",
        "activation.step_completed",
        "activation.update_posted",
        "activation.escalated",
        "activation.closed",
    ]


async def test_the_timeline_is_append_only(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    app_conn: asyncpg.Connection,
) -> None:
    async with (
        signed_in(make_client, owner, world, LEADS[0]) as northwind,
        signed_in(make_client, owner, world, LEADS[1]) as contoso,
    ):
        plan = await approved(northwind, contoso, world)
        ok(await mutate(northwind, ACTIVATE, input={"planId": plan["id"]}), "activation")
    # the application role may not change or remove a line
    user = str(world.user_id(LEADS[0]))
    for statement in ("UPDATE contingency_entry SET body = 'x'", "DELETE FROM contingency_entry"):
        try:
            async with app_conn.transaction():
                await app_conn.execute("SELECT set_config('mutual.user_id', $1, true)", user)
                assert await app_conn.fetchval("SELECT count(*) FROM contingency_entry") == 1
                await app_conn.execute(statement)
        except asyncpg.InsufficientPrivilegeError:
            pass
        else:
            raise AssertionError(f"{statement} was allowed")
    assert await owner.fetchval("SELECT count(*) FROM contingency_entry WHERE body = 'x'") == 0


async def test_viewers_and_the_wrong_roles_cannot_approve_or_activate(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with (
        signed_in(make_client, owner, world, LEADS[0]) as northwind,
        signed_in(make_client, owner, world, "editor@contoso.example") as editor,
        signed_in(make_client, owner, world, "viewer@contoso.example") as viewer,
    ):
        plan = await draft(northwind, world)
        ok(await mutate(northwind, SUBMIT, id=plan["latest"]["id"]), "plan")
        as_editor = await mutate(editor, APPROVE, input={"planVersionId": plan["latest"]["id"]})
        as_viewer = await mutate(viewer, ACTIVATE, input={"planId": plan["id"]})
        bad_steps = await mutate(
            northwind,
            REVISE,
            input={"planId": plan["id"], "content": {**content(world), "steps": []}},
        )
    assert codes(as_editor) == ["FORBIDDEN"]
    assert codes(as_viewer) == ["FORBIDDEN"]
    assert codes(bad_steps) == ["INVALID"]
    assert await owner.fetchval("SELECT count(*) FROM contingency_approval") == 0
    assert await owner.fetchval("SELECT count(*) FROM contingency_plan_version") == 1


NODE = """query($id: ID!) { node(id: $id) { id ... on Activation { status } } }"""


async def test_outsiders_see_nothing_and_viewers_change_nothing_in_a_real_room(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with (
        signed_in(make_client, owner, world, LEADS[0]) as northwind,
        signed_in(make_client, owner, world, LEADS[1]) as contoso,
        signed_in(make_client, owner, world, "admin@fabrikam.example") as outsider,
        signed_in(make_client, owner, world, "viewer@contoso.example") as viewer,
    ):
        # given an active room of Northwind ↔ Contoso
        plan = await approved(northwind, contoso, world)
        room = ok(await mutate(northwind, ACTIVATE, input={"planId": plan["id"]}), "activation")
        co_step = room["steps"][1]["id"]
        before = await _counts(owner)
        calls = [
            (COMPLETE, {"id": co_step}),
            (UPDATE, {"id": room["id"], "body": "x"}),
            (ESCALATE, {"id": room["id"], "reason": "x"}),
            (CLOSE, {"input": {"activationId": room["id"], "summary": "x"}}),
            (ACTIVATE, {"input": {"planId": plan["id"]}}),
            (APPROVE, {"input": {"planVersionId": plan["latest"]["id"]}}),
        ]
        # when an outsider and a viewer try each
        seen = {}
        for who, client in (("outsider", outsider), ("viewer", viewer)):
            seen[who] = [codes(await mutate(client, doc, **variables)) for doc, variables in calls]
            body = await gql(client, NODE, {"id": room["id"]}, expect_errors=True)
            seen[f"{who} node"] = (body["data"]["node"], error_codes(body))

    # then the outsider finds nothing, the viewer is refused, and nothing changed
    assert seen["outsider"] == [["NOT_FOUND"]] * len(calls)
    assert seen["outsider node"] == (None, ["NOT_FOUND"])
    assert seen["viewer"] == [["FORBIDDEN"]] * len(calls)
    assert seen["viewer node"] == ({"id": room["id"], "status": "ACTIVE"}, [])
    assert await _counts(owner) == before


TRAIL = """query($id: ID!) { partnership(id: $id) { auditTrail(first: 50) { nodes {
  action objectType objectTitle } } } }"""


async def test_the_audit_trail_names_plans_and_activations(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with (
        signed_in(make_client, owner, world, LEADS[0]) as northwind,
        signed_in(make_client, owner, world, LEADS[1]) as contoso,
    ):
        plan = await approved(northwind, contoso, world)
        ok(
            await mutate(contoso, ACTIVATE, input={"planId": plan["id"], "drill": True}),
            "activation",
        )
        body = await gql(contoso, TRAIL, {"id": world.nc_id})
    events = [
        (e["action"], e["objectTitle"])
        for e in body["data"]["partnership"]["auditTrail"]["nodes"]
        if e["objectType"] in {"ContingencyPlan", "Activation"}
    ]
    assert events[0] == ("activation.started", "Drill: Commitments delayed")
    assert ("contingency_plan.created", "Commitments delayed") in events
    assert [a for a, _t in events].count("contingency_plan.approved") == 2


async def test_the_oversight_group_names_members_of_both_sides_only(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    members = [to_global_id("User", world.user_id(email)) for email in LEADS]
    stranger = to_global_id("User", world.user_id("admin@fabrikam.example"))
    doc = CREATE.replace("steps { title", "oversight { email } steps { title")
    async with signed_in(make_client, owner, world, LEADS[0]) as northwind:
        good = await mutate(
            northwind,
            doc,
            input={
                "partnershipId": world.nc_id,
                "title": "Overseen",
                "content": {**content(world), "oversightUserIds": members},
            },
        )
        bad = await mutate(
            northwind,
            doc,
            input={
                "partnershipId": world.nc_id,
                "title": "Overseen by a stranger",
                "content": {**content(world), "oversightUserIds": [*members, stranger]},
            },
        )
    oversight = ok(good, "plan")["versions"][0]["oversight"]
    assert sorted(u["email"] for u in oversight) == sorted(LEADS)
    assert codes(bad) == ["INVALID"] and bad["plan"] is None
    assert await owner.fetchval("SELECT count(*) FROM contingency_plan") == 1


async def test_bad_content_names_the_field_of_its_row_and_writes_nothing(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    good = content(world)
    step, trigger = good["steps"][1], good["triggers"][0]
    cases = {
        "steps[1].title": {"steps": [good["steps"][0], {**step, "title": " "}]},
        "steps[1].actWithinMinutes": {"steps": [good["steps"][0], {**step, "actWithinMinutes": 0}]},
        "steps[1].ownerPartyId": {
            "steps": [good["steps"][0], {**step, "ownerPartyId": to_global_id("Party", uuid4())}]
        },
        "triggers[1].windowDays": {
            "triggers": [trigger, {"kind": "SLA_BREACHES", "count": 3, "windowDays": 0}]
        },
        "triggers[1].riskId": {"triggers": [trigger, {"kind": "RISK_SCORE", "score": 12}]},
        "triggers[2].kpiId": {
            "triggers": [trigger, {"kind": "MANUAL"}, {"kind": "KPI_OFF_TRACK", "threshold": 80}]
        },
        "cadence.LOW": {"cadence": [{"severity": "LOW", "minutes": 1}]},
    }
    async with signed_in(make_client, owner, world, LEADS[0]) as northwind:
        for field, change in cases.items():
            payload = await mutate(
                northwind,
                CREATE,
                input={"partnershipId": world.nc_id, "title": "Bad", "content": {**good, **change}},
            )
            assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(field, "INVALID")]
            assert payload["plan"] is None
        # A KPI or risk that is not this partnership's (another's, or none at all): NOT_FOUND.
        await fill_shape(
            owner,
            world.fabrikam_contoso,
            Shape(milestones=0, commitments=0, kpis=1, measurements=1),
        )
        other_kpi = await owner.fetchval(
            "SELECT id FROM kpi WHERE partnership_id = $1", world.fabrikam_contoso.id
        )
        foreign = {
            "triggers[1].kpiId": {"kind": "KPI_OFF_TRACK", "kpiId": to_global_id("Kpi", other_kpi)},
            "triggers[1].riskId": {
                "kind": "RISK_SCORE", "riskId": to_global_id("Risk", uuid4()), "score": 12
            },
        }  # fmt: skip
        for field, wrong in foreign.items():
            payload = await mutate(
                northwind,
                CREATE,
                input={
                    "partnershipId": world.nc_id,
                    "title": "Bad",
                    "content": {**good, "triggers": [trigger, wrong]},
                },
            )
            assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
                (field, "NOT_FOUND")
            ]
    assert await owner.fetchval("SELECT count(*) FROM contingency_plan") == 0
