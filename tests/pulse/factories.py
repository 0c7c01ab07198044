"""Documents and steps of the pulse tests: agree a cadence, let the worker open a round, answer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import httpx

from mutual.config import Settings
from mutual.db import Database
from mutual.kit.clock import stopped_at, utcnow
from mutual.kit.jobs import JobContext
from mutual.kit.notices import Notice
from mutual.pulse import tasks
from tests.commitments.factories import mutate, only_record
from tests.feedback.factories import recorded_notices
from tests.helpers import World, gql

CADENCE = """
cadence { id number everyDays status version nextRoundAt awaitingYourDecision
          ownerParty { label } }
userErrors { field code message current { version status } }
"""
PROPOSE = f"""
mutation($input: ProposePulseCadenceInput!) {{ proposePulseCadence(input: $input) {{ {CADENCE} }} }}
"""
DECIDE = f"""
mutation($input: DecidePulseCadenceInput!) {{ decidePulseCadence(input: $input) {{ {CADENCE} }} }}
"""
RESULTS = """
results { ratingParty { label } ratedParty { label } members shown respondents responseRate
          nps transparency consistency interaction comments }
"""
ROUND = f"id number isOpen question answeredByMe opensAt closesAt {RESULTS}"
ANSWER = f"""
mutation($input: AnswerPulseSurveyInput!) {{
  answerPulseSurvey(input: $input) {{ round {{ {ROUND} }} userErrors {{ field code message }} }}
}}
"""
SURVEYS = f"""
query($id: ID!) {{ node(id: $id) {{ ... on Partnership {{ pulse {{
  minRespondents activeCadence {{ id everyDays }} cadences {{ id status }} rounds {{ {ROUND} }}
}} }} }} }}
"""
GOOD = {"nps": 9, "transparency": 4, "consistency": 4, "interaction": 5, "comment": "Better."}


async def agree(northwind: httpx.AsyncClient, contoso: httpx.AsyncClient, world: World) -> Any:
    proposed = only_record(
        await mutate(northwind, PROPOSE, partnershipId=world.nc_id, everyDays=30), "cadence"
    )
    return only_record(
        await mutate(
            contoso,
            DECIDE,
            cadenceId=proposed["id"],
            expectedVersion=proposed["version"],
            accept=True,
        ),
        "cadence",
    )


def job(database: Database, settings: Settings) -> JobContext:
    return JobContext(
        job_id=0, task="pulse.test", payload={}, attempt=1, database=database, settings=settings
    )


async def run_task(
    run: Any, database: Database, settings: Settings, at: datetime | None = None
) -> list[Notice]:
    with stopped_at(at or utcnow()), recorded_notices() as sent:
        await run(job(database, settings))
    return sent


async def open_round(database: Database, settings: Settings) -> list[Notice]:
    return await run_task(tasks.open_rounds, database, settings)


async def surveys(client: httpx.AsyncClient, world: World) -> dict[str, Any]:
    body = await gql(client, SURVEYS, {"id": world.nc_id})
    value: dict[str, Any] = body["data"]["node"]["pulse"]
    return value


async def answer(client: httpx.AsyncClient, round_id: str, **fields: Any) -> dict[str, Any]:
    return await mutate(client, ANSWER, roundId=round_id, **{**GOOD, **fields})


def by_rating(results: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["ratingParty"]["label"]: r for r in results}
