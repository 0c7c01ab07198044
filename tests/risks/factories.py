"""Documents and helpers of the risk tests: a risk made through the API, scored by a side."""

from __future__ import annotations

from typing import Any

import httpx

from tests.commitments.factories import mutate, only_record
from tests.helpers import World

SCORE = "likelihood impact score band"
RISK = f"""
risk {{ id title category status treatment treatmentPlan visibility version nextReviewOn
        reviewOverdue divergence ownerParty {{ label }}
        scores {{ party {{ label isOwn }} latest {{ inherent {{ {SCORE} }} residual {{ {SCORE} }}
                  rationale assessedBy {{ email }} }} }}
        acceptances {{ reason expiresOn active endReason party {{ label }}
                       approver {{ email }} }}
        actions {{ id title status dueDate overdue ownerParty {{ label }} commitment {{ title }} }}
        links {{ commitments {{ title }} milestones {{ title }} kpis {{ name }} }} }}
userErrors {{ field code message current {{ version }} }}
"""

CREATE = f"mutation($input: CreateRiskInput!) {{ createRisk(input: $input) {{ {RISK} }} }}"
UPDATE = f"mutation($input: UpdateRiskInput!) {{ updateRisk(input: $input) {{ {RISK} }} }}"
ASSESS = f"mutation($input: AssessRiskInput!) {{ assessRisk(input: $input) {{ {RISK} }} }}"
TREAT = (
    f"mutation($input: SetRiskTreatmentInput!) {{ setRiskTreatment(input: $input) {{ {RISK} }} }}"
)
REVIEW = f"mutation($input: ReviewRiskInput!) {{ reviewRisk(input: $input) {{ {RISK} }} }}"
ACTION = "action { id title status dueDate }"
ADD_ACTION = f"""
mutation($input: AddRiskActionInput!) {{ addRiskAction(input: $input) {{ {RISK} {ACTION} }} }}
"""
UPDATE_ACTION = f"""
mutation($input: UpdateRiskActionInput!) {{
  updateRiskAction(input: $input) {{ {RISK} {ACTION} }}
}}
"""
LINKS = f"mutation($input: SetRiskLinksInput!) {{ setRiskLinks(input: $input) {{ {RISK} }} }}"

NODE = """
query($id: ID!) { node(id: $id) { id ... on Risk { title divergence
  assessments { party { label } residual { likelihood impact } } } } }
"""

REGISTER = """
query($id: ID!, $filter: RiskFilterInput, $order: RiskOrderInput) {
  partnership(id: $id) {
    risks(first: 100, filter: $filter, orderBy: $order) {
      totalCount
      nodes { title divergence status
              scores { party { label } latest { residual { likelihood impact } } } }
    }
  }
}
"""

CELL = "likelihood impact count disputed"
HEAT_MAP = f"""
query($id: ID!, $filter: RiskFilterInput, $basis: ScoreBasis) {{
  partnership(id: $id) {{
    riskHeatMap(filter: $filter, basis: $basis) {{
      basis disagreements
      sides {{ party {{ label isOwn }} cells {{ {CELL} }} }}
      combined {{ {CELL} }}
    }}
  }}
}}
"""


async def create_risk(
    client: httpx.AsyncClient, world: World, title: str, **fields: Any
) -> dict[str, Any]:
    fields.setdefault("category", "DELIVERY")
    result = await mutate(client, CREATE, partnershipId=world.nc_id, title=title, **fields)
    return only_record(result, "risk")


async def assess(
    client: httpx.AsyncClient, risk: dict[str, Any], likelihood: int, impact: int, **fields: Any
) -> dict[str, Any]:
    result = await mutate(
        client,
        ASSESS,
        riskId=risk["id"],
        inherentLikelihood=likelihood,
        inherentImpact=impact,
        **fields,
    )
    return only_record(result, "risk")


def occupied(cells: list[dict[str, Any]]) -> dict[tuple[int, int], tuple[int, int]]:
    """The non-empty cells of a heat map: (likelihood, impact) -> (count, disputed)."""
    return {
        (c["likelihood"], c["impact"]): (c["count"], c["disputed"]) for c in cells if c["count"]
    }
