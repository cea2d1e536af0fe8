"""Computed money and severities read the same through REST and GraphQL, at the minor unit."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.helpers import gql, make_project
from tests.api.test_risks import make_risk, risks_url
from tests.conftest import Org

REGISTER = """
query($id: ID!) { project(id: $id) {
  risks(first: 10, sort: SCORE) { edges { node {
    id costImpact expectedMonetaryValue currency severity
    assessments { edges { node { toSeverity } } }
  } } }
  riskMatrix { suggestedContingency currency }
} }
"""


async def _both(
    client: httpx.AsyncClient, org: Org, project: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The register and matrix as REST shows them, and the project as GraphQL does."""
    rest = (await client.get(risks_url(project), headers=org.viewer)).json()
    matrix = await client.get(f"/api/v1/projects/{project['id']}/risk-matrix", headers=org.viewer)
    data = await gql(client, REGISTER, org.viewer, id=project["id"])
    assert "errors" not in data, data
    by_id = {r["id"]: r for r in rest["items"]}
    return by_id, matrix.json(), data["data"]["project"]


async def test_emv_and_contingency_come_at_the_minor_unit_in_both_apis(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org, currency="GBP")
    small = await make_risk(client, org, project, probability=1, impact=1, cost_impact="333.33")
    large = await make_risk(client, org, project, probability=4, impact=5, cost_impact="1000.00")
    rest, matrix, graph = await _both(client, org, project)
    # 10% of 333.33 is 33.333: the figure is 33.33, and the contingency adds the figures shown.
    assert rest[small["id"]]["expected_monetary_value"] == "33.33"
    assert rest[large["id"]]["expected_monetary_value"] == "700.00"
    assert matrix["suggested_contingency"] == "733.33"
    nodes = {e["node"]["id"]: e["node"] for e in graph["risks"]["edges"]}
    assert nodes[small["id"]]["expectedMonetaryValue"] == "33.33"
    assert nodes[large["id"]]["expectedMonetaryValue"] == "700.00"
    assert graph["riskMatrix"] == {"suggestedContingency": "733.33", "currency": "GBP"}
    for risk_id, node in nodes.items():
        assert node["costImpact"] == rest[risk_id]["cost_impact"]


async def test_half_a_minor_unit_rounds_to_even_in_both_apis(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org, currency="JPY")
    down = await make_risk(client, org, project, probability=3, impact=1, cost_impact="5")
    up = await make_risk(client, org, project, probability=3, impact=2, cost_impact="7")
    rest, matrix, graph = await _both(client, org, project)
    nodes = {e["node"]["id"]: e["node"] for e in graph["risks"]["edges"]}
    # 50% of JPY 5 is 2.5 -> 2 and of JPY 7 is 3.5 -> 4; the register suggests 6.
    for risk_id, figure in ((down["id"], "2"), (up["id"], "4")):
        assert rest[risk_id]["expected_monetary_value"] == figure
        assert nodes[risk_id]["expectedMonetaryValue"] == figure
    assert matrix["suggested_contingency"] == graph["riskMatrix"]["suggestedContingency"] == "6"


async def test_severities_of_risks_and_assessments_agree_in_both_apis(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    risk = await make_risk(client, org, project, probability=3, impact=4)  # 12: high
    url = f"{risks_url(project)}/{risk['id']}/assessments"
    r = await client.post(url, json={"probability": 5, "impact": 3}, headers=org.member)
    assert r.status_code == 201, r.text
    history = (await client.get(url, headers=org.viewer)).json()["items"]
    assert [(a["from_severity"], a["to_severity"]) for a in history] == [
        ("high", "critical"),
        (None, "high"),
    ]
    rest, _, graph = await _both(client, org, project)
    (node,) = [e["node"] for e in graph["risks"]["edges"]]
    assert rest[risk["id"]]["severity"] == "critical" and node["severity"] == "CRITICAL"
    assert [e["node"]["toSeverity"] for e in node["assessments"]["edges"]] == ["CRITICAL", "HIGH"]
