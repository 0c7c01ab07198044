"""Two-sided commitments: the other side accepts and confirms; the owner delivers."""

from __future__ import annotations

from typing import Any

from tests.commitments.factories import mutate, propose
from tests.helpers import World, gql, login

FIELDS = """
commitment { id status version dueDate viewerActions dueDates
             ownerParty { label } evidence { url title }
             history { action fromStatus toStatus reason actorParty { label } } }
userErrors { field code message }
"""

PROPOSE = f"""
mutation($input: ProposeCommitmentInput!) {{ proposeCommitment(input: $input) {{ {FIELDS} }} }}
"""
ACCEPT = f"""
mutation($input: CommitmentActionInput!) {{ acceptCommitment(input: $input) {{ {FIELDS} }} }}
"""
START = f"""
mutation($input: CommitmentActionInput!) {{ startCommitment(input: $input) {{ {FIELDS} }} }}
"""
DELIVER = f"""
mutation($input: DeliverCommitmentInput!) {{ deliverCommitment(input: $input) {{ {FIELDS} }} }}
"""
CONFIRM = f"""
mutation($input: CommitmentActionInput!) {{ confirmCommitment(input: $input) {{ {FIELDS} }} }}
"""
DISPUTE = f"""
mutation($input: CommitmentActionInput!) {{ disputeCommitment(input: $input) {{ {FIELDS} }} }}
"""
RENEGOTIATE = f"""
mutation($input: RequestRenegotiationInput!) {{
  requestCommitmentRenegotiation(input: $input) {{ {FIELDS} }}
}}
"""
ACCEPT_RENEGOTIATION = f"""
mutation($input: CommitmentActionInput!) {{
  acceptCommitmentRenegotiation(input: $input) {{ {FIELDS} }}
}}
"""
RELIABILITY = """
query($id: ID!, $from: Date!, $to: Date!) {
  partnership(id: $id) {
    commitmentReliability(from: $from, to: $to) {
      party { label } due onTime onTimeRate missed renegotiations disputes
    }
  }
}
"""


async def test_propose_accept_deliver_confirm(make_client: Any, world: World) -> None:
    async with make_client() as northwind, make_client() as contoso:
        await login(northwind, "editor@northwind.example")
        await login(contoso, "lead@contoso.example")

        proposed = await mutate(
            northwind,
            PROPOSE,
            partnershipId=world.nc_id,
            title="Ship spare parts weekly",
            dueDate="2099-01-31",
        )
        c = proposed["commitment"]
        accepted = await mutate(contoso, ACCEPT, commitmentId=c["id"], expectedVersion=1)
        started = await mutate(northwind, START, commitmentId=c["id"], expectedVersion=2)
        delivered = await mutate(
            northwind,
            DELIVER,
            commitmentId=c["id"],
            expectedVersion=3,
            evidence=[{"url": "https://erp.example/shipments/1", "title": "Shipment log"}],
        )
        confirmed = await mutate(contoso, CONFIRM, commitmentId=c["id"], expectedVersion=4)

        assert proposed["userErrors"] == []
        assert c["status"] == "PROPOSED"
        assert c["ownerParty"]["label"] == "Supplier"
        assert c["viewerActions"] == []
        assert accepted["commitment"]["status"] == "AGREED"
        assert started["commitment"]["status"] == "IN_PROGRESS"
        assert delivered["commitment"]["status"] == "DELIVERED"
        assert delivered["commitment"]["evidence"] == [
            {"url": "https://erp.example/shipments/1", "title": "Shipment log"}
        ]
        assert confirmed["userErrors"] == []
        assert confirmed["commitment"]["status"] == "CONFIRMED"
        steps = [
            (h["action"], h["actorParty"]["label"]) for h in confirmed["commitment"]["history"]
        ]
        assert steps == [
            ("PROPOSE", "Supplier"),
            ("ACCEPT", "Customer"),
            ("START", "Supplier"),
            ("DELIVER", "Supplier"),
            ("CONFIRM", "Customer"),
        ]


