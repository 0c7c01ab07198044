"""The pulse surveys page: Northwind's LEAD proposes a cadence, Contoso's LEAD sees it live and
accepts it; the worker's function opens a round; Contoso's editor reads the closed rounds'
results and comments (a side under 3 respondents shows none, and says why) and answers the open
survey (a rating missing is refused first); axe finds nothing on the page in any of its states."""

from __future__ import annotations

import json
import re

import asyncpg
import pytest
from playwright.async_api import Page, expect

from tests.helpers import World
from tests.portal.conftest import NewPage
from tests.portal.portal import live_updates_on, open_signed_in, workspace_url
from tests.portal.test_accessibility import settled, violations

pytestmark = pytest.mark.browser

# A closed round 1: Contoso's three people rated Northwind (9, 10, 6: NPS +33.3) and two of them
# commented, only two of Northwind's rated Contoso (no figures, no comments).
CLOSED_ROUND = """
WITH c AS (SELECT id FROM pulse_cadence WHERE partnership_id = $1 AND status = 'ACTIVE'),
r AS (
  INSERT INTO pulse_round (partnership_id, cadence_id, number, opens_at, closes_at)
  SELECT $1, c.id, 1, now() - interval '40 days', now() - interval '26 days' FROM c
  RETURNING id
)
INSERT INTO pulse_answer (partnership_id, round_id, party_id, user_id, nps, transparency,
                          consistency, interaction, comment)
SELECT $1, r.id, m.party_id, m.user_id, a.nps, 4, 3, 5, a.comment
FROM r, workspace_member m JOIN app_user u ON u.id = m.user_id
JOIN (VALUES ('lead@contoso.example', 9, 'Weekly calls help.'),
             ('editor@contoso.example', 10, ''),
             ('governance@contoso.example', 6, 'Audit answers are late.'),
             ('lead@northwind.example', 8, 'NORTHWIND-ONLY-TWO'),
             ('editor@northwind.example', 7, '')) a(email, nps, comment) ON a.email = u.email
WHERE m.partnership_id = $1
"""


async def _axe(page: Page, found: dict[str, object], name: str) -> None:
    found[name] = await violations(page)


async def test_leads_agree_a_cadence_and_a_member_answers_and_reads_the_results(
    new_page: NewPage, world: World, owner: asyncpg.Connection
) -> None:
    found: dict[str, object] = {}
    url = workspace_url(world.nc_id, "pulse")
    # given Contoso's LEAD on the pulse page, live, and Northwind's LEAD
    contoso = await new_page()
    await open_signed_in(contoso, "lead@contoso.example", url)
    await expect(contoso.get_by_text("No cadence agreed yet")).to_be_visible()
    await live_updates_on(contoso)
    northwind = await new_page()
    await open_signed_in(northwind, "lead@northwind.example", url)
    await settled(northwind)
    await _axe(northwind, found, "no cadence yet, a lead")

    # when Northwind proposes a survey every 30 days
    form = northwind.locator("#pulse-propose")
    await form.get_by_label("A survey every (days)").fill("3")
    await form.get_by_role("button", name="Propose").click()
    await expect(form.get_by_text("A round every 7 to 365 days.")).to_be_visible()
    await _axe(northwind, found, "the proposal, refused")
    await form.get_by_label("A survey every (days)").fill("30")
    await form.get_by_role("button", name="Propose").click()
    await expect(
        northwind.get_by_text(re.compile("You proposed a survey every 30 days"))
    ).to_be_visible()
    await expect(
        northwind.get_by_text("Waiting for the other side’s LEAD to accept it.")  # noqa: RUF001
    ).to_be_visible()

    # then Contoso sees it without a reload, and accepts it
    await expect(contoso.get_by_text(re.compile("changed the pulse surveys"))).to_be_visible()
    await contoso.get_by_role("button", name="Accept every 30 days").click()
    await expect(
        contoso.get_by_text(re.compile("You accepted a survey every 30 days"))
    ).to_be_visible()
    await expect(
        contoso.get_by_text(re.compile(r"A survey every 30 days; the next opens"))
    ).to_be_visible()

    # given a closed round with answers, and the worker opening the next one
    await owner.execute(CLOSED_ROUND, world.northwind_contoso.id)
    assert len(await owner.fetch("SELECT * FROM pulse_open_due(now(), 10)")) == 1

    # when Contoso's editor opens the page
    editor = await new_page()
    await open_signed_in(editor, "editor@contoso.example", url)
    await settled(editor)
    # then the closed round shows Contoso's figures about Northwind, and none of Northwind's
    results = editor.get_by_role("table", name="Results")
    row = results.get_by_role("row", name=re.compile("#1"))
    await expect(row.get_by_text("NPS +33.3")).to_be_visible()
    await expect(row.get_by_text("3 of 4 answered (75%)")).to_be_visible()
    await expect(row.get_by_text("Fewer than 3 respondents: no figures")).to_be_visible()
    # Contoso's comments, sorted by their text, without names; none of Northwind's two
    comments = row.get_by_role("list", name="Comments of Customer")
    await expect(comments.get_by_role("listitem")).to_have_text(
        ["“Audit answers are late.”", "“Weekly calls help.”"]
    )
    await expect(editor.get_by_text("NORTHWIND-ONLY-TWO")).to_have_count(0)
    await expect(editor.get_by_text(re.compile("so that no answer can be traced"))).to_be_visible()
    await _axe(editor, found, "results and the open survey")

    # when they send the survey with a rating missing
    survey = editor.locator("#pulse-answer")
    question = survey.get_by_role(
        "group", name="How likely are you to recommend working with Supplier?"
    )
    await question.get_by_label("8", exact=True).check()
    await survey.get_by_role("button", name="Send my answer").click()
    await expect(survey.get_by_text("Choose a rating on every scale.")).to_be_visible()
    await _axe(editor, found, "the survey, refused")
    assert await owner.fetchval("SELECT count(*) FROM pulse_answer") == 5

    # and then complete it
    for name, value in (("Transparency", "4"), ("Consistency", "3"), ("Interaction quality", "5")):
        await survey.get_by_role("group", name=name).get_by_label(value, exact=True).check()
    await survey.get_by_label("Comment (optional)").fill("Calls are better prepared now.")
    await survey.get_by_role("button", name="Send my answer").click()

    # then it is recorded, and never shown back
    await expect(
        editor.get_by_text(re.compile("your answer to survey #2 is recorded"))
    ).to_be_visible()
    await expect(editor.get_by_text(re.compile("You have answered it."))).to_be_visible()
    await expect(editor.get_by_text("Calls are better prepared now.")).to_have_count(0)
    await _axe(editor, found, "the survey, answered")
    row = await owner.fetchrow(
        "SELECT a.nps, a.transparency, a.consistency, a.interaction, a.comment FROM pulse_answer a"
        " JOIN app_user u ON u.id = a.user_id WHERE u.email = 'editor@contoso.example'"
        " AND a.round_id = (SELECT id FROM pulse_round WHERE number = 2)"
    )
    assert tuple(row) == (8, 4, 3, 5, "Calls are better prepared now.")

    failing = {name: v for name, v in found.items() if v}
    assert not failing, json.dumps(failing, indent=1, ensure_ascii=False)
