"""The risk register and issue log through GraphQL on real PostgreSQL, and the loaders' cost."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from app.infra.postgres.raw import counted as counting
from tests.api.helpers import gql, make_person, make_project
from tests.api.test_risks import make_risk
from tests.conftest import Org

RISK_FIELDS = """
  id title score severity probability impact status reviewOn
  costImpact expectedMonetaryValue currency version
  owner { name }
"""

CREATE = f"""
mutation($input: CreateRiskInput!) {{
  createRisk(input: $input) {{
    risk {{ {RISK_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}
"""
UPDATE = f"""
mutation($input: UpdateRiskInput!) {{
  updateRisk(input: $input) {{ risk {{ {RISK_FIELDS} }} userErrors {{ field code }} }}
}}
"""
ASSESS = """
mutation($input: AssessRiskInput!) {
  assessRisk(input: $input) {
    risk { score severity version }
    assessment { fromProbability fromImpact toProbability toImpact toSeverity note assessedBy }
    userErrors { field code }
  }
}
"""
OCCUR = """
mutation($input: RecordRiskOccurrenceInput!) {
  recordRiskOccurrence(input: $input) {
    issue { id title severity status riskId fromOccurrence owner { name } }
    userErrors { field code }
  }
}
"""
CREATE_ISSUE = """
mutation($input: CreateIssueInput!) {
  createIssue(input: $input) { issue { id status severity version riskId } userErrors { field code } }
}
"""
UPDATE_ISSUE = """
mutation($input: UpdateIssueInput!) {
  updateIssue(input: $input) { issue { id status resolution version } userErrors { field code } }
}
"""


def _risk_input(project: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "projectId": project["id"],
        "title": "Data migration overruns",
        "category": "SCHEDULE",
        "probability": 4,
        "impact": 3,
        **fields,
    }


async def test_create_risk_computes_score_severity_and_emv(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org, currency="BHD")
    owner = await make_person(client, org, name="Grace Hopper")
    data = await gql(
        client,
        CREATE,
        org.member,
        input=_risk_input(project, ownerId=owner["id"], costImpact="10.001", reviewOn="2026-05-01"),
    )
    payload = data["data"]["createRisk"]
    assert payload["userErrors"] == []
    risk = payload["risk"]
    assert (risk["score"], risk["severity"], risk["status"]) == (12, "HIGH", "OPEN")
    assert risk["costImpact"] == "10.001" and risk["currency"] == "BHD"
    assert risk["expectedMonetaryValue"] == "7.001"  # 70% of 10.001 at BHD's minor unit
    assert risk["owner"] == {"name": "Grace Hopper"}


async def test_create_risk_refuses_bad_input_as_user_errors(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org, currency="EUR")
    cases = [
        ({"probability": 0}, "probability", "VALIDATION_FAILED"),
        ({"impact": 6}, "impact", "VALIDATION_FAILED"),
        ({"costImpact": "1.001"}, "costImpact", "VALIDATION_FAILED"),
        ({"costImpact": "5.00", "currency": "USD"}, "currency", "CURRENCY_MISMATCH"),
        ({"title": " "}, "title", "VALIDATION_FAILED"),
        ({"status": "OCCURRED"}, "status", "VALIDATION_FAILED"),
    ]
    for fields, field, code in cases:
        data = await gql(client, CREATE, org.member, input=_risk_input(project, **fields))
        payload = data["data"]["createRisk"]
        assert payload["risk"] is None, fields
        assert {"field": field, "code": code} in [
            {"field": e["field"], "code": e["code"]} for e in payload["userErrors"]
        ], payload
    # A non-integer level or an unknown enum value never reaches the domain.
    for fields in ({"probability": 2.5}, {"category": "WEATHER"}):
        data = await gql(client, CREATE, org.member, input=_risk_input(project, **fields))
        assert data.get("data") is None and data["errors"], data
    viewer = await gql(client, CREATE, org.viewer, input=_risk_input(project))
    assert viewer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    query = "query($id: ID!) { project(id: $id) { risks { totalCount } } }"
    counted = await gql(client, query, org.viewer, id=project["id"])
    assert counted["data"]["project"]["risks"]["totalCount"] == 0


async def test_update_and_assess_keep_the_history_newest_first(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    risk = (await gql(client, CREATE, org.member, input=_risk_input(project)))["data"][
        "createRisk"
    ]["risk"]
    updated = await gql(
        client,
        UPDATE,
        org.member,
        input={"id": risk["id"], "probability": 2, "expectedVersion": 1},
    )
    assert updated["data"]["updateRisk"]["risk"]["score"] == 6
    unchanged = await gql(
        client, UPDATE, org.member, input={"id": risk["id"], "title": "Migration overruns"}
    )
    assert unchanged["data"]["updateRisk"]["risk"]["version"] == 3
    stale = await gql(
        client, UPDATE, org.member, input={"id": risk["id"], "impact": 1, "expectedVersion": 1}
    )
    assert stale["data"]["updateRisk"] == {
        "risk": None,
        "userErrors": [{"field": None, "code": "VERSION_CONFLICT"}],
    }
    assessed = await gql(
        client,
        ASSESS,
        org.member,
        input={"id": risk["id"], "probability": 5, "impact": 5, "note": "Cutover moved"},
    )
    result = assessed["data"]["assessRisk"]
    assert result["risk"] == {"score": 25, "severity": "CRITICAL", "version": 4}
    assert result["assessment"] == {
        "fromProbability": 2,
        "fromImpact": 3,
        "toProbability": 5,
        "toImpact": 5,
        "toSeverity": "CRITICAL",
        "note": "Cutover moved",
        "assessedBy": "user-member",
    }
    bad = await gql(
        client, ASSESS, org.member, input={"id": risk["id"], "probability": 9, "impact": 1}
    )
    assert bad["data"]["assessRisk"]["userErrors"] == [
        {"field": "probability", "code": "VALIDATION_FAILED"}
    ]
    query = """
    query($id: ID!) { project(id: $id) { risks { edges { node {
      assessments(first: 2) { edges { node { fromScore toScore } } pageInfo { hasNextPage endCursor } }
    } } } } }
    """
    data = await gql(client, query, org.viewer, id=project["id"])
    history = data["data"]["project"]["risks"]["edges"][0]["node"]["assessments"]
    assert [e["node"] for e in history["edges"]] == [
        {"fromScore": 6, "toScore": 25},
        {"fromScore": 12, "toScore": 6},
    ]
    assert history["pageInfo"]["hasNextPage"] is True
    rest_query = """
    query($id: ID!, $after: String) { project(id: $id) { risks { edges { node {
      assessments(after: $after) { edges { node { fromScore toScore } } }
    } } } } }
    """
    rest = await gql(
        client, rest_query, org.viewer, id=project["id"], after=history["pageInfo"]["endCursor"]
    )
    tail = rest["data"]["project"]["risks"]["edges"][0]["node"]["assessments"]["edges"]
    assert [e["node"] for e in tail] == [{"fromScore": None, "toScore": 12}]


async def test_occurrence_issue_log_and_matrix_through_graphql(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    owner = await make_person(client, org, name="Owner One")
    risk = await make_risk(client, org, project, owner_id=owner["id"], cost_impact="200.00")
    other = await make_risk(client, org, project, probability=1, impact=1, review_on="2020-01-01")
    occurred = await gql(
        client, OCCUR, org.member, input={"id": risk["id"], "severity": "HIGH", "note": "Late"}
    )
    issue = occurred["data"]["recordRiskOccurrence"]["issue"]
    assert issue["riskId"] == risk["id"] and issue["fromOccurrence"] is True
    assert (issue["severity"], issue["status"], issue["owner"]) == (
        "HIGH",
        "OPEN",
        {"name": "Owner One"},
    )
    again = await gql(client, OCCUR, org.member, input={"id": risk["id"], "severity": "LOW"})
    assert again["data"]["recordRiskOccurrence"]["userErrors"] == [
        {"field": None, "code": "RISK_NOT_LIVE"}
    ]
    logged = await gql(
        client,
        CREATE_ISSUE,
        org.member,
        input={"projectId": project["id"], "title": "Printer on fire", "severity": "LOW"},
    )
    new = logged["data"]["createIssue"]["issue"]
    unresolved = await gql(
        client, UPDATE_ISSUE, org.member, input={"id": new["id"], "status": "RESOLVED"}
    )
    assert unresolved["data"]["updateIssue"]["userErrors"] == [
        {"field": "resolution", "code": "VALIDATION_FAILED"}
    ]
    resolved = await gql(
        client,
        UPDATE_ISSUE,
        org.member,
        input={"id": new["id"], "status": "RESOLVED", "resolution": "Water", "expectedVersion": 1},
    )
    assert resolved["data"]["updateIssue"]["issue"]["status"] == "RESOLVED"
    query = """
    query($id: ID!) { project(id: $id) {
      riskMatrix { cells suggestedContingency currency overdueReviews }
      occurred: risks(filter: {status: OCCURRED}) { totalCount edges { node { id issue { id } } } }
      live: risks(filter: {overdueReview: true}) { edges { node { id reviewOverdue issue { id } } } }
      issues(filter: {status: OPEN}) { totalCount edges { node { id title } } }
    } }
    """
    data = (await gql(client, query, org.viewer, id=project["id"]))["data"]["project"]
    cells = [[0] * 5 for _ in range(5)]
    cells[0][0] = 1
    assert data["riskMatrix"] == {
        "cells": cells,
        "suggestedContingency": "0.00",
        "currency": "EUR",
        "overdueReviews": [other["id"]],
    }
    assert data["occurred"]["totalCount"] == 1
    assert data["occurred"]["edges"][0]["node"] == {"id": risk["id"], "issue": {"id": issue["id"]}}
    assert data["live"]["edges"] == [
        {"node": {"id": other["id"], "reviewOverdue": True, "issue": None}}
    ]
    assert data["issues"]["totalCount"] == 1
    assert data["issues"]["edges"][0]["node"]["id"] == issue["id"]


async def test_mutations_on_another_organizations_records_are_not_found(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    risk = await make_risk(client, org, project)
    h = other_org.admin
    cases = [
        (UPDATE, {"id": risk["id"], "impact": 1}),
        (ASSESS, {"id": risk["id"], "probability": 1, "impact": 1}),
        (OCCUR, {"id": risk["id"], "severity": "LOW"}),
        (CREATE, _risk_input(project)),
        (CREATE_ISSUE, {"projectId": project["id"], "title": "x", "severity": "LOW"}),
    ]
    for mutation, variables in cases:
        data = await gql(client, mutation, h, input=variables)
        assert data["errors"][0]["extensions"]["code"] == "NOT_FOUND", data
    viewer = await gql(client, ASSESS, org.viewer, input=cases[1][1])
    assert viewer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    bad_sort = await gql(
        client,
        'query($id: ID!) { project(id: $id) { risks(sort: "title") { totalCount } } }',
        org.viewer,
        id=project["id"],
    )
    assert bad_sort["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


PORTFOLIO = """
{ projects(first: 50) { edges { node { key
  risks(first: 10) { totalCount edges { node {
    id score severity owner { name }
    assessments(first: 5) { edges { node { toScore assessedBy } } }
    issue { id title }
  } } }
  riskMatrix { cells currency }
  issues(first: 1) { totalCount edges { node { title severity } } pageInfo { hasNextPage } }
} } } }
"""


async def _portfolio(client: httpx.AsyncClient, org: Org, projects: int) -> dict[str, Any]:
    owner = await make_person(client, org)
    for _ in range(projects):
        project = await make_project(client, org)
        for level in (1, 3, 5):
            risk = await make_risk(
                client, org, project, probability=level, impact=2, owner_id=owner["id"]
            )
            await client.patch(
                f"/api/v1/projects/{project['id']}/risks/{risk['id']}",
                json={"impact": 3},
                headers=org.member,
            )
        await client.post(
            f"/api/v1/projects/{project['id']}/risks/{risk['id']}/occurrence",
            json={"severity": "high"},
            headers=org.member,
        )
        logged = await client.post(
            f"/api/v1/projects/{project['id']}/issues",
            json={"title": "Logged by hand", "severity": "low"},
            headers=org.member,
        )
        assert logged.status_code == 201, logged.text
    return {}


async def test_a_portfolio_wide_risk_query_costs_a_constant_number_of_statements(
    client: httpx.AsyncClient, read_engine: AsyncEngine
) -> None:
    import uuid

    small, large = Org(f"org-{uuid.uuid4().hex[:12]}"), Org(f"org-{uuid.uuid4().hex[:12]}")
    await _portfolio(client, small, 2)
    await _portfolio(client, large, 6)
    costs = []
    for org, projects in ((small, 2), (large, 6)):
        with counting(read_engine) as statements:  # queries run on the read-only engine
            data = await gql(client, PORTFOLIO, org.viewer)
        assert "errors" not in data, data
        edges = data["data"]["projects"]["edges"]
        assert len(edges) == projects
        for edge in edges:
            risks = edge["node"]["risks"]
            assert risks["totalCount"] == 3
            top = risks["edges"][0]["node"]
            assert top["score"] == 15 and top["issue"] is not None
            assert [a["node"]["toScore"] for a in top["assessments"]["edges"]] == [15, 10]
            # Live risks only: probability 1 and 3 at impact 3; the occurred one is gone.
            cells = edge["node"]["riskMatrix"]["cells"]
            assert cells[0][2] == 1 and cells[2][2] == 1 and sum(map(sum, cells)) == 2
            issues = edge["node"]["issues"]  # the occurrence's issue and a logged one
            assert issues["totalCount"] == 2 and issues["pageInfo"]["hasNextPage"] is True
            assert [i["node"]["title"] for i in issues["edges"]] == ["Logged by hand"]
        costs.append(len(statements))
    assert costs[0] == costs[1] > 0, costs
    # projects, risk pages, risk counts, owners, assessments, occurrence issues, for the
    # matrices the projects and their live risks, issue pages and counts (10 measured).
    assert costs[1] <= 12, costs


async def test_project_issues_page_through_a_cursor_newest_first(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    titles = [f"Issue {n}" for n in range(3)]
    for title in titles:
        made = await client.post(
            f"/api/v1/projects/{project['id']}/issues",
            json={"title": title, "severity": "medium"},
            headers=org.member,
        )
        assert made.status_code == 201, made.text
    query = """query($id: ID!, $after: String) { project(id: $id) {
      issues(first: 2, after: $after) { totalCount edges { node { title } }
        pageInfo { hasNextPage endCursor } } } }"""
    seen: list[str] = []
    after = None
    for expected_next in (True, False):
        data = await gql(client, query, org.viewer, id=project["id"], after=after)
        assert "errors" not in data, data
        issues = data["data"]["project"]["issues"]
        assert issues["totalCount"] == 3
        assert issues["pageInfo"]["hasNextPage"] is expected_next
        seen += [e["node"]["title"] for e in issues["edges"]]
        after = issues["pageInfo"]["endCursor"]
    assert seen == titles[::-1]