async def test_wrong_side_and_illegal_transitions_change_nothing(
    make_client: Any, world: World
) -> None:
    async with make_client() as northwind, make_client() as contoso:
        await login(northwind, "lead@northwind.example")
        await login(contoso, "lead@contoso.example")
        c = await propose(northwind, world, "Fix QA", "2099-03-01")

        own_accept = await mutate(northwind, ACCEPT, commitmentId=c["id"], expectedVersion=1)
        early_confirm = await mutate(contoso, CONFIRM, commitmentId=c["id"], expectedVersion=1)
        await mutate(contoso, ACCEPT, commitmentId=c["id"], expectedVersion=1)
        no_evidence = await mutate(northwind, DELIVER, commitmentId=c["id"], expectedVersion=2)
        delivered = await mutate(
            northwind,
            DELIVER,
            commitmentId=c["id"],
            expectedVersion=2,
            evidence=[{"url": "https://qa.example/r/7", "title": "QA report"}],
        )
        own_confirm = await mutate(northwind, CONFIRM, commitmentId=c["id"], expectedVersion=3)
        no_reason = await mutate(contoso, DISPUTE, commitmentId=c["id"], expectedVersion=3)

        for result, code in (
            (own_accept, "WRONG_SIDE"),
            (early_confirm, "ILLEGAL_TRANSITION"),
            (no_evidence, "EVIDENCE_REQUIRED"),
            (own_confirm, "WRONG_SIDE"),
            (no_reason, "REASON_REQUIRED"),
        ):
            assert [e["code"] for e in result["userErrors"]] == [code]
            assert result["commitment"] is None
        assert delivered["commitment"]["status"] == "DELIVERED"
        assert delivered["commitment"]["version"] == 3
        assert len(delivered["commitment"]["history"]) == 3


async def test_dispute_redeliver_and_renegotiation_keep_every_date(
    make_client: Any, world: World
) -> None:
    async with make_client() as northwind, make_client() as contoso:
        await login(northwind, "lead@northwind.example")
        await login(contoso, "editor@contoso.example")
        c = await propose(northwind, world, "48h response", "2099-05-01")
        await mutate(contoso, ACCEPT, commitmentId=c["id"], expectedVersion=1)

        asked = await mutate(
            northwind,
            RENEGOTIATE,
            commitmentId=c["id"],
            expectedVersion=2,
            newDueDate="2099-06-01",
            reason="Supplier plant audit",
        )
        agreed = await mutate(
            contoso, ACCEPT_RENEGOTIATION, commitmentId=c["id"], expectedVersion=3
        )
        evidence = [{"url": "https://sla.example/1", "title": "SLA report"}]
        await mutate(northwind, DELIVER, commitmentId=c["id"], expectedVersion=4, evidence=evidence)
        disputed = await mutate(
            contoso,
            DISPUTE,
            commitmentId=c["id"],
            expectedVersion=5,
            reason="Two tickets took 70 hours",
        )
        redelivered = await mutate(northwind, DELIVER, commitmentId=c["id"], expectedVersion=6)

        assert asked["userErrors"] == []
        assert agreed["commitment"]["dueDate"] == "2099-06-01"
        assert agreed["commitment"]["dueDates"] == ["2099-05-01", "2099-06-01"]
        assert disputed["commitment"]["status"] == "DISPUTED"
        assert redelivered["userErrors"] == []
        assert redelivered["commitment"]["status"] == "DELIVERED"
        figures = await gql(
            northwind, RELIABILITY, {"id": world.nc_id, "from": "2000-01-01", "to": "2099-12-31"}
        )
        by_party = {
            f["party"]["label"]: f for f in figures["data"]["partnership"]["commitmentReliability"]
        }
        assert by_party["Supplier"]["renegotiations"] == 1
        assert by_party["Supplier"]["disputes"] == 1
        assert by_party["Supplier"]["due"] == 1
        assert by_party["Supplier"]["onTime"] == 0
        assert by_party["Customer"]["due"] == 0
        assert by_party["Customer"]["onTimeRate"] is None
