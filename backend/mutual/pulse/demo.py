"""Pulse surveys in the recovery story: the LEADs agree on a round every 30 days four months
ago; four rounds have closed (Contoso's view of Northwind climbing out of the crisis; one round
where only two of Northwind's people answered, so it shows no Northwind figures), and the fifth
is open, answered by Contoso's LEAD only so far. Some answers carry a comment. Every round is
opened by the worker's own function on its day, every answer given through the service."""

from __future__ import annotations

import uuid

from mutual.kit import notices
from mutual.kit.demo import CONTOSO, NORTHWIND, Story, moment
from mutual.pulse import repository, service
from mutual.pulse.service import Ratings
from mutual.pulse.tasks import opened_notices

EVERY = 30
START = -121
ROLES = ("lead", "editor", "governance")

# Per round: side -> the answers of its people, in ROLES order (nps, transparency,
# consistency, interaction); fewer answers than people: the others did not answer.
ROUNDS: tuple[dict[str, tuple[tuple[int, int, int, int], ...]], ...] = (
    {
        CONTOSO: ((3, 2, 2, 3), (5, 2, 3, 3), (4, 1, 2, 2)),
        NORTHWIND: ((7, 3, 3, 4), (8, 3, 4, 4), (6, 3, 3, 3)),
    },
    {
        CONTOSO: ((5, 3, 3, 3), (6, 3, 3, 4), (6, 2, 3, 3)),
        NORTHWIND: ((8, 4, 4, 4), (7, 3, 4, 4)),
    },
    {
        CONTOSO: ((7, 3, 4, 4), (8, 4, 4, 4), (7, 3, 3, 4)),
        NORTHWIND: ((9, 4, 4, 5), (8, 4, 4, 4), (8, 4, 5, 4)),
    },
    {
        CONTOSO: ((9, 4, 4, 5), (8, 4, 4, 4), (9, 4, 5, 4)),
        NORTHWIND: ((9, 5, 4, 5), (10, 4, 5, 5), (8, 4, 4, 4)),
    },
    {CONTOSO: ((9, 4, 5, 5),)},
)
# Some people comment: (round index, side, role) -> the comment (shown without its author once
# the round is closed, among its side's comments sorted by their text).
COMMENTS = {
    (0, CONTOSO, "lead"): "We hear about late shipments from our stores first.",
    (0, CONTOSO, "governance"): "Nobody told us why the March deliveries slipped.",
    (1, NORTHWIND, "lead"): "Forecasts arrive late, so we plan blind.",
    (2, CONTOSO, "editor"): "The weekly status call helps.",
    (3, CONTOSO, "lead"): "Problems now come to us before they reach the stores.",
    (3, CONTOSO, "editor"): "Weekly calls are prepared and candid.",
    (3, NORTHWIND, "lead"): "Forecasts are on time and explained.",
}


async def seed_story(story: Story) -> None:
    async with story.acting(story.principal(NORTHWIND, "lead"), at=moment(START)) as session:
        _, cadence = await service.propose_cadence(
            session,
            actor=story.principal(NORTHWIND, "lead"),
            partnership_id=story.partnership_id,
            every_days=EVERY,
            note="Monthly, so that we see whether the recovery is felt on both sides.",
        )
    async with story.acting(story.principal(CONTOSO, "lead"), at=moment(START)) as session:
        await service.decide_cadence(
            session,
            actor=story.principal(CONTOSO, "lead"),
            cadence_id=cadence.id,
            expected_version=cadence.version,
            accept=True,
        )
    made: dict[str, uuid.UUID] = {"cadence": cadence.id}
    for index, answers in enumerate(ROUNDS):
        day = START + index * EVERY
        # (moment() reads the clock, which the acting block stops at that day: read it first)
        at = moment(day)
        async with story.acting(story.principal(NORTHWIND, "lead"), at=at) as session:
            rows = await repository.open_due(session, now=at, limit=1)
            await notices.send(session, *opened_notices(rows))
        round_id = rows[0].round_id
        made[f"round{index + 1}"] = round_id
        for side, given in answers.items():
            for order, (role, (nps, transparency, consistency, interaction)) in enumerate(
                zip(ROLES, given, strict=False)
            ):
                actor = story.principal(side, role)
                async with story.acting(actor, at=moment(day + 1 + order)) as session:
                    await service.answer(
                        session,
                        actor=actor,
                        round_id=round_id,
                        ratings=Ratings(
                            nps,
                            transparency,
                            consistency,
                            interaction,
                            comment=COMMENTS.get((index, side, role), ""),
                        ),
                    )
    story.made["pulse"] = made
