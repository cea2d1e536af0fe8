"""The same record reads the same over REST and GraphQL (issue 15 "Field parity"): ids of
linked people and records, assessments' severities, a risk's issue, the ledger's filter."""

from __future__ import annotations

import httpx

from tests.api.helpers import gql, make_person, make_project
from tests.api.test_risks import make_risk, risks_url
from tests.conftest import Org

RISK = """query($id: ID!) { risk(id: $id) {
  ownerId issueId assessments { edges { node { riskId fromSeverity toSeverity } } } } }"""


async def test_linked_ids_agree_between_rest_and_graphql(
    client: httpx.AsyncClient, org: Org
) -> None:
    person = await make_person(client, org)
    project = await make_project(client, org, sponsor_id=person["id"], manager_id=person["id"])
    data = await gql(
        client,
        "query($id: ID!) { project(id: $id) { sponsorId managerId } }",
        org.viewer,
        id=project["id"],
    )
    assert data["data"]["project"] == {"sponsorId": person["id"], "managerId": person["id"]}

    risk = await make_risk(client, org, project, owner_id=person["id"])
    url = f"{risks_url(project)}/{risk['id']}"
    assert risk["issue_id"] is None
    r = await client.post(
        f"{url}/assessments", json={"probability": 5, "impact": 5}, headers=org.member
    )
    assert r.status_code == 201, r.text
    occurred = await client.post(f"{url}/occurrence", json={"severity": "high"}, headers=org.member)
    assert occurred.status_code == 201, occurred.text
    issue_id = occurred.json()["id"]
    # REST links the risk to its issue, in a risk and in the register.
    one = await client.get(url, headers=org.viewer)
    assert one.json()["issue_id"] == issue_id
    listed = await client.get(risks_url(project), headers=org.viewer)
    assert [x["issue_id"] for x in listed.json()["items"]] == [issue_id]
    rest_history = await client.get(f"{url}/assessments", headers=org.viewer)
    rest_severities = [(a["from_severity"], a["to_severity"]) for a in rest_history.json()["items"]]
    # GraphQL says the same.
    found = (await gql(client, RISK, org.viewer, id=risk["id"]))["data"]["risk"]
    assert found["ownerId"] == person["id"]
    assert found["issueId"] == issue_id
    nodes = [e["node"] for e in found["assessments"]["edges"]]
    assert {n["riskId"] for n in nodes} == {risk["id"]}
    graphql_severities = [
        (n["fromSeverity"] and n["fromSeverity"].lower(), n["toSeverity"].lower()) for n in nodes
    ]
    assert graphql_severities == rest_severities
    assert graphql_severities == [("high", "critical"), (None, "high")]


async def test_the_ledger_filter_is_from_and_to_in_both(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    url = f"/api/v1/projects/{project['id']}/ledger/entries"
    for day in ("2027-01-04", "2027-02-04", "2027-03-04"):
        body = {"kind": "budget", "category": "labour", "amount": "10.00", "occurred_on": day}
        assert (await client.post(url, json=body, headers=org.manager)).status_code == 201
    rest = await client.get(
        url, params={"from": "2027-02-01", "to": "2027-02-28"}, headers=org.viewer
    )
    assert [e["occurred_on"] for e in rest.json()["items"]] == ["2027-02-04"]
    data = await gql(
        client,
        """query($id: ID!) { project(id: $id) {
             ledgerEntries(filter: {from: "2027-02-01", to: "2027-02-28"}) {
               edges { node { occurredOn category } } } } }""",
        org.viewer,
        id=project["id"],
    )
    nodes = [e["node"] for e in data["data"]["project"]["ledgerEntries"]["edges"]]
    assert nodes == [{"occurredOn": "2027-02-04", "category": "LABOUR"}]
