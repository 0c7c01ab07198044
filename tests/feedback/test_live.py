"""Feedback's live events: the submitting side hears of the receiving side's steps and shared
comments, never of its internal notes."""

from __future__ import annotations

from tests.conftest import LiveServer
from tests.feedback.factories import COMMENT, SUBMIT
from tests.helpers import World
from tests.notify.test_live_events import Subscriber, _mutate, _session_cookie


async def test_an_internal_note_is_no_live_event_for_the_submitting_side(
    live_server: LiveServer, world: World
) -> None:
    body = await _mutate(
        live_server,
        "editor@contoso.example",
        SUBMIT,
        {"input": {"partnershipId": world.nc_id, "title": "Labels", "severity": "HIGH"}},
    )
    feedback_id = body["data"]["submitFeedback"]["feedback"]["id"]
    contoso_cookie = await _session_cookie(live_server, "viewer@contoso.example")
    northwind_cookie = await _session_cookie(live_server, "viewer@northwind.example")
    async with (
        Subscriber(live_server, contoso_cookie, world.nc_id) as contoso,
        Subscriber(live_server, northwind_cookie, world.nc_id) as northwind,
    ):
        for text, internal in (("Our margin is thin", True), ("On it", False)):
            answer = await _mutate(
                live_server,
                "editor@northwind.example",
                COMMENT,
                {"input": {"feedbackId": feedback_id, "body": text, "internal": internal}},
            )
            assert answer["data"]["addFeedbackComment"]["userErrors"] == []

        theirs = await contoso.next_event()
        ours = [await northwind.next_event(), await northwind.next_event()]

    # the submitting side hears only of the shared comment
    assert (theirs["action"], theirs["objectType"], theirs["objectId"]) == (
        "feedback.commented",
        "Feedback",
        feedback_id,
    )
    assert theirs["visibility"] == "SHARED"
    assert [(e["action"], e["visibility"]) for e in ours] == [
        ("feedback.noted", "INTERNAL"),
        ("feedback.commented", "SHARED"),
    ]
