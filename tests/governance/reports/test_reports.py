"""Risk and compliance reports: a frozen, hashed snapshot of every domain's section, its PDF and
CSV downloads, the partner's acknowledgement, and verifying a copy against the record."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import timedelta

import asyncpg
import pytest
from pypdf import PdfReader, PdfWriter

from mutual.graphql.ids import to_global_id
from mutual.kit.clock import today
from tests.commitments.factories import (
    CONFIRM,
    ClientFactory,
    audit_count,
    both_sides,
    delivered,
    mutate,
    only_error,
    only_record,
    raw_id,
    signed_in,
    step,
)
from tests.governance.reports.factories import (
    ACKNOWLEDGE,
    GENERATE,
    LIST,
    detail,
    download,
    evidence,
    generate,
    recorded_notices,
    verify,
)
from tests.helpers import World, gql
from tests.risks.factories import ADD_ACTION, TREAT, UPDATE_ACTION, create_risk

NW_GOV = "governance@northwind.example"
CO_GOV = "governance@contoso.example"


def _section(snapshot: dict, key: str) -> dict:
    return next(s for s in snapshot["sections"] if s["key"] == key)


async def test_a_report_freezes_every_section_as_canonical_json_with_its_hash(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, NW_GOV) as northwind:
        # given shared and internal KPI evidence
        made = await evidence(make_client, owner, world)
        events_before = await audit_count(owner, world.northwind_contoso.id)
        head = await owner.fetchval(
            "SELECT hash FROM audit_event WHERE partnership_id = $1 AND visibility = 'SHARED' "
            "ORDER BY seq DESC LIMIT 1",
            world.northwind_contoso.id,
        )

        # when Northwind's governance member generates a report
        with recorded_notices() as sent:
            report = await generate(northwind, world)
        shown = await detail(northwind, report["id"])

    # then the snapshot is canonical JSON, hashed, with the audit chain's head of that moment
    content = shown["snapshot"].encode()
    snapshot = json.loads(content)
    assert content == json.dumps(
        snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")
    assert report["sha256"] == hashlib.sha256(content).hexdigest() == shown["sha256"]
    assert report["auditHeadHash"] == snapshot["auditHead"] == head
    assert snapshot["reportId"] == str(raw_id(report["id"]))
    assert report["ownerParty"] == {"label": "Supplier", "isOwn": True}
    # the KPI evidence holds the SHARED KPI's chain, never the INTERNAL one
    kpis = _section(snapshot, "kpi_evidence")["rows"]
    assert [k["kpi"] for k in kpis] == ["On-time delivery"]
    assert kpis[0]["baseline"] == "55" and kpis[0]["latest"] == "78.25"
    assert kpis[0]["target"] == "92"
    assert "margin" not in shown["snapshot"] and made["internal"]["id"] not in shown["snapshot"]
    # each side's commitment reliability
    sides = _section(snapshot, "commitment_reliability")["rows"]
    assert sorted(s["side"] for s in sides) == ["Customer", "Supplier"]
    # audited once, and Contoso's report people are told to acknowledge it
    assert await audit_count(owner, world.northwind_contoso.id) == events_before + 1
    action = await owner.fetchval(
        "SELECT action FROM audit_event WHERE object_id = $1", raw_id(report["id"])
    )
    assert action == "report.generated"
    assert [(n.kind, n.party_id) for n in sent] == [
        ("reports.published", world.parties[("nc", "contoso")].id)
    ]
    assert report["sha256"] in sent[0].body


async def test_the_pdf_prints_the_hash_on_every_page_carries_the_json_and_the_api_figures(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, NW_GOV) as northwind:
        await evidence(make_client, owner, world)
        report = await generate(northwind, world, title="Quarterly review")

    # when Contoso downloads it
    async with signed_in(make_client, owner, world, CO_GOV) as contoso:
        shown = await detail(contoso, report["id"])
        pdf = await download(contoso, report["pdfUrl"])
        zipped = await download(contoso, report["csvUrl"])
        raw = await download(contoso, report["jsonUrl"])

    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    pages = [page.extract_text() for page in reader.pages]
    # then the hash is on every page, and the attached JSON is the snapshot
    assert all(f"sha256 {report['sha256']}" in text for text in pages), pages
    assert reader.attachments["report.json"][0] == shown["snapshot"].encode()
    assert hashlib.sha256(pdf.content).hexdigest() == shown["pdfSha256"]
    # and every figure the API shows is printed (cells wrap: compared without whitespace)
    text = "".join("".join(pages).split())
    for section in shown["sections"]:
        assert "".join(section["title"].split()) in text
        for row in section["rows"]:
            for value in row:
                assert "".join(value.split()) in text, (section["key"], value)
    kpi = next(s for s in shown["sections"] if s["key"] == "kpi_evidence")
    assert kpi["rows"][0][kpi["columns"].index("latest")] == "78.25"
    # the CSV files are the same tables, one per section
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        names = [n for n in archive.namelist() if n.endswith(".csv")]
        assert len(names) == len(shown["sections"])
        for name, section in zip(sorted(names), shown["sections"], strict=True):
            rows = list(csv.reader(io.StringIO(archive.read(name).decode())))
            assert rows == [section["columns"], *section["rows"]]
    assert raw.content == shown["snapshot"].encode()


async def test_the_partner_acknowledges_a_report_once_naming_its_hash(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, NW_GOV) as northwind:
        report = await generate(northwind, world)
        # Northwind cannot acknowledge its own report
        own = only_error(
            await mutate(northwind, ACKNOWLEDGE, reportId=report["id"], sha256=report["sha256"]),
            "report",
        )
        assert own["code"] == "OWN_SIDE"

    async with signed_in(make_client, owner, world, CO_GOV) as contoso:
        events = await audit_count(owner, world.northwind_contoso.id)
        # a hash that is not the report's changes nothing
        wrong = only_error(
            await mutate(contoso, ACKNOWLEDGE, reportId=report["id"], sha256="0" * 64), "report"
        )
        assert wrong["code"] == "HASH_MISMATCH"
        assert await audit_count(owner, world.northwind_contoso.id) == events

        with recorded_notices() as sent:
            payload = await mutate(
                contoso, ACKNOWLEDGE, reportId=report["id"], sha256=report["sha256"]
            )
        assert payload["userErrors"] == []
        (ack,) = payload["report"]["acknowledgements"]
        assert ack["party"] == {"label": "Customer", "isOwn": True}
        assert ack["sha256"] == report["sha256"] and ack["acknowledgedByName"].startswith(
            "Governance"
        )
        assert payload["report"]["viewerCanAcknowledge"] is False
        assert [n.kind for n in sent] == ["reports.acknowledged"]
        assert sent[0].party_id == world.parties[("nc", "northwind")].id
        assert await audit_count(owner, world.northwind_contoso.id) == events + 1

        again = only_error(
            await mutate(contoso, ACKNOWLEDGE, reportId=report["id"], sha256=report["sha256"]),
            "report",
        )
        assert again["code"] == "ALREADY_ACKNOWLEDGED"

    async with signed_in(make_client, owner, world, "viewer@contoso.example") as viewer:
        listed = (await gql(viewer, LIST, {"id": world.nc_id}))["data"]["partnership"]
        assert listed["viewerCanPublishReports"] is False
        assert listed["reports"]["nodes"][0]["acknowledgements"][0]["party"]["label"] == "Customer"
    assert await owner.fetchval("SELECT count(*) FROM report_acknowledgement") == 1


async def test_generating_needs_governance_or_lead_and_a_day_that_has_begun(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    for email, fields, code in (
        ("editor@northwind.example", {}, "FORBIDDEN"),
        ("viewer@northwind.example", {}, "FORBIDDEN"),
        (NW_GOV, {"asOf": "2999-01-01"}, "INVALID"),
        (NW_GOV, {"title": "x" * 201}, "INVALID"),
        (NW_GOV, {"title": "   "}, "INVALID"),
    ):
        async with signed_in(make_client, owner, world, email) as client:
            payload = await mutate(client, GENERATE, partnershipId=world.nc_id, **fields)
            assert only_error(payload, "report")["code"] == code, (email, fields)
    async with signed_in(make_client, owner, world, "admin@fabrikam.example") as fabrikam:
        payload = await mutate(fabrikam, GENERATE, partnershipId=world.nc_id)
        assert only_error(payload, "report")["code"] == "NOT_FOUND"
    assert await owner.fetchval("SELECT count(*) FROM report") == 0
    assert await owner.fetchval("SELECT count(*) FROM audit_event WHERE action LIKE 'report%'") == 0


async def test_a_report_is_immutable_for_the_application_role(
    make_client: ClientFactory, owner: asyncpg.Connection, app_conn: asyncpg.Connection,
    world: World,
) -> None:  # fmt: skip
    async with signed_in(make_client, owner, world, NW_GOV) as northwind:
        report = await generate(northwind, world)
    async with signed_in(make_client, owner, world, CO_GOV) as contoso:
        await mutate(contoso, ACKNOWLEDGE, reportId=report["id"], sha256=report["sha256"])
    report_id = raw_id(report["id"])
    user = str(world.user_id(NW_GOV))
    for statement in (
        "UPDATE report SET title = 'Nicer figures' WHERE id = $1",
        "UPDATE report SET sha256 = repeat('0', 64) WHERE id = $1",
        "DELETE FROM report WHERE id = $1",
        "UPDATE report_document SET content = '{}' WHERE report_id = $1",
        "DELETE FROM report_document WHERE report_id = $1",
        "UPDATE report_acknowledgement SET sha256 = 'x' WHERE report_id = $1",
        "DELETE FROM report_acknowledgement WHERE report_id = $1",
    ):
        # when the application role, as a member who can see the rows, tries to change them
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="immutable"):
            async with app_conn.transaction():
                await app_conn.execute("SELECT set_config('mutual.user_id', $1, true)", user)
                assert await app_conn.fetchval(
                    "SELECT count(*) FROM report WHERE id = $1", report_id
                )
                await app_conn.execute(statement, report_id)
    # then nothing changed
    row = await owner.fetchrow("SELECT title, sha256 FROM report WHERE id = $1", report_id)
    assert (row["title"], row["sha256"]) == (report["title"], report["sha256"])
    assert await owner.fetchval("SELECT count(*) FROM report_acknowledgement") == 1


async def test_verify_report_names_the_report_of_a_matching_pdf_or_json(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, NW_GOV) as northwind:
        await evidence(make_client, owner, world)
        report = await generate(northwind, world)
        other = await generate(northwind, world, title="Another")
    async with signed_in(make_client, owner, world, CO_GOV) as contoso:
        pdf = (await download(contoso, report["pdfUrl"])).content
        content = (await download(contoso, report["jsonUrl"])).content
        events = await audit_count(owner, world.northwind_contoso.id)

        # the PDF and the JSON as downloaded match the report, and say which
        for data, kind in ((pdf, "PDF"), (content, "JSON")):
            payload = await verify(contoso, data)
            assert payload["userErrors"] == []
            assert payload["verification"]["kind"] == kind
            assert payload["verification"]["report"]["id"] == report["id"] != other["id"]
            assert payload["verification"]["sha256"] == report["sha256"]
        # the same JSON pretty-printed is the same content
        pretty = json.dumps(json.loads(content), indent=2).encode()
        assert (await verify(contoso, pretty))["verification"]["report"]["id"] == report["id"]

        # a figure changed in the JSON: tampered, naming the report it claims to be
        snapshot = json.loads(content)
        section = next(s for s in snapshot["sections"] if s["key"] == "kpi_evidence")
        section["rows"][0]["latest"] = "91"
        tampered = only_error(await verify(contoso, json.dumps(snapshot).encode()), "verification")
        assert tampered["code"] == "TAMPERED" and report["title"] in tampered["message"]

        # a PDF whose attached JSON was changed, and one with bytes appended
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
        writer.add_attachment("report.json", json.dumps(snapshot).encode())
        changed = io.BytesIO()
        writer.write(changed)
        for data in (changed.getvalue(), pdf + b"\n% signed off\n"):
            refused = only_error(await verify(contoso, data), "verification")
            assert refused["code"] == "TAMPERED", refused

        # not a report at all
        for data in (b"hello", b'{"format": "something else"}', b"%PDF-1.4 broken"):
            assert only_error(await verify(contoso, data), "verification")["code"] == (
                "NOT_A_REPORT"
            )
        bad = await mutate(contoso, VERIFY_RAW, file="***")
        assert only_error(bad, "verification")["code"] == "INVALID"
        # verifying writes nothing
        assert await audit_count(owner, world.northwind_contoso.id) == events

    # a report of a partnership the caller is not in: NOT_FOUND, whatever the file
    async with signed_in(make_client, owner, world, "admin@fabrikam.example") as fabrikam:
        for data in (pdf, content):
            assert only_error(await verify(fabrikam, data), "verification")["code"] == ("NOT_FOUND")


VERIFY_RAW = """
mutation($input: VerifyReportInput!) {
  verifyReport(input: $input) { verification { kind } userErrors { field code message } }
}
"""

CREATE_TOKEN = """
mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { secret userErrors { field code message } }
}
"""
TOKEN_LIST = """
query($id: ID!) {
  reports(partnershipId: $id, first: 10) { totalCount nodes { id sha256 pdfUrl csvUrl } }
}
"""


async def _token(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World, scopes: list[str]
) -> dict[str, str]:
    async with signed_in(make_client, owner, world, "lead@contoso.example") as lead:
        body = await gql(
            lead,
            CREATE_TOKEN,
            {"input": {"partnershipId": world.nc_id, "name": "GRC tool", "scopes": scopes}},
        )
    assert body["data"]["createApiToken"]["userErrors"] == []
    return {"authorization": f"Bearer {body['data']['createApiToken']['secret']}"}


async def test_a_reports_read_token_lists_and_downloads_reports_and_nothing_else(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, NW_GOV) as northwind:
        report = await generate(northwind, world)
    reader = await _token(make_client, owner, world, ["REPORTS_READ"])
    writer = await _token(make_client, owner, world, ["KPI_WRITE"])
    async with make_client() as client:
        # when a reports:read token lists and downloads
        body = await gql(client, TOKEN_LIST, {"id": world.nc_id}, headers=reader)
        listed = body["data"]["reports"]
        assert listed["totalCount"] == 1 and listed["nodes"][0]["sha256"] == report["sha256"]
        pdf = await client.get(report["pdfUrl"], headers=reader)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
        assert pdf.headers["x-report-sha256"] == report["sha256"]
        assert (await client.get(report["csvUrl"], headers=reader)).status_code == 200
        # it reads nothing else of the workspace
        roadmap = await gql(
            client,
            "query($id: ID!) { partnership(id: $id) { roadmap { phases { phase } } } }",
            {"id": world.nc_id},
            headers=reader,
            expect_errors=True,
        )
        assert roadmap["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        # a token without the scope is refused, and so is no credential at all
        refused = await gql(
            client, TOKEN_LIST, {"id": world.nc_id}, headers=writer, expect_errors=True
        )
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert (await client.get(report["pdfUrl"], headers=writer)).status_code == 403
        assert (await client.get(report["pdfUrl"])).status_code == 401
        unknown = to_global_id("Report", raw_id(report["id"]).__class__(int=1))
        assert (
            await client.get(f"/api/reports/{unknown}/report.pdf", headers=reader)
        ).status_code == 404

    # another partnership's member gets 404 for an existing report
    async with signed_in(make_client, owner, world, "admin@fabrikam.example") as fabrikam:
        assert (await fabrikam.get(report["pdfUrl"])).status_code == 404
        assert (await fabrikam.get(report["pdfUrl"].replace("report.pdf", "x"))).status_code == 404


async def test_the_waiting_list_shows_reports_to_acknowledge(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, NW_GOV) as northwind:
        report = await generate(northwind, world)
    query = """query($id: ID!) { partnership(id: $id) { waitingOnYourSide { objectId asked } } }"""
    async with signed_in(make_client, owner, world, CO_GOV) as contoso:
        body = await gql(contoso, query, {"id": world.nc_id})
        waiting = body["data"]["partnership"]["waitingOnYourSide"]
        assert any(w["asked"] == "Acknowledge the report" for w in waiting)
        await mutate(contoso, ACKNOWLEDGE, reportId=report["id"], sha256=report["sha256"])
        body = await gql(contoso, query, {"id": world.nc_id})
        assert not any(
            w["asked"] == "Acknowledge the report"
            for w in body["data"]["partnership"]["waitingOnYourSide"]
        )


NODE = """
query($id: ID!) { node(id: $id) { ... on Report { id title sha256 } } }
"""


async def test_a_report_node_is_read_by_both_sides_and_nobody_else(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, NW_GOV) as northwind:
        report = await generate(northwind, world)
    for email, visible in (
        ("viewer@contoso.example", True),
        ("viewer@northwind.example", True),
        ("admin@fabrikam.example", False),
    ):
        async with signed_in(make_client, owner, world, email) as client:
            body = await gql(client, NODE, {"id": report["id"]}, expect_errors=not visible)
            node = body["data"]["node"]
            assert (node is not None and node["sha256"] == report["sha256"]) is visible, email
            if not visible:
                assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
            listed = await gql(client, LIST, {"id": world.nc_id}, expect_errors=not visible)
            if not visible:
                assert listed["errors"][0]["extensions"]["code"] == "NOT_FOUND"
            # a file of the report verifies only for the partnership's members
            content = (await download(client, report["jsonUrl"])).content
            if visible:
                found = await verify(client, content)
                assert found["verification"]["report"]["id"] == report["id"]
            else:
                assert content.startswith(b'{"error"')


async def test_the_upload_route_verifies_a_posted_file_for_a_token(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, NW_GOV) as northwind:
        report = await generate(northwind, world, title="Posted")
        pdf = (await download(northwind, report["pdfUrl"])).content
    reader = await _token(make_client, owner, world, ["REPORTS_READ"])
    async with make_client() as client:
        pdf_type = {**reader, "content-type": "application/pdf"}
        ok = await client.post("/api/reports/verify", content=pdf, headers=pdf_type)
        assert ok.status_code == 200, ok.text
        assert ok.json()["report"]["id"] == report["id"] and ok.json()["kind"] == "PDF"
        changed = await client.post("/api/reports/verify", content=pdf + b"%x", headers=pdf_type)
        assert changed.status_code == 422 and changed.json()["error"]["code"] == "TAMPERED"
        junk = await client.post("/api/reports/verify", content=b"junk", headers=pdf_type)
        assert junk.status_code == 422 and junk.json()["error"]["code"] == "NOT_A_REPORT"
        anonymous = await client.post(
            "/api/reports/verify", content=pdf, headers={"content-type": "application/pdf"}
        )
        assert anonymous.status_code == 401
    async with signed_in(make_client, owner, world, "admin@fabrikam.example") as fabrikam:
        # a session posts JSON with the CSRF header, like every cookie-authenticated write
        other = await fabrikam.post(
            "/api/reports/verify",
            content=pdf,
            headers={"content-type": "application/json", "x-mutual-csrf": "1"},
        )
        assert other.status_code == 404
        refused = await fabrikam.post(
            "/api/reports/verify", content=pdf, headers={"content-type": "application/pdf"}
        )
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "CSRF_REJECTED"


DAY = "$1::int * interval '1 day'"
BACKDATE = (
    f"UPDATE commitment SET created_at = created_at - {DAY}, due_date = due_date - $1::int, "
    f"delivered_at = delivered_at - {DAY}",
    f"UPDATE commitment_transition SET at = at - {DAY}, due_date_after = due_date_after - $1::int",
    f"UPDATE risk SET created_at = created_at - {DAY}",
    f"UPDATE risk_history SET at = at - {DAY}",
    f"UPDATE risk_action SET created_at = created_at - {DAY}",
    f"UPDATE risk_action_history SET at = at - {DAY}",
)


async def test_a_report_as_of_a_past_day_shows_statuses_and_treatments_of_that_day(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world, northwind="lead", contoso="lead") as (
        northwind,
        contoso,
    ):
        # given, ten days ago, a delivered commitment and a risk mitigated by an open action
        made = await delivered(northwind, contoso, world, "Ship the pilot", str(today()))
        risk = await create_risk(northwind, world, "Peak capacity")
        risk = only_record(
            await mutate(northwind, TREAT, riskId=risk["id"], expectedVersion=risk["version"],
                         treatment="MITIGATE", plan="Add a second line"),
            "risk",
        )  # fmt: skip
        added = await mutate(northwind, ADD_ACTION, riskId=risk["id"], title="Hire a shift")
        action = only_record(added, "action")
        for statement in BACKDATE:
            await owner.execute(statement, 10)
        # and a risk as old whose state then was never recorded (it predates the history)
        older = await create_risk(northwind, world, "Older than the history")
        moved = f"UPDATE risk SET created_at = created_at - {DAY} WHERE id = $2"
        await owner.execute(moved, 10, raw_id(older["id"]))
        # and after the report's day, the commitment is confirmed, the risk transferred and
        # its action done
        await step(contoso, CONFIRM, {**made, "version": made["version"]})
        only_record(
            await mutate(northwind, TREAT, riskId=risk["id"], expectedVersion=risk["version"],
                         treatment="TRANSFER", plan="Insured"),
            "risk",
        )  # fmt: skip
        await mutate(northwind, UPDATE_ACTION, actionId=action["id"], status="DONE")

        # when reports are generated as of five days ago and as of today
        past = await generate(northwind, world, asOf=str(today() - timedelta(days=5)))
        now = await generate(northwind, world)
        shown = {r["id"]: await detail(contoso, r["id"]) for r in (past, now)}
        pdf = {r["id"]: await download(contoso, r["pdfUrl"]) for r in (past, now)}

    def sections(report: dict) -> tuple[dict, dict]:
        snapshot = json.loads(shown[report["id"]]["snapshot"])
        register = _section(snapshot, "risks")
        row, unknown = register["rows"]
        assert unknown["title"] == "Older than the history"
        if report is past:
            assert (unknown["recorded"], unknown["status"], unknown["treatment"]) == (
                False, None, None
            )  # fmt: skip
            assert "1 risk(s)" in register["not_recorded"]
        else:
            assert unknown["recorded"] and "not_recorded" not in register
        sides = {s["side"]: s for s in _section(snapshot, "commitment_reliability")["rows"]}
        return row, sides["Supplier"]

    # then the past report shows that day's states, and today's report today's
    row, supplier = sections(past)
    assert (row["status"], row["treatment"], row["treatment_plan"]) == (
        "OPEN", "MITIGATE", "Add a second line"
    )  # fmt: skip
    assert [(a["title"], a["status"]) for a in row["actions"]] == [("Hire a shift", "OPEN")]
    assert (supplier["due"], supplier["onTime"]) == (1, 0)  # delivered, not yet confirmed
    row, supplier = sections(now)
    assert (row["treatment"], row["treatment_plan"]) == ("TRANSFER", "Insured")
    assert [a["status"] for a in row["actions"]] == ["DONE"]
    assert (supplier["due"], supplier["onTime"]) == (1, 1)
    # and so do their PDFs
    texts = {
        key: "".join(
            "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages).split()
        )
        for key, r in pdf.items()
    }
    assert "MITIGATE" in texts[past["id"]] and "TRANSFER" not in texts[past["id"]]
    assert "TRANSFER" in texts[now["id"]] and "MITIGATE" not in texts[now["id"]]
