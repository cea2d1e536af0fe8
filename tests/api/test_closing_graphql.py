"""Objectives, deliverables and closure reports over GraphQL: the REST rules in GraphQL's
idiom, and a portfolio-wide query that costs a fixed number of statements."""

from __future__ import annotations

import uuid

import httpx

from tests.api.closing_helpers import define_objective
from tests.api.helpers import gql, make_project
from tests.api.test_milestones import make_milestone
from tests.api.test_risks_graphql import counting
from tests.conftest import Org

PORTFOLIO = """{ projects(first: 5) { edges { node { key objectivesProgress
  objectives(first: 2) { totalCount edges { node { name progress
    keyResults { name progress checkIns(first: 2) { edges { node { value by } } } } } } }
  deliverables(first: 2) { totalCount edges { node { name status milestone { name }
    decisions(first: 2) { edges { node { decision toStatus } } } } } }
  closureReport { summary finalFigures { budget deliverablesAccepted objectivesProgress } }
} } } }"""


async def _portfolio(client: httpx.AsyncClient, org: Org, size: int) -> None:
    for i in range(size):
        project = await make_project(client, org)
        base = f"/api/v1/projects/{project['id']}"
        for n in range(2):
            objective = await define_objective(client, org, project["id"], name=f"O{n}")
            kr = objective["key_results"][0]
            await client.post(
                f"{base}/objectives/{objective['id']}/key-results/{kr['id']}/check-ins",
                json={"value": str(40 - 4 * i)}, headers=org.member,
            )  # fmt: skip
        milestone = await make_milestone(client, org, project)
        for name in ("Runbook", "Training"):
            r = await client.post(f"{base}/deliverables", headers=org.manager,
                                  json={"name": name, "milestone_id": milestone["id"]})  # fmt: skip
            await client.post(f"{base}/deliverables/{r.json()['id']}/decisions",
                              json={"decision": "accept"}, headers=org.manager)  # fmt: skip
        for to in ("planning", "execution", "closing"):
            r = await client.post(f"{base}/transitions", headers=org.admin,
                                  json={"to": to, "force": True, "reason": "test"})  # fmt: skip
            assert r.status_code == 200, r.text
        r = await client.put(
            f"{base}/closure-report", json={"summary": f"P{i}"}, headers=org.manager
        )
        assert r.status_code == 200, r.text


async def test_a_portfolio_of_objectives_and_deliverables_costs_a_fixed_number_of_statements(
    client: httpx.AsyncClient, read_engine: object
) -> None:
    small, large = Org(f"org-{uuid.uuid4().hex[:12]}"), Org(f"org-{uuid.uuid4().hex[:12]}")
    await _portfolio(client, small, 2)
    await _portfolio(client, large, 5)
    costs = []
    for org, size in ((small, 2), (large, 5)):
        with counting(read_engine) as statements:  # type: ignore[arg-type]
            data = await gql(client, PORTFOLIO, org.viewer)
        assert "errors" not in data, data
        costs.append(len(statements))
        nodes = [e["node"] for e in data["data"]["projects"]["edges"]]
        assert len(nodes) == size
        for node in nodes:
            objectives = node["objectives"]
            assert objectives["totalCount"] == 2
            krs = [k for e in objectives["edges"] for k in e["node"]["keyResults"]]
            assert [len(k["checkIns"]["edges"]) for k in krs] == [1, 1]
            assert node["objectivesProgress"] == krs[0]["progress"]
            deliverables = node["deliverables"]
            assert deliverables["totalCount"] == 2
            for e in deliverables["edges"]:
                d = e["node"]
                assert (d["status"], d["milestone"]["name"]) == ("ACCEPTED", "Design")
                assert d["decisions"]["edges"][0]["node"] == {
                    "decision": "ACCEPT",
                    "toStatus": "ACCEPTED",
                }
            figures = node["closureReport"]["finalFigures"]
            assert figures["deliverablesAccepted"] == 2
            assert figures["objectivesProgress"] == node["objectivesProgress"]
        # the projects differ, so a mix-up between them would show
        assert len({n["objectivesProgress"] for n in nodes}) == size
    assert costs[0] == costs[1] > 0, costs


async def test_graphql_reports_rule_breaks_as_user_errors_and_hides_other_orgs(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    create = """mutation($i: CreateObjectiveInput!) { createObjective(input: $i) {
        objective { id progress keyResults { id } } userErrors { field code message } } }"""
    blank = await gql(client, create, org.manager, i={"projectId": project["id"], "name": " "})
    assert blank["data"]["createObjective"]["userErrors"][0]["field"] == "name"
    member = await gql(client, create, org.member, i={"projectId": project["id"], "name": "O"})
    assert member["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    foreign = await gql(
        client, create, other_org.manager, i={"projectId": project["id"], "name": "O"}
    )
    assert foreign["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    made = await gql(client, create, org.manager, i={"projectId": project["id"], "name": "O"})
    oid = made["data"]["createObjective"]["objective"]["id"]
    add = """mutation($i: AddKeyResultInput!) { addKeyResult(input: $i) {
        keyResult { id } userErrors { field code } } }"""
    as_float = await gql(client, add, org.manager,
                         i={"objectiveId": oid, "name": "K", "unit": "u", "baseline": 1.5, "target": "3"})  # fmt: skip
    assert as_float["errors"]  # a Float where a decimal is expected is refused
    huge = await gql(client, add, org.manager,
                     i={"objectiveId": oid, "name": "K", "unit": "u", "baseline": "1" * 30, "target": "3"})  # fmt: skip
    assert huge["data"]["addKeyResult"]["userErrors"] == [
        {"field": "baseline", "code": "VALIDATION_FAILED"}
    ]
    d = await client.post(f"/api/v1/projects/{project['id']}/deliverables", json={"name": "D"},
                          headers=org.manager)  # fmt: skip
    decide = """mutation($i: DecideDeliverableInput!) { decideDeliverable(input: $i) {
        deliverable { status } userErrors { field code } } }"""
    wrong = await gql(client, decide, org.manager, i={"id": d.json()["id"], "decision": "REOPEN"})
    assert wrong["data"]["decideDeliverable"]["userErrors"] == [
        {"field": None, "code": "INVALID_DECISION"}
    ]
    read = "query($id: ID!) { deliverable(id: $id) { name } }"
    assert (await gql(client, read, org.viewer, id=d.json()["id"]))["data"]["deliverable"] == {
        "name": "D"
    }
    assert (await gql(client, read, other_org.viewer, id=d.json()["id"]))["data"][
        "deliverable"
    ] is None
    report = await gql(
        client,
        """mutation($i: WriteClosureReportInput!) { writeClosureReport(input: $i) {
            closureReport { version } userErrors { code } } }""",
        org.manager, i={"projectId": project["id"], "summary": "Early"},
    )  # fmt: skip
    assert report["data"]["writeClosureReport"]["userErrors"] == [{"code": "WRONG_PHASE"}]
    bad_cursor = await gql(client, '{ lessons(after: "nope") { totalCount } }', org.viewer)
    assert bad_cursor["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
