"""Pulse's part of the recovery story: an agreed cadence, four closed rounds with figures (one
where Northwind's side stayed under 3 respondents, so shows none), an open fifth round; the
health input and the report section read the last closed round."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
from sqlalchemy.engine import URL
from starlette.applications import Starlette

from mutual.cli import seed_if_empty
from mutual.config import Settings
from mutual.db import Database
from mutual.kit.clock import utcnow
from mutual.kit.identity import set_user_identity
from mutual.kit.principal import user_principal
from mutual.pulse.report import pulse_nps, pulse_section
from mutual.tenancy.models import User
from mutual.tenancy.workspace import load_workspace
from tests.conftest import TABLES
from tests.helpers import gql, login
from tests.pulse.factories import RESULTS

STORY = f"""
query {{ viewer {{ partnerships(first: 2) {{ nodes {{ id name pulse {{
  activeCadence {{ everyDays }}
  rounds {{ number isOpen answeredByMe opensAt {RESULTS} }} }} }} }} }} }}
"""


async def _story(app: Starlette, email: str) -> dict[str, object]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
        await login(client, email)
        nodes = (await gql(client, STORY))["data"]["viewer"]["partnerships"]["nodes"]
    found: dict[str, object] = next(n for n in nodes if n["name"].startswith("Northwind"))
    return found


async def test_the_story_has_closed_rounds_with_figures_and_an_open_one(
    owner_url: URL,
    settings: Settings,
    app: Starlette,
    owner: asyncpg.Connection,
    app_database_url: URL,
) -> None:
    await owner.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
    assert await asyncio.to_thread(seed_if_empty, owner_url, settings)

    contoso = await _story(app, "lead@contoso.example")
    pulse = contoso["pulse"]
    assert pulse["activeCadence"] == {"everyDays": 30}  # type: ignore[index]
    rounds = pulse["rounds"]  # type: ignore[index]
    assert [r["number"] for r in rounds] == [5, 4, 3, 2, 1]
    assert [r["isOpen"] for r in rounds] == [True, False, False, False, False]
    # Contoso's LEAD answered the open round; the rounds are on the story's days
    assert rounds[0]["answeredByMe"] is True
    assert datetime.fromisoformat(rounds[-1]["opensAt"]) < datetime.now(UTC) - timedelta(days=100)

    def side(r: dict[str, object], label: str) -> dict[str, object]:
        return next(s for s in r["results"] if s["ratingParty"]["label"] == label)  # type: ignore[attr-defined, index]

    # Contoso (Customer) rating Northwind climbs from detractors to promoters
    assert side(rounds[4], "Customer")["nps"] == -100.0
    assert side(rounds[1], "Customer")["nps"] == 66.7
    # round 2: only two of Northwind's people answered, so no Northwind figures
    assert side(rounds[3], "Supplier")["shown"] is False
    assert side(rounds[3], "Supplier")["nps"] is None
    # the open round shows nothing yet (one answer)
    assert all(not s["shown"] for s in rounds[0]["results"])
    # comments: a closed round's, sorted by their text; none from a side under 3 respondents
    assert side(rounds[1], "Customer")["comments"] == [
        "Problems now come to us before they reach the stores.",
        "Weekly calls are prepared and candid.",
    ]
    assert side(rounds[3], "Supplier")["comments"] == []
    assert all(s["comments"] == [] for s in rounds[0]["results"])

    # the health input and the report section read the last closed round, aggregates only
    database = Database(app_database_url, pool_size=1)
    try:
        async with database.session() as session, session.begin():
            user = await owner.fetchval(
                "SELECT id FROM app_user WHERE email = 'lead@contoso.example'"
            )
            await set_user_identity(session, user)
            principal_row = await owner.fetchrow(
                "SELECT p.partnership_id FROM party p JOIN partnership x ON x.id = p.partnership_id"
                " WHERE x.name LIKE 'Northwind%' LIMIT 1"
            )
            actor = user_principal(await session.get(User, user))
            workspace = await load_workspace(
                session, actor=actor, partnership_id=principal_row["partnership_id"]
            )
            reading = await pulse_nps(session, workspace, utcnow())
            section = await pulse_section(session, workspace, utcnow())
    finally:
        await database.dispose()
    assert reading.inputs["round"] == 4
    northwind_party = next(p.id for p in workspace.parties if p.label == "Supplier")
    # Contoso's NPS of Northwind in round 4 is 66.7: (66.7 + 100) / 2
    assert reading.per_side[northwind_party] == 83.3
    assert reading.records and reading.records[0][0] == "PulseRound"
    assert reading.value is not None and 0 <= reading.value <= 100
    assert section["title"] == "Pulse surveys"
    assert {r["round"] for r in section["rows"]} == {1, 2, 3, 4}
    assert all("comment" not in r for r in section["rows"])
